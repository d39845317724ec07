// A cluster's spec and its instance groups as kops YAML, scrollable.
import { Box } from 'ink';
import { useMemo } from 'react';
import { ErrorBox } from '../components/ErrorBox.js';
import { Loading } from '../components/Loading.js';
import { TextView, TEXT_VIEW_CHROME_ROWS } from '../components/TextView.js';
import type { KeyAction } from '../input/actions.js';
import { useBodySize } from '../hooks/useBodySize.js';
import { ClusterNotFoundError, useClusterSpec } from '../hooks/useClusterSpec.js';
import { useScreenActions } from '../hooks/useKeymap.js';
import { useScroll } from '../hooks/useScroll.js';


export function ClusterSpecScreen({ cluster }: { cluster: string }) {
  const body = useBodySize();
  const spec = useClusterSpec(cluster);
  const lines = useMemo(() => (spec.value ?? '').replace(/\n$/, '').split('\n'), [spec.value]);
  const height = Math.max(1, body.rows - TEXT_VIEW_CHROME_ROWS);
  const scroll = useScroll('spec', spec.value === undefined ? 0 : lines.length, height);
  const actions: KeyAction[] = [{ key: 'r', aliases: ['ctrl+r'], label: 'reload', run: spec.reload }, ...scroll.actions];
  useScreenActions('Cluster spec', actions, { cluster });

  if (spec.status === 'error') {
    const missing = spec.error instanceof ClusterNotFoundError;
    return (
      <Box flexDirection="column">
        <ErrorBox
          title={missing ? `No cluster named ${cluster}` : `Could not read the spec of ${cluster}`}
          error={spec.error}
          hint={missing ? 'Press Esc to go back, or type :clusters to list the clusters in the store.' : 'Press r to retry, or Esc to go back.'}
          width={body.columns}
        />
      </Box>
    );
  }
  if (spec.value === undefined) {
    return (
      <Box flexDirection="column">
        <Loading label={`Reading the spec of ${cluster}`} />
      </Box>
    );
  }
  return (
    <TextView lines={lines} scroll={scroll} height={height} width={body.columns} />
  );
}
