// A failure, said plainly: what happened, the underlying message, and what the
// user can do next.
import { Box, Text } from 'ink';
import { terminalSafe } from '../engine/output/terminal-safe.js';

export interface ErrorBoxProps {
  /** What failed, e.g. "Could not read the state store". */
  title: string;
  error?: Error | string;
  /** What to do next, e.g. "Check --state, then press r to retry." */
  hint?: string;
  width?: number;
}

export function ErrorBox({ title, error, hint, width }: ErrorBoxProps) {
  // The message often quotes outside text (an API's error, a file's name): shown, never obeyed.
  const raw = typeof error === 'string' ? error : error?.message;
  const message = raw === undefined ? undefined : terminalSafe(raw);
  return (
    <Box flexDirection="column" borderStyle="round" borderColor="red" paddingX={1} width={width}>
      <Text color="red" bold>
        {title}
      </Text>
      {message ? <Text>{message}</Text> : null}
      {hint ? <Text color="yellow">{terminalSafe(hint)}</Text> : null}
    </Box>
  );
}
