// Protocol clients a flow gets on its context. Each records its own metrics
// (smtp.send_time, smtp.codes.<code>, imap.login_time, http.req_duration) and registers
// accepted mail with the ledger; a failure is a result or a counted error, never the end of the run.
import type { ImapFlow } from 'imapflow';

export interface SendRequest {
  from: string;
  to: readonly string[];
  subject?: string;
  /** Message body; when absent a body of `sizeBytes` (default 2 KiB) is generated. */
  body?: string;
  sizeBytes?: number;
  headers?: Record<string, string>;
  /** Submission credentials; without them the message goes to the relay (MX) port. */
  auth?: { user: string; pass: string };
  /** Endpoint name: "submission", "smtp", or a key of Endpoints.extra. */
  endpoint?: string;
  /** Ledger flow tag; defaults to the calling flow's name. */
  flow?: string;
}

export interface SendResult {
  ok: boolean;
  /** Ledger id carried in X-Mailstorm-Id. */
  id: string;
  /** Final SMTP reply code (250 on success; 451, 535, 550 ...), or 0 when the connection failed. */
  code: number;
  response: string;
  accepted: string[];
  rejected: string[];
}

export interface SmtpClient {
  send(request: SendRequest): Promise<SendResult>;
  close(): Promise<void>;
}

export interface ImapConnector {
  /** Connects and logs in (recording imap.login_time and imap.login_failures); the caller logs out. */
  connect(auth: { user: string; pass: string }, endpoint?: string): Promise<ImapFlow>;
}

export interface HttpResponse {
  status: number;
  headers: Headers;
  body: string;
}

export interface HttpClient {
  request(
    method: string,
    url: string,
    init?: { headers?: Record<string, string>; body?: string; tags?: Record<string, string>; timeoutMs?: number },
  ): Promise<HttpResponse>;
}
