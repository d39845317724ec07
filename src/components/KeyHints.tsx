// The footer: the current screen's key hints, then the global ones, as many as
// fit on one line.
import { Text } from 'ink';
import { displayKey } from '../hooks/keys.js';

export interface Hint {
  key: string;
  label: string;
}

export const FOOTER_ROWS = 1;

/** The hints that fit in `width`, in order; hints that do not fit are left out. */
export function fitHints(hints: readonly Hint[], width: number): string {
  let line = '';
  for (const hint of hints) {
    const piece = `<${displayKey(hint.key)}> ${hint.label}`;
    const next = line === '' ? piece : `${line}  ${piece}`;
    if (next.length > width) continue;
    line = next;
  }
  return line;
}

export function KeyHints({ hints, width }: { hints: readonly Hint[]; width: number }) {
  return (
    <Text color="blue" wrap="truncate-end">
      {fitHints(hints, width) || ' '}
    </Text>
  );
}
