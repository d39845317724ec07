// The rehearsal of the planned rolling update (h on the plan): its progress
// while the private simulator runs it, then the report (engine/rehearse/render.ts).
import { Box, Text } from 'ink';
import { TextView, TEXT_VIEW_CHROME_ROWS } from '../../components/TextView.js';
import { Loading } from '../../components/Loading.js';
import { ErrorBox } from '../../components/ErrorBox.js';
import { renderRehearsal } from '../../engine/rehearse/render.js';
import type { RehearsalState } from '../../sessions/rehearsal-session.js';
import type { Scroll } from '../../hooks/useScroll.js';

export const REHEARSAL_VIEW_CHROME_ROWS = 2 + TEXT_VIEW_CHROME_ROWS;

export function rehearsalLines(state: RehearsalState): string[] {
  return state.report ? renderRehearsal(state.report) : [];
}

export interface RehearsalViewProps {
  cluster: string;
  state: RehearsalState;
  lines: readonly string[];
  scroll: Scroll;
  width: number;
  height: number;
}

export function RehearsalView({ cluster, state, lines, scroll, width, height }: RehearsalViewProps) {
  if (state.phase === 'running') return <Loading label={`Rehearsing the rolling update of ${cluster}: ${state.step ?? ''}…`} />;
  if (state.phase === 'error') return <ErrorBox title={`The rehearsal of ${cluster} failed`} error={state.error ?? 'no reason given'} hint="Nothing in the cluster was changed. Esc returns to the plan; h tries again." width={width} />;
  return (
    <Box flexDirection="column" width={width}>
      <Text bold color="cyan" wrap="truncate-end">{`Rehearsal of the rolling update of ${cluster}`}</Text>
      <TextView lines={lines} scroll={scroll} height={Math.max(1, height - REHEARSAL_VIEW_CHROME_ROWS)} width={width} />
      <Text dimColor wrap="truncate-end">Esc returns to the plan. Nothing in the cluster was changed.</Text>
    </Box>
  );
}
