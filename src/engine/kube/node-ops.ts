// Cordon, uncordon and drain, as kubectl does them: drain evicts through the
// policy/v1 Eviction subresource so PodDisruptionBudgets are honoured; a 429
// (the budget allows no disruption now) is retried every 5 s; DaemonSet and
// mirror pods are left alone; pods with emptyDir volumes are evicted (their
// data is lost, and reported); the drain fails at its timeout naming the pods
// still there and the budgets blocking them.
import { setMaxListeners } from 'node:events';
import { linkedSignal } from '../abort/linked-signal.js';
import type { Clock } from '../clock.js';
import { apiMessage, KubeApiError, type KubeClient } from './client.js';
import { retryOnConflict } from './conflict-retry.js';
import { describePod, listNodePods, listPdbs, type NodePodRow, type PdbRef } from './node-pods.js';
import type { KubeNode, KubePod } from './types.js';

export async function setUnschedulable(client: KubeClient, nodeName: string, unschedulable: boolean): Promise<KubeNode> {
  return client.request<KubeNode>('PATCH', `/api/v1/nodes/${encodeURIComponent(nodeName)}`, {
    body: { spec: { unschedulable: unschedulable ? true : null } },
    contentType: 'application/merge-patch+json',
  });
}

export const cordon = (client: KubeClient, nodeName: string) => setUnschedulable(client, nodeName, true);

/** Uncordons, and forgets which rollout had cordoned it. */
export function uncordon(client: KubeClient, nodeName: string): Promise<KubeNode> {
  return client.request<KubeNode>('PATCH', `/api/v1/nodes/${encodeURIComponent(nodeName)}`, {
    body: { metadata: { annotations: { [CORDONED_BY_ROLLOUT]: null } }, spec: { unschedulable: null } },
    contentType: 'application/merge-patch+json',
  });
}

/**
 * Set with the cordon a rollout makes, to the rollout's id: a run resumed
 * after a crash between its cordon and its journal entry knows the cordon is
 * its own, and never mistakes it for someone else's.
 */
export const CORDONED_BY_ROLLOUT = 'kopsdeck.io/cordoned-by-rollout';

/**
 * Cordons a node for the rollout `rolloutId`, in one write with the
 * annotation that says so, at the version read (a cordon made meanwhile by
 * someone else is seen, not overwritten). True when the cordon is this
 * rollout's (made now, or by an earlier run of it); false when the node was
 * cordoned by someone else: a rollout gives back only its own cordons.
 */
export async function cordonForRollout(client: KubeClient, nodeName: string, rolloutId: string): Promise<boolean> {
  const path = `/api/v1/nodes/${encodeURIComponent(nodeName)}`;
  return retryOnConflict(async () => {
    const node = await client.request<KubeNode>('GET', path);
    if (node.spec?.unschedulable === true) return node.metadata.annotations?.[CORDONED_BY_ROLLOUT] === rolloutId;
    await client.request('PATCH', path, {
      body: { metadata: { resourceVersion: node.metadata.resourceVersion, annotations: { [CORDONED_BY_ROLLOUT]: rolloutId } }, spec: { unschedulable: true } },
      contentType: 'application/merge-patch+json',
    });
    return true;
  });
}

export interface PodRef {
  namespace: string;
  name: string;
}

export type DrainProgress =
  | { type: 'plan'; node: string; evict: PodRef[]; skipped: { pod: PodRef; reason: 'daemonset' | 'mirror' | 'finished' }[]; emptyDir: PodRef[] }
  | { type: 'evicted'; pod: PodRef }
  | { type: 'blocked'; pod: PodRef; pdb?: PdbRef; message: string; retryInMs: number }
  | { type: 'gone'; pod: PodRef }
  | { type: 'done'; node: string; evicted: PodRef[] };

export interface DrainOptions {
  clock: Clock;
  /** Clock ms; default 15 minutes (kops' drain timeout). */
  timeoutMs?: number;
  /** Clock ms between eviction retries after a 429; default 5000 (as kubectl). */
  retryIntervalMs?: number;
  /** Clock ms between checks that an evicted pod is gone; default 1000. */
  pollIntervalMs?: number;
  /** Cordon before evicting (as kubectl drain); default true. */
  cordon?: boolean;
  onProgress?: (event: DrainProgress) => void;
  signal?: AbortSignal;
}

export interface DrainResult {
  node: string;
  evicted: PodRef[];
  skipped: PodRef[];
  emptyDir: PodRef[];
}

export interface BlockedPod {
  pod: PodRef;
  pdb?: PdbRef;
  /** Why it is still there: the last eviction answer, or that it was evicted but has not terminated. */
  reason: string;
}

export class DrainTimeoutError extends Error {
  constructor(
    readonly node: string,
    readonly blocked: BlockedPod[],
    timeoutMs: number,
  ) {
    super(
      `drain of node ${node} did not finish within ${formatMs(timeoutMs)}: ${blocked.length} pod(s) still on it: ` +
        blocked.map(describeBlocked).join('; '),
    );
    this.name = 'DrainTimeoutError';
  }
}

export async function drain(client: KubeClient, nodeName: string, opts: DrainOptions): Promise<DrainResult> {
  const { clock, signal } = opts;
  const emit = opts.onProgress ?? (() => undefined);
  const timeoutMs = opts.timeoutMs ?? 15 * 60_000;
  const deadline = clock.now() + timeoutMs;
  if (opts.cordon !== false) await cordon(client, nodeName);

  const [pods, pdbs] = await Promise.all([listNodePods(client, nodeName, signal), listPdbs(client, signal)]);
  const rows = pods.map((pod) => ({ pod, row: describePod(pod, pdbs) }));
  const toEvict = rows.filter((r) => r.row.disposition === 'evict');
  const skipped = rows.filter((r) => r.row.disposition !== 'evict');
  const emptyDir = toEvict.filter((r) => r.row.emptyDir).map((r) => ref(r.row));
  emit({
    type: 'plan',
    node: nodeName,
    evict: toEvict.map((r) => ref(r.row)),
    skipped: skipped.map((r) => ({ pod: ref(r.row), reason: skipReason(r.row) })),
    emptyDir,
  });

  // Every pod is evicted at once, each request listening on the signal: a
  // child signal of its own, allowed that many listeners, keeps the caller's
  // limit (and its leak warning) for real leaks.
  const evictions = signal ? linkedSignal(signal) : undefined;
  if (evictions) setMaxListeners(toEvict.length + 10, evictions.signal);
  const ctx: EvictionContext = { client, clock, deadline, emit, signal: evictions?.signal, retryMs: opts.retryIntervalMs ?? 5000, pollMs: opts.pollIntervalMs ?? 1000 };
  const outcomes = await Promise.all(toEvict.map(({ pod, row }) => evictAndWait(ctx, pod, row))).finally(() => evictions?.dispose());
  const blocked = outcomes.filter((o): o is BlockedPod => o !== null);
  if (blocked.length > 0) throw new DrainTimeoutError(nodeName, blocked, timeoutMs);
  const evicted = toEvict.map((r) => ref(r.row));
  emit({ type: 'done', node: nodeName, evicted });
  return { node: nodeName, evicted, skipped: skipped.map((r) => ref(r.row)), emptyDir };
}

interface EvictionContext {
  client: KubeClient;
  clock: Clock;
  deadline: number;
  emit: (event: DrainProgress) => void;
  signal?: AbortSignal;
  retryMs: number;
  pollMs: number;
}

/** Evicts one pod (retrying while a budget blocks it) and waits for it to go. null when gone; the blocker at the deadline. */
async function evictAndWait(ctx: EvictionContext, pod: KubePod, row: NodePodRow): Promise<BlockedPod | null> {
  const podRef = ref(row);
  const podPath = `/api/v1/namespaces/${encodeURIComponent(podRef.namespace)}/pods/${encodeURIComponent(podRef.name)}`;
  let lastBlock: BlockedPod = { pod: podRef, pdb: row.pdb, reason: 'not evicted yet' };
  for (;;) {
    ctx.signal?.throwIfAborted();
    try {
      await ctx.client.request('POST', `${podPath}/eviction`, { body: evictionBody(podRef), signal: ctx.signal });
      ctx.emit({ type: 'evicted', pod: podRef });
      break;
    } catch (error) {
      if (error instanceof KubeApiError && error.status === 404) {
        ctx.emit({ type: 'gone', pod: podRef });
        return null;
      }
      if (ctx.signal?.aborted) throw error;
      lastBlock = await blockerOf(ctx, pod, podRef, error);
      const retryInMs = Math.min(ctx.retryMs, ctx.deadline - ctx.clock.now());
      ctx.emit({ type: 'blocked', pod: podRef, pdb: lastBlock.pdb, message: lastBlock.reason, retryInMs: Math.max(0, retryInMs) });
      if (retryInMs <= 0) return lastBlock;
      await ctx.clock.sleep(retryInMs, ctx.signal);
    }
  }
  return waitGone(ctx, pod, podPath, podRef);
}

async function waitGone(ctx: EvictionContext, pod: KubePod, podPath: string, podRef: PodRef): Promise<BlockedPod | null> {
  for (;;) {
    try {
      const current = await ctx.client.request<KubePod>('GET', podPath, { signal: ctx.signal });
      // Same name, new uid: a StatefulSet recreated it; the evicted one is gone.
      if (pod.metadata.uid && current.metadata.uid !== pod.metadata.uid) break;
    } catch (error) {
      if (error instanceof KubeApiError && error.status === 404) break;
      if (ctx.signal?.aborted) throw error;
    }
    const waitMs = Math.min(ctx.pollMs, ctx.deadline - ctx.clock.now());
    if (waitMs <= 0) return { pod: podRef, reason: 'evicted but still terminating' };
    await ctx.clock.sleep(waitMs, ctx.signal);
  }
  ctx.emit({ type: 'gone', pod: podRef });
  return null;
}

/** Names the budget behind a refused eviction, with its allowance as the API reports it now. */
async function blockerOf(ctx: EvictionContext, pod: KubePod, podRef: PodRef, error: unknown): Promise<BlockedPod> {
  const message = apiMessage(error);
  if (!(error instanceof KubeApiError) || error.status !== 429) return { pod: podRef, reason: message };
  try {
    const row = describePod(pod, await listPdbs(ctx.client, ctx.signal));
    return { pod: podRef, pdb: row.pdb, reason: message };
  } catch {
    return { pod: podRef, reason: message };
  }
}

function evictionBody(pod: PodRef) {
  return { apiVersion: 'policy/v1', kind: 'Eviction', metadata: { name: pod.name, namespace: pod.namespace } };
}

function ref(row: { namespace: string; name: string }): PodRef {
  return { namespace: row.namespace, name: row.name };
}

function skipReason(row: NodePodRow): 'daemonset' | 'mirror' | 'finished' {
  if (row.disposition === 'skip-daemonset') return 'daemonset';
  if (row.disposition === 'skip-mirror') return 'mirror';
  return 'finished';
}

function describeBlocked(b: BlockedPod): string {
  const pod = `${b.pod.namespace}/${b.pod.name}`;
  if (b.pdb) return `${pod} (blocked by PodDisruptionBudget ${b.pdb.namespace}/${b.pdb.name}, ${b.pdb.disruptionsAllowed} disruption(s) allowed)`;
  return `${pod} (${b.reason})`;
}

export function formatMs(ms: number): string {
  if (ms % 60_000 === 0) return `${ms / 60_000}m`;
  if (ms % 1000 === 0) return `${ms / 1000}s`;
  return `${ms}ms`;
}
