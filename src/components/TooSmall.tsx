// Shown instead of the console when the terminal is below the minimum size.
import { Box, Text } from 'ink';
import type { TerminalSize } from '../hooks/useTerminalSize.js';

export function TooSmall({ size, min }: { size: TerminalSize; min: TerminalSize }) {
  return (
    <Box flexDirection="column">
      <Text>{`Terminal too small: ${size.columns}x${size.rows}.`}</Text>
      <Text>{`kopsdeck needs at least ${min.columns}x${min.rows}. Enlarge the window, or press q to quit.`}</Text>
    </Box>
  );
}
