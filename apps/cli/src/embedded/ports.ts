// TCP ports of the local stack: a free one chosen by the kernel (embedded Postgres, the demo's API), and a check that a
// fixed one (`ablate up`'s API) is free before anything starts.
import { createServer } from 'node:net';
import { PortInUseError } from './errors.js';

/** Resolves when `port` on `host` can be listened on; fails with PortInUseError, naming how to pick another, if not. */
export function assertPortFree(port: number, host: string, how: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.once('error', (err: NodeJS.ErrnoException) =>
      reject(
        err.code === 'EADDRINUSE'
          ? new PortInUseError(`port ${port} on ${host} is already in use (another ablate up, or another program); ${how}`)
          : err,
      ),
    );
    srv.listen(port, host, () => srv.close(() => resolve()));
  });
}

export function freePort(): Promise<number> {
  return new Promise((resolvePort, reject) => {
    const srv = createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const addr = srv.address();
      srv.close(() => (typeof addr === 'object' && addr ? resolvePort(addr.port) : reject(new Error('no port'))));
    });
  });
}
