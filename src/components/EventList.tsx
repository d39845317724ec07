// A compact block of Events under a title: one line each (event-lines.ts),
// warnings in yellow, as many as `rows` allows; nothing at all when there is
// no room for a title and one Event (the block collapses on a small terminal).
import { Box, Text } from 'ink';
import { useMemo } from 'react';
import type { EventRow } from '../engine/live-model/event-rows.js';
import { terminalSafe } from '../engine/output/terminal-safe.js';
import { formatEventLines } from './event-lines.js';

export interface EventListProps {
  title: string;
  /** The Events to show, in order (the first ones are shown). */
  events: readonly EventRow[];
  now: number;
  width: number;
  /** Terminal rows the block may take, title included. */
  rows: number;
  /** Shown instead of lines when there are no Events (e.g. still listing). */
  empty: string;
  /** Why Events cannot be read now. */
  error?: string;
}

/** The rows an EventList takes for this many Events within `limit` (0 when it collapses). */
export function eventListRows(events: number, limit: number): number {
  if (limit < 2) return 0;
  return 1 + Math.max(1, Math.min(events, limit - 1));
}

export function EventList({ title, events, now, width, rows, empty, error }: EventListProps) {
  const shown = Math.max(0, rows - 1);
  const lines = useMemo(() => formatEventLines(events.slice(0, shown), now, width), [events, shown, now, width]);
  if (rows < 2) return null;
  const more = events.length > shown ? `  (${events.length - shown} more)` : '';
  return (
    <Box flexDirection="column" width={width}>
      <Text bold wrap="truncate-end">
        {title}
        <Text dimColor bold={false}>{more}</Text>
      </Text>
      {error ? (
        <Text color="red" wrap="truncate-end">
          {terminalSafe(error)}
        </Text>
      ) : lines.length === 0 ? (
        <Text dimColor wrap="truncate-end">
          {empty}
        </Text>
      ) : (
        lines.map((line) => (
          <Text key={line.key} color={line.warning ? 'yellow' : undefined} wrap="truncate-end">
            {line.text}
          </Text>
        ))
      )}
    </Box>
  );
}
