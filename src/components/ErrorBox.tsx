// A failure, said plainly: what happened, the underlying message, and what the
// user can do next.
import { Box, Text } from 'ink';

export interface ErrorBoxProps {
  /** What failed, e.g. "Could not read the state store". */
  title: string;
  error?: Error | string;
  /** What to do next, e.g. "Check --state, then press r to retry." */
  hint?: string;
  width?: number;
}

export function ErrorBox({ title, error, hint, width }: ErrorBoxProps) {
  const message = typeof error === 'string' ? error : error?.message;
  return (
    <Box flexDirection="column" borderStyle="round" borderColor="red" paddingX={1} width={width}>
      <Text color="red" bold>
        {title}
      </Text>
      {message ? <Text>{message}</Text> : null}
      {hint ? <Text color="yellow">{hint}</Text> : null}
    </Box>
  );
}
