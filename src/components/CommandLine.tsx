// The line above the footer: the open prompt (`:` command or `/` filter) with
// its completion candidates, or else the latest message.
import { Text } from 'ink';
import type { FlashLevel } from '../hooks/useShell.js';
import { fit } from './cells.js';

export interface PromptView {
  prefix: string;
  text: string;
  candidates: readonly string[];
}

export interface CommandLineProps {
  prompt?: PromptView;
  message?: { text: string; level: FlashLevel };
  width: number;
}

export const COMMAND_LINE_ROWS = 1;
const levelColor: Record<FlashLevel, string> = { info: 'green', warn: 'yellow', error: 'red' };

export function CommandLine({ prompt, message, width }: CommandLineProps) {
  if (prompt) {
    const typed = `${prompt.prefix}${prompt.text}█`;
    const rest = prompt.candidates.length > 0 ? `   ${prompt.candidates.join('  ')}` : '';
    return (
      <Text wrap="truncate-end">
        <Text color="cyan" bold>
          {typed}
        </Text>
        <Text dimColor>{fit(rest, Math.max(0, width - typed.length))}</Text>
      </Text>
    );
  }
  if (message) {
    return (
      <Text color={levelColor[message.level]} wrap="truncate-end">
        {message.text}
      </Text>
    );
  }
  return <Text> </Text>;
}
