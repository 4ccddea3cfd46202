// A token never reaches a written message: the scrub that replaces secrets with [redacted],
// and the run's iteration-error samples, scrubbed of the tokens the stack's clients were given.
import test from 'ava';
import { REDACTED, scrub } from '../../engine/secrets.ts';
import { REDACTED as PARAMS_REDACTED } from '../../harness/scenario/params.ts';
import { ErrorTally } from '../../harness/run/error-tally.ts';

test('scrub replaces every occurrence of each secret; the marker is the secret parameters\' one', (t) => {
  t.is(PARAMS_REDACTED, REDACTED);
  t.is(scrub('user=a auth=Bearer tok-1 again tok-1, tok-2', ['tok-1', undefined, '', 'tok-2']), 'user=a auth=Bearer [redacted] again [redacted], [redacted]');
});

test('iteration-error samples hold no token the stack handed out', (t) => {
  const tally = new ErrorTally();
  const handedOut = new Set<string>();
  tally.redact(() => handedOut);
  handedOut.add('ms-at.abc123');
  tally.add(Object.assign(new Error('ActiveSync refused Bearer ms-at.abc123'), { responseCode: 401 }));
  tally.add(Object.assign(new Error('ActiveSync refused Bearer ms-at.abc123'), { responseCode: 401 }));
  t.deepEqual(tally.list(), [{ kind: 'reply 401', count: 2, sample: 'ActiveSync refused Bearer [redacted]' }]);
});
