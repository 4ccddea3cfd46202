// One IMAP session of the user day, imaptest-style: LOGIN and SELECT, commands drawn from
// imaptest's weighted mix, LOGOUT. The session keeps the state of the messages it appended
// (uid, size, flags) and checks every answer about them, so a server that answers wrongly
// (a wrong size, a lost flag, an expunged message still there) is caught, not just timed.
import { performance } from 'node:perf_hooks';
import type { ImapFlow } from 'imapflow';
import type { Random } from '../../engine/random.ts';
import { IMAP_COMMAND_WEIGHTS, MULTI_APPEND_SHARE, type ImapCommandName } from './profiles.ts';

export interface SessionRecorder {
  /** one command's round trip, real ms */
  command(name: string, ms: number, ok: boolean): void;
  /** an answer that contradicts the session's state */
  mismatch(command: string, detail: string): void;
}

interface OwnMessage {
  size: number;
  flags: Set<string>;
}

const COMMANDS = Object.entries(IMAP_COMMAND_WEIGHTS) as [ImapCommandName, number][];
const TOTAL_WEIGHT = COMMANDS.reduce((a, [, w]) => a + w, 0);

export function drawCommand(random: Random): ImapCommandName {
  let x = random.next() * TOTAL_WEIGHT;
  for (const [name, weight] of COMMANDS) {
    x -= weight;
    if (x < 0) return name;
  }
  return COMMANDS[COMMANDS.length - 1]![0];
}

/** Runs `commands` drawn commands on an open, logged-in client; the caller logs out. */
export async function runImapSession(client: ImapFlow, options: { commands: number; random: Random; messageBytes: number; recorder: SessionRecorder }): Promise<void> {
  const { random, recorder } = options;
  const own = new Map<number, OwnMessage>();
  const timed = async <T>(name: string, op: () => Promise<T>): Promise<T> => {
    const started = performance.now();
    try {
      const value = await op();
      recorder.command(name, performance.now() - started, true);
      return value;
    } catch (error) {
      recorder.command(name, performance.now() - started, false);
      throw error;
    }
  };
  const box = await timed('SELECT', () => client.mailboxOpen('INBOX'));
  if (!(box.exists >= 0)) recorder.mismatch('SELECT', `EXISTS missing from the SELECT answer`);
  const append = async () => {
    const raw = messageOf(options.messageBytes, random);
    const flags = random.next() < 0.5 ? ['\\Seen'] : [];
    const result = await timed('APPEND', () => client.append('INBOX', raw, flags));
    if (!result || typeof result.uid !== 'number') return recorder.mismatch('APPEND', 'no APPENDUID in the answer (UIDPLUS advertised)');
    own.set(result.uid, { size: Buffer.byteLength(raw), flags: new Set(flags) });
  };
  const pickOwn = (): [number, OwnMessage] | undefined => {
    const uids = [...own.keys()];
    if (uids.length === 0) return undefined;
    const uid = uids[random.int(0, uids.length - 1)]!;
    return [uid, own.get(uid)!];
  };
  for (let i = 0; i < options.commands; i++) {
    const name = drawCommand(random);
    // A command about own messages needs one: append first, as a user files a draft.
    if ((name === 'FETCH' || name === 'STORE' || name === 'EXPUNGE') && own.size === 0) await append();
    switch (name) {
      case 'APPEND':
        await append();
        if (random.next() < MULTI_APPEND_SHARE) await append();
        break;
      case 'FETCH': {
        const [uid, expected] = pickOwn()!;
        const message = await timed('FETCH', () => client.fetchOne(String(uid), { uid: true, flags: true, size: true }, { uid: true }));
        if (!message) recorder.mismatch('FETCH', `uid ${uid} appended in this session is missing`);
        else {
          if (message.size !== expected.size) recorder.mismatch('FETCH', `uid ${uid}: RFC822.SIZE ${message.size}, appended ${expected.size} bytes`);
          const flags = [...(message.flags ?? [])].filter((f) => f !== '\\Recent').sort().join(' ');
          const wanted = [...expected.flags].sort().join(' ');
          if (flags !== wanted) recorder.mismatch('FETCH', `uid ${uid}: FLAGS (${flags}), expected (${wanted})`);
        }
        break;
      }
      case 'STORE': {
        const [uid, expected] = pickOwn()!;
        const ok = await timed('STORE', () => client.messageFlagsAdd(String(uid), ['\\Flagged'], { uid: true }));
        if (!ok) recorder.mismatch('STORE', `uid ${uid}: +FLAGS (\\Flagged) refused`);
        expected.flags.add('\\Flagged');
        break;
      }
      case 'EXPUNGE': {
        const [uid] = pickOwn()!;
        await timed('EXPUNGE', () => client.messageDelete(String(uid), { uid: true }));
        own.delete(uid);
        const gone = await client.fetchOne(String(uid), { uid: true }, { uid: true });
        if (gone) recorder.mismatch('EXPUNGE', `uid ${uid} still there after EXPUNGE`);
        break;
      }
      case 'LIST': {
        const boxes = await timed('LIST', () => client.list());
        if (!boxes.some((b) => b.path.toUpperCase() === 'INBOX')) recorder.mismatch('LIST', 'INBOX not listed');
        break;
      }
      case 'STATUS': {
        const status = await timed('STATUS', () => client.status('INBOX', { messages: true }));
        const messages = status === false ? undefined : status.messages;
        if ((messages ?? 0) < own.size) recorder.mismatch('STATUS', `MESSAGES ${messages ?? 'missing'}, but this session holds ${own.size}`);
        break;
      }
    }
  }
}

function messageOf(bytes: number, random: Random): string {
  const id = random.int(0, 2 ** 31);
  const head = `From: user-day@mailstorm.test\r\nTo: user-day@mailstorm.test\r\nSubject: draft ${id}\r\nMessage-ID: <draft-${id}@mailstorm.test>\r\n\r\n`;
  const line = 'A user-day draft line filed by the imaptest-style session.\r\n';
  return head + line.repeat(Math.max(1, Math.ceil((bytes - head.length) / line.length)));
}
