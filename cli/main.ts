// Entry point (bin/mailstorm.js imports this): run the command line, set the exit code.
import { main } from './program.ts';

const code = await main(process.argv);
process.exitCode = code;
// Bounded exit: if a stack or client left a handle open, leave anyway after 5 s.
setTimeout(() => process.exit(code), 5000).unref();
