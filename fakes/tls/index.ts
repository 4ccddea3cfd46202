export { generateTlsCertificate, type FakeTlsCertificate } from './certificate.ts';
export { type FakeTlsOptions } from './options.ts';
