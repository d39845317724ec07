// Events as compact lines: AGE TYPE REASON OBJECT MESSAGE, fitted to a width.
// Object names are cut in the middle (pod names differ at their end) and
// messages at their end, in both cases so that different texts never look
// the same (engine/output/distinct-truncate.ts). A node's name loses its DNS
// domain first: the nodes of a cluster share it, so a cut that kept it
// ("node/ip-….ec2.internal") would read the same for every node, from one
// refresh of a short list to the next. Text from the API is made
// terminal-safe first.
import { displayWidth, padEndToWidth } from '../engine/output/display-width.js';
import { distinctTruncate } from '../engine/output/distinct-truncate.js';
import { terminalSafe } from '../engine/output/terminal-safe.js';
import { objectText, isWarning, type EventRow } from '../engine/live-model/event-rows.js';
import { formatAge } from '../engine/live-model/node-row.js';

export interface EventLine {
  /** The Event's key (namespace/name), for React keys. */
  key: string;
  text: string;
  warning: boolean;
}

const MAX_REASON = 20;
const MIN_MESSAGE = 12;

/** "ip-172-20-32-4.ec2.internal" -> "ip-172-20-32-4…"; a name without a domain as it is. */
function withoutDomain(name: string): string {
  const dot = name.indexOf('.');
  return dot > 0 ? `${name.slice(0, dot)}…` : name;
}

/**
 * Each object as it is shown when it must be cut: a name with a DNS domain
 * (a node's) as its first label, unless two different names of these rows
 * share that label (then the domain is what tells them apart).
 */
function shortObjects(rows: readonly EventRow[]): string[] {
  const owners = new Map<string, Set<string>>();
  for (const row of rows) {
    const short = withoutDomain(row.object.name);
    owners.set(short, (owners.get(short) ?? new Set()).add(row.object.name));
  }
  return rows.map((row) => {
    const short = withoutDomain(row.object.name);
    return terminalSafe(owners.get(short)!.size === 1 ? objectText({ ...row, object: { ...row.object, name: short } }) : objectText(row));
  });
}

/** One line per row (none for no rows), after a header line when asked for. */
export function formatEventLines(rows: readonly EventRow[], now: number, width: number, header = false): EventLine[] {
  if (rows.length === 0) return [];
  const ages = rows.map((r) => formatAge(r.lastAt, now));
  const types = rows.map((r) => terminalSafe(r.type));
  const reasons = rows.map((r) => terminalSafe(r.reason));
  const objects = rows.map((r) => terminalSafe(objectText(r)));
  const shortened = shortObjects(rows);
  const messages = rows.map((r) => terminalSafe(r.message.replace(/\s*\n\s*/g, ' ')));
  const widest = (texts: string[], title: string) => Math.max(header ? title.length : 0, ...texts.map(displayWidth));
  const ageWidth = widest(ages, 'AGE');
  const typeWidth = widest(types, 'TYPE');
  const reasonWidth = Math.min(MAX_REASON, widest(reasons, 'REASON'));
  const rest = width - ageWidth - typeWidth - reasonWidth - 4;
  // The object gets what it needs up to two fifths of what is left (a fifth when it is the same on every line,
  // as on a node's own Events, though never less than its name without the domain); the message the rest.
  const objectNeeds = widest(objects, 'OBJECT');
  const shortNeeds = widest(shortened, 'OBJECT');
  const objectShare = new Set(objects).size === 1 ? Math.max(8, Math.floor(rest * 0.2), Math.min(shortNeeds, Math.floor(rest * 0.4))) : Math.floor(rest * 0.4);
  const fits = objectNeeds + 1 + widest(messages, 'MESSAGE') <= rest;
  const objectWidth = fits ? objectNeeds : Math.max(0, Math.min(objectNeeds, objectShare, rest - MIN_MESSAGE - 1));
  const messageWidth = Math.max(0, rest - objectWidth - 1);
  const shownReasons = distinctTruncate(reasons, reasonWidth);
  const shownObjects = distinctTruncate(objectWidth >= objectNeeds ? objects : shortened, objectWidth, 'middle');
  const shownMessages = distinctTruncate(messages, messageWidth);
  const line = (age: string, type: string, reason: string, object: string, message: string) =>
    [padEndToWidth(age, ageWidth), padEndToWidth(type, typeWidth), padEndToWidth(reason, reasonWidth), padEndToWidth(object, objectWidth), message].join(' ').trimEnd();
  const lines = rows.map((row, i) => ({ key: row.key, text: line(ages[i], types[i], shownReasons[i], shownObjects[i], shownMessages[i]), warning: isWarning(row) }));
  if (!header) return lines;
  return [{ key: '', text: line('AGE', 'TYPE', 'REASON', 'OBJECT'.slice(0, objectWidth), 'MESSAGE'.slice(0, messageWidth)), warning: false }, ...lines];
}
