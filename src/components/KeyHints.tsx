// The footer: the current screen's key hints, then the global ones, on one
// line. When they do not all fit, each says less (its short label), then the
// optional ones are left out from the end; essential keys (abort, help) stay.
import { Text } from 'ink';
import { displayKey } from '../input/keys.js';
import { fitPieces } from './fit-pieces.js';

export interface Hint {
  key: string;
  label: string;
  /** The label in fewer words, for narrow terminals. */
  short?: string;
  /** Always shown in the footer. */
  essential?: boolean;
}

export const FOOTER_ROWS = 1;

/** The hints that fit in `width`, in order. */
export function fitHints(hints: readonly Hint[], width: number): string {
  const key = (hint: Hint) => `<${displayKey(hint.key)}>`;
  const pieces = hints.map((hint) => ({ long: `${key(hint)} ${hint.label}`, short: `${key(hint)} ${hint.short ?? hint.label}`, essential: hint.essential }));
  return fitPieces(pieces, width, '  ')
    .map((piece) => piece.text)
    .join('  ');
}

export function KeyHints({ hints, width }: { hints: readonly Hint[]; width: number }) {
  return (
    <Text color="blue" wrap="truncate-end">
      {fitHints(hints, width) || ' '}
    </Text>
  );
}
