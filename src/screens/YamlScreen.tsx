// A pod's or a node's YAML as `kubectl get -o yaml` prints it (managedFields
// left out), read fresh from the API server when the screen opens and on r;
// scrollable, Esc goes back.
import { Box, Text } from 'ink';
import { useMemo } from 'react';
import { ErrorBox } from '../components/ErrorBox.js';
import { LiveGate } from '../components/LiveGate.js';
import { Loading } from '../components/Loading.js';
import { TextView, TEXT_VIEW_CHROME_ROWS } from '../components/TextView.js';
import { apiMessage } from '../engine/kube/client.js';
import { podPath } from '../engine/kube/pod-ops.js';
import type { KeyAction } from '../input/actions.js';
import type { Route } from '../navigation/routes.js';
import { useBodySize } from '../hooks/useBodySize.js';
import { useScreenActions } from '../hooks/useKeymap.js';
import { useLiveCluster } from '../hooks/useLiveCluster.js';
import { useObjectYaml } from '../hooks/useObjectYaml.js';
import { useScroll } from '../hooks/useScroll.js';
import { yamlTitle } from './yaml-title.js';

type YamlRoute = Extract<Route, { name: 'yaml' }>;

const TITLE_ROWS = 1;

function apiPath(route: YamlRoute): string {
  return route.kind === 'pod' ? podPath({ namespace: route.namespace ?? 'default', name: route.object }) : `/api/v1/nodes/${encodeURIComponent(route.object)}`;
}

export function YamlScreen({ route }: { route: YamlRoute }) {
  const body = useBodySize();
  const { state } = useLiveCluster(route.cluster, 'nodes');
  const kube = state.status === 'live' ? state.kube : undefined;
  const path = apiPath(route);
  const yaml = useObjectYaml(kube, path);
  const lines = useMemo(() => (yaml.value ?? '').replace(/\n$/, '').split('\n'), [yaml.value]);
  const height = Math.max(1, body.rows - TITLE_ROWS - TEXT_VIEW_CHROME_ROWS);
  const scroll = useScroll('yaml', yaml.value === undefined ? 0 : lines.length, height);
  const actions: KeyAction[] = [{ key: 'r', aliases: ['ctrl+r'], label: 'read again', disabled: !kube, run: yaml.reload }, ...scroll.actions];
  useScreenActions('YAML', actions, { cluster: route.cluster });

  const what = yamlTitle(route);
  return (
    <Box flexDirection="column">
      <Text bold color="cyan" wrap="truncate-end">{`YAML of ${what} (${route.cluster})`}</Text>
      <LiveGate cluster={route.cluster} state={state} ready={kube !== undefined} width={body.columns}>
        {() =>
          yaml.status === 'error' ? (
            <ErrorBox title={`Could not read ${what}`} error={apiMessage(yaml.error)} hint="Press r to read it again, or Esc to go back." width={body.columns} />
          ) : yaml.value === undefined ? (
            <Loading label={`Reading ${what} from the API server`} />
          ) : (
            <TextView lines={lines} scroll={scroll} height={height} width={body.columns} />
          )
        }
      </LiveGate>
    </Box>
  );
}
