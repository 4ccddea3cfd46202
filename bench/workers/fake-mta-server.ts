// Worker: mailstorm's fake MTA on a free loopback port, delivering into a target that
// drops everything (intake is what is measured). Prints {"port":N}; stops on SIGTERM.
import { FakeMta } from '../../fakes/smtp/index.ts';
import { benchDirectory } from './bench-directory.ts';

const mta = await new FakeMta({
  directory: benchDirectory(),
  target: { name: 'null', deliver() {} },
  stormProtection: false,
}).start();
console.log(JSON.stringify({ port: mta.port }));
process.once('SIGTERM', () => void mta.stop().then(() => process.exit(0)));
