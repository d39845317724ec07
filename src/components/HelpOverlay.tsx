// `?`: every key of the current screen and the global ones, grouped, side by side.
import { Box, Text } from 'ink';
import { groupActions, type KeyAction } from '../hooks/actions.js';
import { displayKey } from '../hooks/keys.js';

export interface HelpOverlayProps {
  screenTitle: string;
  screenActions: readonly KeyAction[];
  globalActions: readonly KeyAction[];
  width: number;
  height: number;
}

function keysOf(action: KeyAction): string {
  return [action.key, ...(action.aliases ?? [])].map(displayKey).join('/');
}

function Group({ title, actions }: { title: string; actions: readonly KeyAction[] }) {
  const keyWidth = Math.max(...actions.map((a) => keysOf(a).length));
  return (
    <Box flexDirection="column" marginRight={3} marginBottom={1}>
      <Text bold color="cyan">
        {title}
      </Text>
      {actions.map((action, i) => (
        <Text key={i} dimColor={action.disabled}>
          <Text color={action.dangerous ? 'red' : 'yellow'}>{keysOf(action).padEnd(keyWidth)}</Text>
          {`  ${action.label}${action.dangerous ? ' (asks first)' : ''}`}
        </Text>
      ))}
    </Box>
  );
}

export function HelpOverlay({ screenTitle, screenActions, globalActions, width, height }: HelpOverlayProps) {
  const groups = [...groupActions(screenActions, screenTitle), ['Global', [...globalActions]] as const];
  return (
    <Box flexDirection="column" width={width} height={height} overflowY="hidden">
      <Text bold>{`Help: ${screenTitle}`}</Text>
      <Text dimColor>Press Esc or ? to close.</Text>
      <Box flexDirection="row" flexWrap="wrap" marginTop={1}>
        {groups.map(([title, actions]) => (
          <Group key={title} title={title} actions={actions} />
        ))}
      </Box>
    </Box>
  );
}
