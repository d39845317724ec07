// The choices of a wizard step, with the cursor (›), the chosen ones marked,
// and a line of description each; long lists scroll around the cursor.
import { Box, Text } from 'ink';
import type { Choice } from '../../engine/create/index.js';

export interface ChoiceListProps {
  choices: readonly Choice[];
  chosen: readonly string[];
  cursor: number;
  multi: boolean;
  height: number;
  width: number;
}

export function ChoiceList({ choices, chosen, cursor, multi, height, width }: ChoiceListProps) {
  const rows = Math.max(1, height);
  const first = Math.max(0, Math.min(cursor - Math.floor(rows / 2), choices.length - rows));
  const shown = choices.slice(first, first + rows);
  const labelWidth = Math.min(28, Math.max(...choices.map((c) => c.label.length), 4));
  return (
    <Box flexDirection="column" width={width}>
      {first > 0 ? <Text dimColor>{`  ↑ ${first} more`}</Text> : null}
      {shown.map((choice, i) => {
        const index = first + i;
        const here = index === cursor;
        const picked = chosen.includes(choice.value);
        const mark = multi ? (picked ? '[x] ' : '[ ] ') : picked ? '● ' : '○ ';
        return (
          <Text key={choice.value || '(none)'} wrap="truncate-end">
            <Text color="cyan">{here ? '› ' : '  '}</Text>
            <Text color={picked ? 'green' : undefined} bold={here}>
              {mark + choice.label.padEnd(labelWidth)}
            </Text>
            {choice.description ? <Text dimColor>{`  ${choice.description}`}</Text> : null}
          </Text>
        );
      })}
      {first + rows < choices.length ? <Text dimColor>{`  ↓ ${choices.length - first - rows} more`}</Text> : null}
    </Box>
  );
}
