// Entry of every `--workers` thread: registers the tsx loader in this thread (a worker does
// not inherit the main thread's loader hooks) and then runs the TypeScript worker.
import { register } from 'tsx/esm/api';

register();
await import('./worker-main.ts');
