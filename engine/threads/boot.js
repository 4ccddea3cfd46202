// Entry of every thread mailstorm starts (the `--workers` threads, the embedded fault proxy's
// thread): registers the tsx loader in the thread (a worker does not inherit the main
// thread's loader hooks), then runs the TypeScript module named last on its argv.
import { register } from 'tsx/esm/api';

register();
await import(process.argv[process.argv.length - 1]);
