// Dataset errors: a dataset that is not on this machine (with where to put it), and a file that cannot be read.
import { AblateError } from '@ablate/spec';

export class DatasetUnavailableError extends AblateError {
  constructor(message: string, cause?: unknown) {
    super('ERR_DATASET_UNAVAILABLE', message, { cause });
  }
}

export class DatasetFormatError extends AblateError {
  constructor(
    readonly file: string,
    message: string,
    cause?: unknown,
  ) {
    super('ERR_DATASET_FORMAT', `${file}: ${message}`, { cause });
  }
}
