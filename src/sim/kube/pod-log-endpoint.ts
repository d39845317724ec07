// GET /api/v1/namespaces/<ns>/pods/<name>/log, as the API server and the
// kubelet behind it answer it: plain text lines; `container` (required when
// the pod has several), `previous`, `tailLines` and `follow`. Errors carry the
// real messages: 404 for an unknown pod, 400 for an unknown container, for a
// container that has not started, and for `previous` when the container never
// restarted. A followed log streams new lines as simulated time passes and
// ends when the container stops or the pod is gone.
import type { ServerResponse } from 'node:http';
import type { ClusterWorld } from './cluster-world.js';
import type { ObjectRequest } from './object-handlers.js';
import { logLines, nextLineAt, type ContainerRun, type LogLine } from './pod-log-lines.js';
import { badRequest, failure, notFound, sendStatus, type StatusBody } from './status.js';
import { objectKey, type KubeObject } from './types.js';

interface ContainerSpec {
  name: string;
  image: string;
}

interface TerminatedState {
  startedAt?: string;
  finishedAt?: string;
  exitCode?: number;
  reason?: string;
  containerID?: string;
}

interface ContainerStatus {
  name: string;
  containerID?: string;
  state?: { running?: { startedAt?: string }; waiting?: { reason?: string }; terminated?: TerminatedState };
  lastState?: { terminated?: TerminatedState };
}

function specContainers(pod: KubeObject, field: 'containers' | 'initContainers'): ContainerSpec[] {
  return (pod.spec?.[field] as ContainerSpec[] | undefined) ?? [];
}

function statusOf(pod: KubeObject, container: string): ContainerStatus | undefined {
  const all = [...((pod.status?.containerStatuses as ContainerStatus[] | undefined) ?? []), ...((pod.status?.initContainerStatuses as ContainerStatus[] | undefined) ?? [])];
  return all.find((status) => status.name === container);
}

/** The container the request names, or the API server's refusal (it validates before asking the kubelet). */
function chooseContainer(pod: KubeObject, requested: string): ContainerSpec | StatusBody {
  const name = pod.metadata.name;
  const containers = specContainers(pod, 'containers');
  const init = specContainers(pod, 'initContainers');
  if (!requested) {
    if (containers.length === 1) return containers[0];
    if (containers.length === 0) return badRequest(`a container name must be specified for pod ${name}`);
    const initChoice = init.length ? ` or one of the init containers: [${init.map((c) => c.name).join(' ')}]` : '';
    return badRequest(`a container name must be specified for pod ${name}, choose one of: [${containers.map((c) => c.name).join(' ')}]${initChoice}`);
  }
  const found = [...containers, ...init].find((c) => c.name === requested);
  return found ?? badRequest(`container ${requested} is not valid for pod ${name}`);
}

function terminatedRun(base: Omit<ContainerRun, 'startedAt'>, state: TerminatedState): ContainerRun {
  const finishedAt = Date.parse(state.finishedAt ?? '') || 0;
  const startedAt = Date.parse(state.startedAt ?? '') || finishedAt;
  return { ...base, startedAt, exit: { at: finishedAt, code: state.exitCode ?? 0, reason: state.reason ?? (state.exitCode ? 'Error' : 'Completed') } };
}

/** The run whose log is asked for, or the kubelet's refusal (as the API server passes it on: 400 with its sentence). */
function runOf(pod: KubeObject, container: ContainerSpec, previous: boolean): ContainerRun | StatusBody {
  const podName = pod.metadata.name;
  const status = statusOf(pod, container.name);
  if (!status) return badRequest(`container "${container.name}" in pod "${podName}" is not available`);
  const base = {
    namespace: pod.metadata.namespace ?? 'default',
    pod: podName,
    node: pod.spec?.nodeName as string,
    container: container.name,
    image: container.image,
    podIP: pod.status?.podIP as string | undefined,
  };
  const last = status.lastState?.terminated;
  if (previous) {
    if (!last?.containerID) return badRequest(`previous terminated container "${container.name}" in pod "${podName}" not found`);
    return terminatedRun(base, last);
  }
  const state = status.state ?? {};
  if (state.running) {
    const deletion = pod.metadata.deletionTimestamp ? Date.parse(pod.metadata.deletionTimestamp) : undefined;
    const grace = (pod.metadata.deletionGracePeriodSeconds ?? 30) * 1000;
    return { ...base, startedAt: Date.parse(state.running.startedAt ?? '') || 0, stoppingAt: deletion === undefined ? undefined : deletion - grace };
  }
  if (state.terminated?.containerID) return terminatedRun(base, state.terminated);
  if (last?.containerID) return terminatedRun(base, last);
  if (state.terminated) return badRequest(`container "${container.name}" in pod "${podName}" is terminated`);
  return badRequest(`container "${container.name}" in pod "${podName}" is waiting to start: ${state.waiting?.reason ?? 'ContainerCreating'}`);
}

function parseTailLines(pod: string, raw: string | null): number | undefined | StatusBody {
  if (raw === null || raw === '') return undefined;
  if (!/^-?\d+$/.test(raw)) return badRequest(`strconv.ParseInt: parsing ${JSON.stringify(raw)}: invalid syntax`);
  const tail = Number(raw);
  if (tail < 0) return failure(422, 'Invalid', `PodLogOptions "${pod}" is invalid: tailLines: Invalid value: ${tail}: must be greater than or equal to 0`);
  return tail;
}

function isTrue(query: URLSearchParams, name: string): boolean {
  const value = query.get(name);
  return value === 'true' || value === '1';
}

function isStatus(value: unknown): value is StatusBody {
  return typeof value === 'object' && value !== null && (value as StatusBody).kind === 'Status';
}

export function servePodLog(world: ClusterWorld, r: ObjectRequest, res: ServerResponse, openStreams: Set<() => void>): void {
  const key = objectKey(r.namespace, r.name!);
  const pod = world.store.get('pods', key);
  if (!pod) return sendStatus(res, notFound('pods', r.name!));
  const container = chooseContainer(pod, r.query.get('container') ?? '');
  if (isStatus(container)) return sendStatus(res, container);
  const tail = parseTailLines(pod.metadata.name, r.query.get('tailLines'));
  if (isStatus(tail)) return sendStatus(res, tail);
  // A pod not yet scheduled has no kubelet to ask: the API server answers with an empty log.
  if (!pod.spec?.nodeName) return void res.writeHead(200, { 'Content-Type': 'text/plain' }).end();
  const previous = isTrue(r.query, 'previous');
  const run = runOf(pod, container, previous);
  if (isStatus(run)) return sendStatus(res, run);

  res.writeHead(200, { 'Content-Type': 'text/plain', 'Cache-Control': 'no-cache, private', 'Transfer-Encoding': 'chunked' });
  const lines = logLines(run, world.now());
  const shown = tail === undefined ? lines : tail === 0 ? [] : lines.slice(-tail);
  res.write(shown.map((line) => line.text + '\n').join(''));
  // A terminated run has written everything it ever will.
  if (!isTrue(r.query, 'follow') || run.exit) return void res.end();
  follow(world, pod, run, lines, res, openStreams);
}

/** Keeps writing the run's lines as they are due, until its container stops, the pod goes, or the client leaves. */
function follow(world: ClusterWorld, pod: KubeObject, start: ContainerRun, sent: LogLine[], res: ServerResponse, openStreams: Set<() => void>): void {
  const clock = world.deps.clock;
  const uid = pod.metadata.uid;
  const containerID = statusOf(pod, start.container)?.containerID;
  let run = start;
  let lastSeq = sent.at(-1)?.seq ?? -1;
  let finalSent = sent.some((line) => line.final);
  let cancelTimer: (() => void) | undefined;
  let finished = false;

  const writeDue = () => {
    const fresh = logLines(run, clock.now()).filter((line) => line.seq > lastSeq || (line.final && !finalSent));
    if (fresh.length === 0) return;
    lastSeq = Math.max(lastSeq, ...fresh.map((line) => line.seq));
    finalSent ||= fresh.some((line) => line.final);
    if (!res.destroyed) res.write(fresh.map((line) => line.text + '\n').join(''));
  };
  const arm = () => {
    cancelTimer?.();
    const at = nextLineAt(run, clock.now());
    cancelTimer = at === undefined ? undefined : clock.after(at - clock.now(), () => {
      writeDue();
      arm();
    });
  };
  const finish = () => {
    if (finished) return;
    finished = true;
    cancelTimer?.();
    unsubscribe();
    openStreams.delete(finish);
    if (!res.destroyed) res.end();
  };
  const unsubscribe = world.store.subscribe((event) => {
    const now = event.holder.obj;
    if (event.resource !== 'pods' || now.metadata.name !== pod.metadata.name || now.metadata.namespace !== pod.metadata.namespace) return;
    const status = statusOf(now, start.container);
    // The pod is gone, or this container stopped or was replaced: its log ends there.
    if (event.type === 'DELETED' || now.metadata.uid !== uid || status?.containerID !== containerID || !status?.state?.running) return finish();
    const next = runOf(now, { name: start.container, image: start.image }, false);
    if (isStatus(next)) return finish();
    run = next;
    writeDue();
    arm();
  });
  openStreams.add(finish);
  res.on('close', finish);
  arm();
}
