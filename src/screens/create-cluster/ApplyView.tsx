// Creating and watching: the store write, the reconcile tasks with spinners
// and results, then the cluster coming up (instances launching, nodes joining
// and turning Ready, validation), with elapsed time. A failure says what
// failed and offers a retry; success says where the kubeconfig is and what next.
import { Box, Text } from 'ink';
import Spinner from 'ink-spinner';
import type { CreatePhase } from '../../engine/create/index.js';
import type { ModelSnapshot } from '../../engine/live-model/types.js';
import type { KeyAction } from '../../input/actions.js';
import { useBodySize } from '../../hooks/useBodySize.js';
import type { ClusterCreation, TaskProgress } from '../../hooks/useClusterCreation.js';
import { useScreenActions } from '../../hooks/useKeymap.js';

export interface ApplyViewProps {
  cluster: string;
  creation: ClusterCreation;
  onOpenCluster(): void;
  onLeave(): void;
}

const PHASE_WORDS: Record<CreatePhase, string> = {
  store: 'writing the spec to the state store',
  plan: 'planning the cloud resources',
  apply: 'creating the cloud resources',
  connect: 'waiting for the Kubernetes API',
  boot: 'waiting for the cluster to come up and validate',
};

export function formatElapsed(ms: number): string {
  const total = Math.floor(ms / 1000);
  const minutes = Math.floor(total / 60);
  return `${minutes}:${String(total % 60).padStart(2, '0')}`;
}

function Busy({ children }: { children: string }) {
  return (
    <Text>
      <Text color="cyan">
        <Spinner type="dots" />
      </Text>
      {` ${children}`}
    </Text>
  );
}

const TASK_MARK: Record<TaskProgress['state'], [string, string | undefined]> = {
  pending: ['·', undefined],
  running: ['', 'cyan'],
  retrying: ['↻', 'yellow'],
  done: ['✓', 'green'],
  failed: ['✗', 'red'],
  skipped: ['-', 'yellow'],
};

function TaskLine({ task }: { task: TaskProgress }) {
  const [mark, color] = TASK_MARK[task.state];
  const name = `${task.ref.action === 'create' ? 'create' : 'modify'} ${task.ref.kind}/${task.ref.name}`;
  return (
    <Text wrap="truncate-end">
      {'  '}
      {task.state === 'running' ? (
        <Text color="cyan">
          <Spinner type="dots" />
        </Text>
      ) : (
        <Text color={color}>{mark}</Text>
      )}
      {` ${name}`}
      {task.detail ? <Text dimColor={task.state === 'done'} color={task.state === 'failed' ? 'red' : undefined}>{`  ${task.detail}`}</Text> : null}
    </Text>
  );
}

/** The tasks worth a line: failures and work in flight first, then the latest finished. */
function visibleTasks(tasks: TaskProgress[], rows: number): TaskProgress[] {
  const urgent = tasks.filter((t) => t.state === 'failed' || t.state === 'running' || t.state === 'retrying' || t.state === 'skipped');
  const done = tasks.filter((t) => t.state === 'done');
  return [...urgent, ...done.slice(Math.max(0, done.length - Math.max(0, rows - urgent.length)))].slice(0, rows);
}

function TaskList({ tasks, rows, finished }: { tasks: TaskProgress[]; rows: number; finished: boolean }) {
  const done = tasks.filter((t) => t.state === 'done').length;
  const shown = finished && tasks.every((t) => t.state === 'done') ? [] : visibleTasks(tasks, rows);
  return (
    <Box flexDirection="column">
      <Text>
        <Text bold>Cloud resources: </Text>
        {`${done} of ${tasks.length} done`}
        {tasks.length > 0 && done === tasks.length ? <Text color="green"> ✓</Text> : null}
      </Text>
      {shown.map((task) => (
        <TaskLine key={task.ref.key} task={task} />
      ))}
    </Box>
  );
}

function GroupsTable({ snapshot }: { snapshot: ModelSnapshot }) {
  const width = Math.max(14, ...snapshot.instanceGroups.map((g) => g.name.length)) + 2;
  return (
    <Box flexDirection="column">
      <Text dimColor>{`  ${'INSTANCE GROUP'.padEnd(width)}${'TARGET'.padEnd(8)}${'LAUNCHED'.padEnd(10)}${'JOINED'.padEnd(8)}READY`}</Text>
      {snapshot.instanceGroups.map((g) => {
        const joined = snapshot.nodes.filter((n) => n.instanceGroup === g.name).length;
        const complete = g.ready >= g.target;
        return (
          <Text key={g.name} wrap="truncate-end">
            {`  ${g.name.padEnd(width)}${String(g.target).padEnd(8)}${String(g.instances).padEnd(10)}${String(joined).padEnd(8)}`}
            <Text color={complete ? 'green' : 'yellow'}>{`${g.ready}/${g.target}`}</Text>
          </Text>
        );
      })}
    </Box>
  );
}

export function ApplyView({ cluster, creation, onOpenCluster, onLeave }: ApplyViewProps) {
  const body = useBodySize();
  const { state, elapsedMs } = creation;
  const running = state.status === 'running';
  const actions: KeyAction[] = [];
  if (state.status === 'ready') actions.push({ key: 'enter', aliases: ['o'], label: 'open the cluster view', run: onOpenCluster });
  if (state.status === 'failed' || state.status === 'cancelled') {
    actions.push({ key: 'r', label: 'retry (safe: only what is missing is made)', run: creation.retry });
    actions.push({ key: 'l', label: 'leave it for later', run: onLeave });
  }
  if (running) actions.push({ key: 'escape', label: 'stop watching (what exists stays)', run: onLeave });
  else actions.push({ key: 'escape', label: 'back to the clusters', run: onLeave });
  useScreenActions('Creating cluster', actions);

  const afterApply = state.phase === 'connect' || state.phase === 'boot' || state.status === 'ready';
  const taskRows = Math.max(3, body.rows - (afterApply ? 18 : 8));
  const snapshot = state.snapshot;
  const attempt = state.attempt;
  const nodesReady = snapshot ? `${snapshot.counts.nodesReady} of ${snapshot.counts.nodes} nodes Ready, ${snapshot.counts.instances} instances` : '';
  return (
    <Box flexDirection="column" width={body.columns}>
      <Text>
        <Text bold color="cyan">{`Creating ${cluster}`}</Text>
        {`  elapsed ${formatElapsed(elapsedMs)}`}
        {state.runs > 1 ? <Text dimColor>{`  (attempt ${state.runs})`}</Text> : null}
      </Text>
      {state.stored ? (
        <Text color="green">{`✓ Spec ${state.stored.alreadyThere ? 'already in' : 'written to'} ${state.stored.storeUrl}`}</Text>
      ) : running ? (
        <Busy>Writing the spec to the state store</Busy>
      ) : null}
      {state.phase && state.phase !== 'store' ? <TaskList tasks={state.tasks} rows={taskRows} finished={afterApply} /> : null}
      {running && state.phase === 'plan' ? <Busy>Finding what already exists in the cloud</Busy> : null}
      {afterApply ? (
        <Box flexDirection="column" marginTop={1}>
          <Text bold>The cluster coming up:</Text>
          {running && state.phase === 'connect' ? <Busy>{`Waiting for the Kubernetes API (kubeconfig context ${cluster})`}</Busy> : null}
          {snapshot ? <GroupsTable snapshot={snapshot} /> : null}
          {snapshot ? <Text>{`  ${nodesReady}`}</Text> : null}
          {attempt ? (
            attempt.result.ok ? (
              <Text color="green">{`✓ Validation passed (attempt ${attempt.attempt})`}</Text>
            ) : (
              <Box flexDirection="column">
                <Text color="yellow">{`  Validation attempt ${attempt.attempt}: ${attempt.result.failures.length} check(s) not passing yet`}</Text>
                {attempt.result.failures.slice(0, 4).map((f, i) => (
                  <Text key={i} dimColor wrap="truncate-end">{`    ${f.message}`}</Text>
                ))}
              </Box>
            )
          ) : null}
          {running && state.phase === 'boot' ? <Busy>Waiting for every node to join and be Ready, and validation to pass</Busy> : null}
        </Box>
      ) : null}
      {state.status === 'failed' && state.failure ? <Failure cluster={cluster} failure={state.failure} /> : null}
      {state.status === 'cancelled' ? (
        <Text color="yellow">{`Stopped. What was created stays; r resumes, or later: kopsdeck update cluster ${cluster} --yes`}</Text>
      ) : null}
      {state.status === 'ready' && state.ready ? <Ready cluster={cluster} elapsed={formatElapsed(elapsedMs)} {...state.ready} /> : null}
    </Box>
  );
}

function Failure({ cluster, failure }: { cluster: string; failure: NonNullable<ClusterCreation['state']['failure']> }) {
  return (
    <Box flexDirection="column" borderStyle="round" borderColor="red" paddingX={1} marginTop={1}>
      <Text color="red" bold>{`Failed while ${PHASE_WORDS[failure.phase]}: ${failure.message}`}</Text>
      {failure.details.slice(0, 6).map((line, i) => (
        <Text key={i} wrap="truncate-end">{`  ${line}`}</Text>
      ))}
      <Text color="yellow">
        {`r retries (safe: what exists is kept, only the rest is made) · l leaves it for later: kopsdeck update cluster ${cluster} --yes`}
      </Text>
    </Box>
  );
}

function Ready({ cluster, elapsed, kubeconfigPath, context }: { cluster: string; elapsed: string; kubeconfigPath: string; context: string }) {
  return (
    <Box flexDirection="column" marginTop={1}>
      <Text color="green" bold>{`✓ Cluster ${cluster} is ready: it validated after ${elapsed}.`}</Text>
      <Text>{`Kubeconfig: ${kubeconfigPath} (context ${context})`}</Text>
      <Text bold>Next:</Text>
      <Text>{'  Enter      open the cluster view (instance groups, nodes, health)'}</Text>
      <Text>{`  kubectl --kubeconfig ${kubeconfigPath} --context ${context} get nodes`}</Text>
      <Text>{`  kopsdeck validate cluster ${cluster}`}</Text>
      <Text>{'  To upgrade Kubernetes later, in this order:'}</Text>
      <Text>{`    1. set the new version: kopsdeck edit cluster ${cluster}  (spec.kubernetesVersion)`}</Text>
      <Text>{`       or the next recommended one: kopsdeck upgrade cluster ${cluster} --yes`}</Text>
      <Text>{`    2. kopsdeck update cluster ${cluster} --yes  (writes the new launch templates)`}</Text>
      <Text>{`    3. kopsdeck rolling-update cluster ${cluster} --yes  (replaces the instances)`}</Text>
    </Box>
  );
}
