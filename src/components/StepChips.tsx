// One line of steps, each with its state: ✓ done (with how long it took),
// a spinner while it runs (with how long so far), · still to come. The
// rolling-update screen shows one line per instance.
import { Text } from 'ink';
import Spinner from 'ink-spinner';
import { displayWidth } from '../engine/output/display-width.js';

export type ChipStatus = 'pending' | 'running' | 'done' | 'skipped' | 'stopped';

export interface Chip {
  label: string;
  status: ChipStatus;
  /** Shown after the label, e.g. "12s". */
  detail?: string;
  /** Colour of a running chip (yellow when it is stuck). */
  warn?: boolean;
}

function chipWidth(chip: Chip): number {
  const text = chip.detail ? `${chip.label} ${chip.detail}` : chip.label;
  return 2 + displayWidth(text) + (chip.status === 'stopped' ? ' (stopped)'.length : 0);
}

function lineWidth(chips: readonly Chip[]): number {
  return chips.reduce((sum, chip) => sum + chipWidth(chip), 0) + Math.max(0, chips.length - 1);
}

/**
 * The chips said in `width` columns: as they are when they fit; else the
 * finished steps fold into one "✓ N done"; else the steps to come after the
 * next one fold into "· N more". The running step and the next one always
 * show by name.
 */
export function compactChips(chips: readonly Chip[], width: number): readonly Chip[] {
  if (lineWidth(chips) <= width) return chips;
  const doneCount = chips.filter((c) => c.status === 'done').length;
  const rest = chips.filter((c) => c.status !== 'done');
  const folded: Chip[] = doneCount > 1 ? [{ label: `${doneCount} done`, status: 'done' }, ...rest] : [...chips];
  if (lineWidth(folded) <= width) return folded;
  const firstPending = folded.findIndex((c) => c.status === 'pending');
  const later = firstPending < 0 ? 0 : folded.length - firstPending - 1;
  if (later < 2) return folded;
  return [...folded.slice(0, firstPending + 1), { label: `${later} more`, status: 'pending' }];
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
