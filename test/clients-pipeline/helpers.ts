// Shared bits of the pipelining client's tests: a message template carrying an id, and
// a sender that keeps a bounded number of messages outstanding.
import { MessageTemplate, type PipelineSendResult, type SmtpPipelineClient } from '../../engine/clients/smtp-pipeline-client.ts';

export const template = new MessageTemplate(
  ['From: <a@x.test>', 'To: <b@x.test>', 'Subject: pipelined', 'X-Mailstorm-Id: IDIDIDIDIDIDIDID', '', 'body line', '.a line that starts with a dot', 'last line', ''].join('\r\n'),
  'IDIDIDIDIDIDIDID',
);

export interface Outcome {
  id: string;
  result: PipelineSendResult;
}

/** Sends every envelope (all outstanding at once, so the client has to queue and pipeline). */
export async function sendAll(client: SmtpPipelineClient, envelopes: { id: string; from?: string; to: string[] }[]): Promise<Outcome[]> {
  return Promise.all(
    envelopes.map(async (e) => ({ id: e.id, result: await client.send({ from: e.from ?? 'a@x.test', to: e.to }, template.render(e.id)) })),
  );
}
