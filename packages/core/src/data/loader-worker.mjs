// Entry of a data-loader worker thread: registers tsx (the engine runs from TypeScript sources) and starts the worker.
import { register } from 'tsx/esm/api';

register();
await import('./loader-worker.ts');
