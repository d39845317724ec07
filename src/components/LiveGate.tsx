// What every live screen shows before it has data: the step it is on (with a
// spinner and the counts listed so far), or what failed and what to do next.
// Once the cluster's caches have synced it renders its children.
import { Box, Text } from 'ink';
import type { ReactNode } from 'react';
import type { LiveSessionState } from '../sessions/live-sessions.js';
import { useTicker } from '../hooks/useLiveCluster.js';
import { ErrorBox } from './ErrorBox.js';
import { Loading } from './Loading.js';

export interface LiveGateProps {
  cluster: string;
  state: LiveSessionState;
  /** The caches the screen needs have synced. */
  ready: boolean;
  width: number;
  children: () => ReactNode;
}

export function LiveGate({ cluster, state, ready, width, children }: LiveGateProps) {
  if (state.status === 'error') {
    return <ErrorBox title={state.title} error={state.message} hint={state.hint} width={width} />;
  }
  if (state.status === 'connecting') return <Loading label={`${state.step}…`} />;
  if (!ready) return <Syncing cluster={cluster} state={state} />;
  return <>{children()}</>;
}

function Syncing({ cluster, state }: { cluster: string; state: Extract<LiveSessionState, { status: 'live' }> }) {
  const { live } = state;
  // Counts grow while pages of the lists arrive; a few refreshes a second is plenty.
  const progress = useTicker(() => {
    const snapshot = live.model.snapshot();
    return { nodes: live.nodes.size, pods: live.pods?.size ?? 0, cloud: live.model.hasCloud, kubeError: snapshot.kubeError, cloudError: snapshot.cloudError };
  }, 250);
  const waiting = [
    `nodes (${progress.nodes} so far)`,
    `pods (${progress.pods} so far)`,
    progress.cloud ? undefined : 'instance groups from the cloud',
  ].filter(Boolean);
  return (
    <Box flexDirection="column">
      <Loading label={`Listing ${waiting.join(', ')} of ${cluster} from ${state.server}`} />
      {progress.kubeError ? <Text color="yellow">{`${progress.kubeError} (retrying)`}</Text> : null}
      {progress.cloudError ? <Text color="yellow">{`${progress.cloudError} (retrying)`}</Text> : null}
    </Box>
  );
}
