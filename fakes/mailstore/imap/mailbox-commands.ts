// Commands that work on mailboxes and messages: LIST/LSUB, CREATE, SELECT/EXAMINE, STATUS,
// APPEND, FETCH, SEARCH, STORE (each also as UID ...), EXPUNGE, CLOSE, UNSELECT.
import type { Command, ImapSession } from './session.ts';
import type { Mailbox } from '../mailbox.ts';
import type { StoredMessage } from '../message.ts';
import { SPECIAL_USE } from '../mailbox.ts';
import { BadCommand, bytes, isList, list, text, type Attr } from './attributes.ts';
import { flagList, imapString, normaliseFlag, parseImapDate, SYSTEM_FLAGS } from './format.ts';
import { resolveSet } from './sequence-set.ts';
import { fetchOne, parseItems } from './fetch.ts';
import { search } from './search.ts';

function listMatcher(reference: string, pattern: string): RegExp {
  const escaped = (reference + pattern).replace(/[.+?^${}()|[\]\\]/g, '\\$&');
  return new RegExp(`^${escaped.replace(/\*/g, '.*').replace(/%/g, '[^/]*')}$`, 'i');
}

const listCommand = (verb: 'LIST' | 'LSUB'): Command => (s, _tag, args) => {
  s.requireState('authenticated', 'selected');
  const reference = text(args[0], 'reference');
  const pattern = text(args[1], 'mailbox pattern');
  if (pattern === '') s.write(`* ${verb} (\\Noselect) "/" ""\r\n`);
  else {
    const match = listMatcher(reference, pattern);
    for (const name of s.ctx.store.mailboxes(s.user).keys()) {
      if (!match.test(name)) continue;
      const flags = ['\\HasNoChildren', ...(SPECIAL_USE[name] ? [SPECIAL_USE[name]] : [])];
      s.write(`* ${verb} (${flags.join(' ')}) "/" ${imapString(name)}\r\n`);
    }
  }
  return `OK ${verb} completed`;
};

function openMailbox(s: ImapSession, name: string): Mailbox | undefined {
  return s.ctx.store.mailbox(s.user, name);
}

const selectCommand = (readOnly: boolean): Command => (s, _tag, args) => {
  s.requireState('authenticated', 'selected');
  const box = openMailbox(s, text(args[0], 'mailbox name'));
  s.selected = undefined;
  s.state = 'authenticated';
  if (!box) return 'NO [NONEXISTENT] No such mailbox';
  s.selected = box;
  s.readOnly = readOnly;
  s.state = 'selected';
  s.write(`* FLAGS (${SYSTEM_FLAGS.join(' ')})\r\n`);
  s.write(`* OK [PERMANENTFLAGS (${SYSTEM_FLAGS.join(' ')} \\*)] Flags permitted\r\n`);
  s.write(`* ${box.messages.length} EXISTS\r\n* 0 RECENT\r\n`);
  s.write(`* OK [UIDVALIDITY ${box.uidValidity}] UIDs valid\r\n* OK [UIDNEXT ${box.uidNext}] Predicted next UID\r\n`);
  return `OK [${readOnly ? 'READ-ONLY' : 'READ-WRITE'}] ${readOnly ? 'EXAMINE' : 'SELECT'} completed`;
};

const STATUS_ITEMS: Record<string, (box: Mailbox) => number> = {
  MESSAGES: (b) => b.messages.length,
  RECENT: () => 0,
  UIDNEXT: (b) => b.uidNext,
  UIDVALIDITY: (b) => b.uidValidity,
  UNSEEN: (b) => b.unseen,
  SIZE: (b) => b.bytes(),
};

function selected(s: ImapSession): Mailbox {
  s.requireState('selected');
  return s.selected as Mailbox;
}

function parseFlags(attr: Attr): string[] {
  const items = isList(attr) ? attr : [attr];
  return items.map((f) => {
    const flag = normaliseFlag(text(f, 'flag'));
    if (!flag) throw new BadCommand(`invalid flag ${text(f, 'flag')}`);
    return flag;
  });
}

const fetchCommand = (byUid: boolean): Command => async (s, _tag, args) => {
  const box = selected(s);
  const positions = resolveSet(text(args[0], 'sequence set'), box.messages, byUid);
  if (!positions) throw new BadCommand('invalid sequence set');
  const items = parseItems(args[1]);
  let failed = 0;
  for (const i of positions) {
    const ok = fetchOne({ message: box.messages[i]!, seq: i + 1 }, items, byUid, s.readOnly, (c) => s.write(c));
    if (!ok) failed++;
    // Wait for a slow reader rather than buffering a whole large mailbox in memory.
    await s.ctx.io.drained();
  }
  return failed > 0 ? `NO [SERVERBUG] ${failed} message(s) could not be read` : 'OK FETCH completed';
};

const searchCommand = (byUid: boolean): Command => (s, _tag, args) => {
  const box = selected(s);
  let criteria = args;
  if (text(args[0] ?? { type: 'ATOM', value: 'ALL' }, 'search key').toUpperCase() === 'CHARSET') criteria = args.slice(2);
  const hits = search(criteria.length ? criteria : [{ type: 'ATOM', value: 'ALL' }], box.messages);
  const ids = hits.map((i) => (byUid ? box.messages[i]!.uid : i + 1));
  s.write(`* SEARCH${ids.length ? ' ' + ids.join(' ') : ''}\r\n`);
  return 'OK SEARCH completed';
};

const storeCommand = (byUid: boolean): Command => (s, _tag, args) => {
  const box = selected(s);
  if (s.readOnly) return 'NO [READ-ONLY] Mailbox is read-only';
  const positions = resolveSet(text(args[0], 'sequence set'), box.messages, byUid);
  if (!positions) throw new BadCommand('invalid sequence set');
  const m = /^([+-]?)FLAGS(\.SILENT)?$/i.exec(text(args[1], 'store item'));
  if (!m) throw new BadCommand('STORE item must be FLAGS, +FLAGS or -FLAGS (optionally .SILENT)');
  const flags = parseFlags(args[2]);
  for (const i of positions) {
    const message = box.messages[i]!;
    if (m[1] === '') message.flags = new Set(flags);
    else for (const f of flags) m[1] === '+' ? message.flags.add(f) : message.flags.delete(f);
    if (!m[2]) s.write(`* ${i + 1} FETCH (${byUid ? `UID ${message.uid} ` : ''}FLAGS ${flagList(message.flags)})\r\n`);
  }
  return 'OK STORE completed';
};

/** EXPUNGE, or UIDPLUS's UID EXPUNGE: only the \Deleted messages whose uid is in the set. */
function expungeCommand(byUid: boolean): Command {
  return (s, _tag, args) => {
    const box = selected(s);
    if (s.readOnly) return 'NO [READ-ONLY] Mailbox is read-only';
    let only: ((message: StoredMessage) => boolean) | undefined;
    if (byUid) {
      const positions = resolveSet(text(args[0], 'sequence set'), box.messages, true);
      if (!positions) throw new BadCommand('invalid sequence set');
      const uids = new Set(positions.map((i) => box.messages[i]!.uid));
      only = (message) => uids.has(message.uid);
    }
    for (const seq of box.expunge(only)) s.write(`* ${seq} EXPUNGE\r\n`);
    return `OK ${byUid ? 'UID EXPUNGE' : 'EXPUNGE'} completed`;
  };
}

const uidCommands: Record<string, Command> = { FETCH: fetchCommand(true), SEARCH: searchCommand(true), STORE: storeCommand(true), EXPUNGE: expungeCommand(true) };

export const mailboxCommands: Record<string, Command> = {
  LIST: listCommand('LIST'),
  LSUB: listCommand('LSUB'),
  SELECT: selectCommand(false),
  EXAMINE: selectCommand(true),
  CREATE: (s, _tag, args) => {
    s.requireState('authenticated', 'selected');
    return s.ctx.store.create(s.user, text(args[0], 'mailbox name')) ? 'OK CREATE completed' : 'NO [ALREADYEXISTS] Mailbox exists';
  },
  STATUS: (s, _tag, args) => {
    s.requireState('authenticated', 'selected');
    const name = text(args[0], 'mailbox name');
    const box = openMailbox(s, name);
    const wanted = list(args[1], 'status items').map((a) => text(a, 'status item').toUpperCase());
    if (!box) return 'NO [NONEXISTENT] No such mailbox';
    const parts = wanted.map((item) => {
      const read = STATUS_ITEMS[item];
      if (!read) throw new BadCommand(`unsupported status item ${item}`);
      return `${item} ${read(box)}`;
    });
    s.write(`* STATUS ${imapString(box.name)} (${parts.join(' ')})\r\n`);
    return 'OK STATUS completed';
  },
  APPEND: (s, _tag, args) => {
    s.requireState('authenticated', 'selected');
    const name = text(args[0], 'mailbox name');
    const rest = args.slice(1);
    const flags = isList(rest[0]) ? parseFlags(rest.shift()) : [];
    let date: number | undefined;
    if (rest.length === 2) {
      date = parseImapDate(text(rest.shift(), 'date-time'));
      if (date === undefined) throw new BadCommand('invalid date-time');
    }
    if (rest.length !== 1) throw new BadCommand('APPEND needs a mailbox, optional flags and date, and a message literal');
    const raw = bytes(rest[0], 'message literal');
    const box = openMailbox(s, name);
    if (!box) return 'NO [TRYCREATE] No such mailbox';
    const message = s.ctx.store.append(s.user, box.name, Buffer.from(raw), flags, date);
    if (!message) return 'NO [TRYCREATE] No such mailbox';
    if (s.selected === box) s.write(`* ${box.messages.length} EXISTS\r\n`);
    return `OK [APPENDUID ${box.uidValidity} ${message.uid}] APPEND completed`;
  },
  FETCH: fetchCommand(false),
  SEARCH: searchCommand(false),
  STORE: storeCommand(false),
  UID: (s, tag, args) => {
    const sub = text(args[0], 'UID command').toUpperCase();
    const command = uidCommands[sub];
    if (!command) throw new BadCommand(`UID ${sub} is not supported`);
    return command(s, tag, args.slice(1));
  },
  EXPUNGE: expungeCommand(false),
  CLOSE: (s) => {
    const box = selected(s);
    if (!s.readOnly) box.expunge();
    s.selected = undefined;
    s.state = 'authenticated';
    return 'OK CLOSE completed';
  },
  UNSELECT: (s) => {
    selected(s);
    s.selected = undefined;
    s.state = 'authenticated';
    return 'OK UNSELECT completed';
  },
};
