// Test-only stand-in for k6/encoding.
export default { b64encode: (s: string) => Buffer.from(s, 'utf8').toString('base64') };
