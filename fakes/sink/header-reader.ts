// Reads a message stream only as far as its header block and lets the body flow to nothing,
// so a sink taking large messages keeps a few kilobytes per message, not the message.
import type { Readable } from 'node:stream';
import { headerEnd, parseHeaders } from '../smtp/message-headers.ts';

const MAX_HEADER_BYTES = 256 * 1024;

/** Resolves with the parsed headers once the whole stream has been consumed. */
export function readHeaders(stream: Readable): Promise<Map<string, string>> {
  return new Promise((resolve, reject) => {
    let head: Buffer | undefined = Buffer.alloc(0);
    let headers: Map<string, string> | undefined;
    stream.on('data', (chunk: Buffer) => {
      if (!head) return; // body bytes: discarded
      head = Buffer.concat([head, chunk]);
      const end = headerEnd(head);
      if (end >= 0 || head.length > MAX_HEADER_BYTES) {
        headers = parseHeaders(head.subarray(0, end >= 0 ? end : MAX_HEADER_BYTES).toString('latin1'));
        head = undefined;
      }
    });
    stream.on('end', () => resolve(headers ?? parseHeaders(head?.toString('latin1') ?? '')));
    stream.on('error', reject);
  });
}
