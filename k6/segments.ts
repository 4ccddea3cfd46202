// k6's execution segments for N equal runners, as k6-operator hands them out:
// runner i of N runs `(i-1)/N:i/N` of the sequence `0,1/N,...,1`.
export function segmentOf(i: number, n: number): string {
  if (!Number.isInteger(n) || n < 1 || !Number.isInteger(i) || i < 1 || i > n) throw new RangeError(`runner ${i} of ${n}: need 1 <= i <= N`);
  const f = (k: number) => (k === 0 ? '0' : k === n ? '1' : `${k}/${n}`);
  return `${f(i - 1)}:${f(i)}`;
}

export function segmentSequence(n: number): string {
  return Array.from({ length: n + 1 }, (_, k) => (k === 0 ? '0' : k === n ? '1' : `${k}/${n}`)).join(',');
}
