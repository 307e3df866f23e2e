// Errors of the embedded Postgres the local stack starts; each has a stable code, and the CLI prints its message.
import { CliError } from '../client.js';

/** As root, the `postgres` user cannot reach (traverse to, read or run) the server's binaries or data folder. */
export class EmbeddedPostgresUnreachableError extends CliError {
  readonly code = 'ERR_EMBEDDED_PG_UNREACHABLE';
}

/** initdb or the server itself failed, or the `postgres` user could not be found or created. */
export class EmbeddedPostgresStartError extends CliError {
  readonly code = 'ERR_EMBEDDED_PG_START';
}
