// One line of steps, each with its state: ✓ done (with how long it took),
// a spinner while it runs (with how long so far), · still to come. The
// rolling-update screen shows one line per instance.
import { Text } from 'ink';
import Spinner from 'ink-spinner';

export type ChipStatus = 'pending' | 'running' | 'done' | 'skipped' | 'stopped';

export interface Chip {
  label: string;
  status: ChipStatus;
  /** Shown after the label, e.g. "12s". */
  detail?: string;
  /** Colour of a running chip (yellow when it is stuck). */
  warn?: boolean;
}

export function StepChips({ chips }: { chips: readonly Chip[] }) {
  return (
    <>
      {chips.map((chip, i) => (
        <Text key={`${i}-${chip.label}`}>
          {i > 0 ? ' ' : ''}
          <ChipView chip={chip} />
        </Text>
      ))}
    </>
  );
}

function ChipView({ chip }: { chip: Chip }) {
  const text = chip.detail ? `${chip.label} ${chip.detail}` : chip.label;
  switch (chip.status) {
    case 'done':
      return <Text color="green">{`✓ ${text}`}</Text>;
    case 'running':
      return (
        <Text color={chip.warn ? 'yellow' : 'cyan'} bold>
          <Spinner type="dots" />
          {` ${text}`}
        </Text>
      );
    case 'stopped':
      return <Text color="red">{`■ ${text} (stopped)`}</Text>;
    case 'skipped':
      return <Text color="yellow">{`⤼ ${text}`}</Text>;
    default:
      return <Text dimColor>{`· ${text}`}</Text>;
  }
}
