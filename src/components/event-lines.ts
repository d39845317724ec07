// Events as compact lines: AGE TYPE REASON OBJECT MESSAGE, fitted to a width.
// Object names are cut in the middle (pod names differ at their end) and
// messages at their end, in both cases so that different texts never look
// the same (engine/output/distinct-truncate.ts). Text from the API is made
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

/** One line per row (none for no rows), after a header line when asked for. */
export function formatEventLines(rows: readonly EventRow[], now: number, width: number, header = false): EventLine[] {
  if (rows.length === 0) return [];
  const ages = rows.map((r) => formatAge(r.lastAt, now));
  const types = rows.map((r) => terminalSafe(r.type));
  const reasons = rows.map((r) => terminalSafe(r.reason));
  const objects = rows.map((r) => terminalSafe(objectText(r)));
  const messages = rows.map((r) => terminalSafe(r.message.replace(/\s*\n\s*/g, ' ')));
  const widest = (texts: string[], title: string) => Math.max(header ? title.length : 0, ...texts.map(displayWidth));
  const ageWidth = widest(ages, 'AGE');
  const typeWidth = widest(types, 'TYPE');
  const reasonWidth = Math.min(MAX_REASON, widest(reasons, 'REASON'));
  const rest = width - ageWidth - typeWidth - reasonWidth - 4;
  // The object gets what it needs up to two fifths of what is left (a fifth when it is the same on every line,
  // as on a node's own Events: its tail is enough); the message the rest.
  const objectNeeds = widest(objects, 'OBJECT');
  const objectShare = new Set(objects).size === 1 ? Math.max(8, Math.floor(rest * 0.2)) : Math.floor(rest * 0.4);
  const fits = objectNeeds + 1 + widest(messages, 'MESSAGE') <= rest;
  const objectWidth = fits ? objectNeeds : Math.max(0, Math.min(objectNeeds, objectShare, rest - MIN_MESSAGE - 1));
  const messageWidth = Math.max(0, rest - objectWidth - 1);
  const shownReasons = distinctTruncate(reasons, reasonWidth);
  const shownObjects = distinctTruncate(objects, objectWidth, 'middle');
  const shownMessages = distinctTruncate(messages, messageWidth);
  const line = (age: string, type: string, reason: string, object: string, message: string) =>
    [padEndToWidth(age, ageWidth), padEndToWidth(type, typeWidth), padEndToWidth(reason, reasonWidth), padEndToWidth(object, objectWidth), message].join(' ').trimEnd();
  const lines = rows.map((row, i) => ({ key: row.key, text: line(ages[i], types[i], shownReasons[i], shownObjects[i], shownMessages[i]), warning: isWarning(row) }));
  if (!header) return lines;
  return [{ key: '', text: line('AGE', 'TYPE', 'REASON', 'OBJECT'.slice(0, objectWidth), 'MESSAGE'.slice(0, messageWidth)), warning: false }, ...lines];
}
