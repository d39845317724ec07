// The state a screen shows while it waits: a spinner and what it is waiting for.
import { Box, Text } from 'ink';
import Spinner from 'ink-spinner';

export function Loading({ label }: { label: string }) {
  return (
    <Box>
      <Text color="cyan">
        <Spinner type="dots" />
      </Text>
      <Text> {label}</Text>
    </Box>
  );
}
