// One container's log, followed by default: new lines appear as the container
// writes them and the view stays on the newest ones unless scrolled up. f stops
// following (or follows again), p switches to the previous run's log (the
// container before its last restart) and back.
import { Box, Text } from 'ink';
import { useMemo, useState } from 'react';
import { TextView, TEXT_VIEW_CHROME_ROWS } from '../../components/TextView.js';
import type { KubeClient } from '../../engine/kube/client.js';
import { asSentence } from '../../engine/output/sentence.js';
import { terminalSafe } from '../../engine/output/terminal-safe.js';
import type { PodLogRequest } from '../../engine/kube/pod-logs.js';
import type { KeyAction } from '../../input/actions.js';
import type { Route } from '../../navigation/routes.js';
import { useBodySize } from '../../hooks/useBodySize.js';
import { useScreenActions } from '../../hooks/useKeymap.js';
import { MAX_LOG_LINES, usePodLog, type PodLog } from '../../hooks/usePodLog.js';
import { useRouteMemory } from '../../hooks/useRouter.js';
import { useScroll } from '../../hooks/useScroll.js';

type LogsRoute = Extract<Route, { name: 'pod-logs' }>;

const TITLE_ROWS = 2;

export interface LogViewProps {
  route: LogsRoute;
  kube: KubeClient;
  container: string;
}

export function LogView({ route, kube, container }: LogViewProps) {
  const body = useBodySize();
  const [previous, setPrevious] = useRouteMemory('logs:previous', false);
  // Bumped to read the log anew (follow again after a stop or an end).
  const [reading, setReading] = useState(0);
  const request = useMemo<PodLogRequest>(
    // The previous run is over: its log is read whole, not followed.
    () => ({ namespace: route.namespace, name: route.pod, container, previous, follow: !previous, tailLines: MAX_LOG_LINES }),
    // eslint-disable-next-line react-hooks/exhaustive-deps -- `reading` is a counter: bumping it makes a new request object, which reads the log again
    [route.namespace, route.pod, container, previous, reading],
  );
  const log = usePodLog(kube, request);
  const height = Math.max(1, body.rows - TITLE_ROWS - TEXT_VIEW_CHROME_ROWS);
  // Both open on the newest lines (a previous run's end is usually why one looks at it).
  const scroll = useScroll(`logs:${previous ? 'previous' : 'current'}`, log.lines.length, height, 'Scroll', { stickToBottom: true });
  const following = log.phase === 'following';

  const actions: KeyAction[] = [
    following
      ? { key: 'f', label: 'stop following', run: log.stop }
      : { key: 'f', label: 'follow', disabled: previous, run: () => setReading((n) => n + 1) },
    { key: 'p', label: previous ? 'current run' : 'previous run', run: () => setPrevious((on) => !on) },
    ...scroll.actions,
  ];
  useScreenActions('Logs', actions, { cluster: route.cluster });

  return (
    <Box flexDirection="column">
      <Text bold color="cyan" wrap="truncate-end">
        {`Logs of ${route.namespace}/${route.pod}, container ${container}${previous ? ', previous run' : ''} (${route.cluster})`}
      </Text>
      <LogStatus log={log} previous={previous} />
      <TextView lines={log.lines} scroll={scroll} height={height} width={body.columns} />
    </Box>
  );
}

function LogStatus({ log, previous }: { log: PodLog; previous: boolean }) {
  const dropped = log.dropped > 0 ? ` (${log.dropped} older lines dropped: the newest ${MAX_LOG_LINES} are kept)` : '';
  switch (log.phase) {
    case 'loading':
      return <Text dimColor>Reading the log…</Text>;
    case 'following':
      return <Text color="green" wrap="truncate-end">{`Following: new lines appear as they are written; f stops.${dropped}`}</Text>;
    case 'stopped':
      return <Text color="yellow" wrap="truncate-end">{`Not following; f follows again (reading the newest lines anew).${dropped}`}</Text>;
    case 'ended':
      return previous ? (
        <Text dimColor wrap="truncate-end">{`The previous run's log (that run has ended); p shows the current run.${dropped}`}</Text>
      ) : (
        <Text color="yellow" wrap="truncate-end">{`The server ended the log (the container stopped, the pod is gone, or the connection closed); f reads it again.${dropped}`}</Text>
      );
    case 'error':
      return (
        <Text color="red" wrap="truncate-end">
          {`${asSentence(terminalSafe(log.error ?? ''))}${previous ? ' p shows the current run.' : ' f tries again.'}`}
        </Text>
      );
  }
}
