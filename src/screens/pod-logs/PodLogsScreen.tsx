// A pod's logs: the pod is read fresh from the API to learn its containers;
// with one (or one named in the route) its log is shown, with several the
// user chooses first (Esc from the log comes back to the choice).
import { Box } from 'ink';
import { ErrorBox } from '../../components/ErrorBox.js';
import { LiveGate } from '../../components/LiveGate.js';
import { Loading } from '../../components/Loading.js';
import { apiMessage } from '../../engine/kube/client.js';
import { containersOf, type PodWithContainers } from '../../engine/kube/pod-containers.js';
import { podPath } from '../../engine/kube/pod-ops.js';
import type { Route } from '../../navigation/routes.js';
import { useAsync } from '../../hooks/useAsync.js';
import { useBodySize } from '../../hooks/useBodySize.js';
import { useScreenActions } from '../../hooks/useKeymap.js';
import { useLiveCluster } from '../../hooks/useLiveCluster.js';
import { ContainerList } from './ContainerList.js';
import { LogView } from './LogView.js';

type LogsRoute = Extract<Route, { name: 'pod-logs' }>;

export function PodLogsScreen({ route }: { route: LogsRoute }) {
  const body = useBodySize();
  const { state } = useLiveCluster(route.cluster, 'nodes');
  const kube = state.status === 'live' ? state.kube : undefined;
  const pod = useAsync(
    async () => (kube ? kube.request<PodWithContainers>('GET', podPath({ namespace: route.namespace, name: route.pod })) : undefined),
    [kube, route.namespace, route.pod],
  );
  const containers = pod.value ? containersOf(pod.value) : [];
  const container = route.container ?? (containers.length === 1 ? containers[0].name : undefined);

  const content = () => {
    if (pod.status === 'error') return <PodProblem title={`Could not read pod ${route.namespace}/${route.pod}`} message={apiMessage(pod.error)} reload={pod.reload} cluster={route.cluster} width={body.columns} />;
    if (!pod.value || !kube) return <Loading label={`Reading pod ${route.namespace}/${route.pod}`} />;
    if (containers.length === 0) return <PodProblem title={`Pod ${route.namespace}/${route.pod} has no containers`} reload={pod.reload} cluster={route.cluster} width={body.columns} />;
    if (container === undefined) return <ContainerList route={route} containers={containers} />;
    return <LogView route={route} kube={kube} container={container} />;
  };
  return (
    <Box flexDirection="column">
      <LiveGate cluster={route.cluster} state={state} ready={kube !== undefined} width={body.columns}>
        {content}
      </LiveGate>
    </Box>
  );
}

function PodProblem({ title, message, reload, cluster, width }: { title: string; message?: string; reload: () => void; cluster: string; width: number }) {
  useScreenActions('Logs', [{ key: 'r', aliases: ['ctrl+r'], label: 'read again', run: reload }], { cluster });
  return <ErrorBox title={title} error={message} hint="Press r to read the pod again, or Esc to go back." width={width} />;
}
