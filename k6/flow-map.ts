// Which flow of which replay can run in k6, and as what protocol dialogue. A flow missing
// here, or marked `stays`, is named in the export's message: it is never dropped silently.

export type ExportedFlow =
  | { kind: 'smtp'; endpoint: 'smtp' | 'submission' }
  | { kind: 'activesync' }
  | { kind: 'imap-login' };

export type FlowMapping = ExportedFlow | { kind: 'stays'; why: string };

/** scenario name -> exec (flow function) name -> mapping */
export const FLOW_MAP: Readonly<Record<string, Readonly<Record<string, FlowMapping>>>> = {
  smoke: { mail: { kind: 'smtp', endpoint: 'smtp' } },
  'reply-all-storm': {
    background_send: { kind: 'smtp', endpoint: 'smtp' },
    background_receive: { kind: 'smtp', endpoint: 'smtp' },
    storm: { kind: 'stays', why: "the storm driver's self-exciting reply process decides each reply from the replies before it; it runs in mailstorm" },
  },
  'leak-failover': { submit: { kind: 'smtp', endpoint: 'smtp' } },
  'weekend-migration': {
    live: { kind: 'smtp', endpoint: 'smtp' },
    move: { kind: 'stays', why: 'the migration movers copy mailboxes between stores over IMAP with checkpoints; they run in mailstorm' },
  },
  'mass-lockout': {
    devices: { kind: 'activesync' },
    users: { kind: 'imap-login' },
  },
};

export function mappingOf(scenario: string, flow: string): FlowMapping {
  return FLOW_MAP[scenario]?.[flow] ?? { kind: 'stays', why: `no k6 dialogue is known for flow "${flow}" of scenario "${scenario}"` };
}

export function isTcp(m: FlowMapping): boolean {
  return m.kind === 'smtp' || m.kind === 'imap-login';
}
