// One message's SMTP transaction as the connection drives it, and the result it settles with.

export interface Envelope {
  from: string;
  to: readonly string[];
}

export interface PipelineSendResult {
  ok: boolean;
  /** The reply that decided the outcome: 250 after the data; the failing MAIL/RCPT/DATA reply; 0 when the connection failed. */
  code: number;
  response: string;
  accepted: string[];
  /** Recipients refused at RCPT, with their reply. */
  rejected: { recipient: string; code: number; response: string }[];
}

export class Transaction {
  readonly accepted: string[] = [];
  readonly rejected: PipelineSendResult['rejected'] = [];
  /** The first failing reply of MAIL or RCPT, reported when the transaction fails before its data. */
  firstFailure: { code: number; text: string } | undefined;
  settled = false;

  constructor(
    readonly envelope: Envelope,
    readonly data: Buffer,
    private readonly onSettle: (result: PipelineSendResult) => void,
  ) {}

  /** MAIL FROM, every RCPT TO and DATA, CRLF-terminated, as one string. */
  commands(): string {
    let out = `MAIL FROM:<${this.envelope.from}>\r\n`;
    for (const to of this.envelope.to) out += `RCPT TO:<${to}>\r\n`;
    return out + 'DATA\r\n';
  }

  succeed(code: number, text: string): void {
    this.#settle({ ok: true, code, response: text, accepted: this.accepted, rejected: this.rejected });
  }

  fail(code: number, text: string): void {
    this.#settle({ ok: false, code, response: text, accepted: [], rejected: this.rejected });
  }

  #settle(result: PipelineSendResult): void {
    if (this.settled) return;
    this.settled = true;
    this.onSettle(result);
  }
}
