// A scrollable block of text (YAML, logs): shows the lines in the window,
// truncated to the width, and where the window is.
import { Box, Text } from 'ink';
import { terminalSafe } from '../engine/output/terminal-safe.js';
import type { Scroll } from '../hooks/useScroll.js';

export interface TextViewProps {
  lines: readonly string[];
  scroll: Scroll;
  height: number;
  width: number;
}

export function TextView({ lines, scroll, height, width }: TextViewProps) {
  const shown = lines.slice(scroll.offset, scroll.offset + height);
  const last = Math.min(lines.length, scroll.offset + height);
  const percent = scroll.maxOffset === 0 ? 100 : Math.round((scroll.offset / scroll.maxOffset) * 100);
  return (
    <Box flexDirection="column" width={width}>
      <Box flexDirection="column" height={height} overflowY="hidden">
        {shown.map((line, i) => (
          <Text key={scroll.offset + i} wrap="truncate-end">
            {line === '' ? ' ' : terminalSafe(line)}
          </Text>
        ))}
      </Box>
      <Text dimColor wrap="truncate-end">
        {`lines ${lines.length === 0 ? 0 : scroll.offset + 1}-${last} of ${lines.length} (${percent}%)`}
      </Text>
    </Box>
  );
}

/** Lines a TextView needs besides its text window (the position line). */
export const TEXT_VIEW_CHROME_ROWS = 1;
