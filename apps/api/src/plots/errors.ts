// The two ways a plot request can fail besides a missing trial or sweep; routes map them to the API's catalogue.
import { unknownNameMessage } from '@ablate/spec';

/** A plot name the registry does not have for this scope; the message suggests the closest names. */
export class UnknownPlotError extends Error {
  readonly code = 'PLOT_ERR_UNKNOWN';
  constructor(scope: string, name: string, known: readonly string[]) {
    super(unknownNameMessage(`${scope} plot`, name, known));
    this.name = new.target.name;
    Object.setPrototypeOf(this, new.target.prototype);
  }
}

/** The data a plot draws is not stored (yet): the message names what is missing and why. */
export class PlotDataMissingError extends Error {
  readonly code = 'PLOT_ERR_NO_DATA';
  constructor(message: string) {
    super(message);
    this.name = new.target.name;
    Object.setPrototypeOf(this, new.target.prototype);
  }
}
