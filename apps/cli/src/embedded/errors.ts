// Errors of the local stack (the embedded Postgres, `ablate up`'s port and home folder); each has a stable code, and the
// CLI prints its message.
import { CliError } from '../client.js';

/** As root, the `postgres` user cannot reach (traverse to, read or run) the server's binaries or data folder. */
export class EmbeddedPostgresUnreachableError extends CliError {
  readonly code = 'ERR_EMBEDDED_PG_UNREACHABLE';
}

/** initdb or the server itself failed, or the `postgres` user could not be found or created. */
export class EmbeddedPostgresStartError extends CliError {
  readonly code = 'ERR_EMBEDDED_PG_START';
}

/** `ablate up`: the API's port is taken. */
export class PortInUseError extends CliError {
  readonly code = 'ERR_PORT_IN_USE';
}

/** `ablate up`: another `ablate up` is running on the same home folder. */
export class HomeInUseError extends CliError {
  readonly code = 'ERR_HOME_IN_USE';
}
