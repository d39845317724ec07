// The y/N question every dangerous action goes through. No is the default:
// Enter and Esc answer no.
import { Box, Text } from 'ink';

export interface ConfirmDialogProps {
  message: string;
  detail?: readonly string[];
  width: number;
}

export function ConfirmDialog({ message, detail = [], width }: ConfirmDialogProps) {
  return (
    <Box flexDirection="column" borderStyle="double" borderColor="red" paddingX={1} width={Math.min(width, 72)}>
      <Text bold color="red">
        {message}
      </Text>
      {detail.map((line, i) => (
        <Text key={i}>{line}</Text>
      ))}
      <Text>
        <Text bold color="yellow">
          y
        </Text>
        {' yes   '}
        <Text bold color="yellow">
          N
        </Text>
        {' no (Enter/Esc)'}
      </Text>
    </Box>
  );
}
