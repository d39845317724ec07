// One line under a wizard field: why the value is refused (red), what is
// risky about it (yellow), or what it will mean (green).
import { Text } from 'ink';
import type { FieldCheck } from '../../engine/create/index.js';

export function FieldCheckLine({ check }: { check: FieldCheck }) {
  if (check.error) return <Text color="red">{`✗ ${check.error}`}</Text>;
  if (check.warning) return <Text color="yellow">{`⚠ ${check.warning}`}</Text>;
  if (check.note) return <Text color="green">{`✓ ${check.note}`}</Text>;
  return <Text> </Text>;
}
