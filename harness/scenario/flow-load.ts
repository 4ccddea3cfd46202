// What a flow declares it sends per iteration, per endpoint, so `mailstorm plan` and the
// remote stack's caps can state a run's load before anything is sent. Endpoint names are
// those of the stack's Endpoints: smtp, submission, imap, activesync, or a key of extra.

export interface EndpointLoad {
  /** messages submitted (SMTP) */
  messages?: number;
  /** bytes of those messages (or of requests' bodies) */
  bytes?: number;
  /** protocol requests that are not messages: IMAP sessions' commands, HTTP requests */
  requests?: number;
  /** connections one iteration holds open at once */
  connections?: number;
  /**
   * For a client that pools its connections (the SMTP client keeps SMTP_POOL_CONNECTIONS per
   * endpoint and credentials, and keeps idle ones open): the connections the flow holds on
   * this endpoint, whatever the concurrency; it replaces concurrency x connections.
   */
  connectionsAtMost?: number;
}

export interface FlowLoad {
  /** what one iteration sends, by endpoint name */
  perIteration: Record<string, EndpointLoad>;
  /**
   * For a flow that paces itself inside its iterations (an iteration is a whole storm): its
   * highest rate per endpoint; closed-loop executors give no rate of their own.
   */
  peakPerSec?: Record<string, { messages?: number; requests?: number }>;
  /** how the figures were derived, when it is not plain from the flow (shown by `plan`) */
  note?: string;
}
