// The Events section of the node detail: the node's own Events, newest
// first, as lines fitted to the screen's width (the detail is one scrolling
// text). Both reporters' Events count: the kubelet's (which name the node as
// its uid) and the node controller's.
import { formatEventLines } from '../components/event-lines.js';
import type { ClusterEvents } from '../hooks/useClusterEvents.js';

/** The latest this many; the rest are counted (all of them are on :events). */
export const NODE_EVENTS_SHOWN = 10;

export function nodeEventSection(events: ClusterEvents, now: number, width: number): string[] {
  const { rows } = events;
  if (events.error) return ['Events', `  ${events.error}`];
  if (!events.synced) return ['Events', '  listing…'];
  if (rows.length === 0) return ['Events', '  <none> (the API server keeps Events an hour after their last occurrence)'];
  const shown = formatEventLines(rows.slice(0, NODE_EVENTS_SHOWN), now, width - 2, true).map((line) => `  ${line.text}`);
  const more = rows.length > NODE_EVENTS_SHOWN ? [`  … and ${rows.length - NODE_EVENTS_SHOWN} older (:events lists them all)`] : [];
  return [`Events (${rows.length}, newest first)`, ...shown, ...more];
}
