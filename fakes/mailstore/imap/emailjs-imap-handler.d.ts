// Types for emailjs-imap-handler (the package ships none): only the parser is used.
declare module 'emailjs-imap-handler' {
  const handler: {
    parser(command: Uint8Array, options?: { valueAsString?: boolean }): unknown;
    compiler(response: unknown, asArray?: boolean, isLogging?: boolean): string;
  };
  export default handler;
}
