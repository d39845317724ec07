// A source cluster on the simulator (the rollout harness), a rehearsal of its
// planned rolling update in a private simulator, and the real rolling update
// in the source simulator, each measured on its own simulated clock.
//
// Source clusters run at the rehearsal's speed (REHEARSAL_SPEED). Every request
// costs simulated time in proportion to the speed, so on a loaded machine two
// clocks at different speeds drift apart: at 100x against 50x the real run
// measured 18% longer than predicted in CI; at equal speeds, 0.1% apart under
// the same load.
import { upgradeCluster } from '../../src/engine/rollout/upgrade.js';
import { planRollout, startRollout, type RolloutOptions } from '../../src/engine/rollout/run-rollout.js';
import type { RolloutEvent, RolloutPlan } from '../../src/engine/rollout/types.js';
import { rehearse } from '../../src/engine/rehearse/run-rehearsal.js';
import type { RehearsalReport } from '../../src/engine/rehearse/types.js';
import { rehearsalWorldOpener } from '../../src/startup/rehearsal-world.js';
import { until, type RolloutHarness } from '../helpers/sim-rollout.js';
import type { KubeList, KubePod } from '../../src/engine/kube/types.js';

/** Makes every worker out of date (a minor upgrade of the spec, applied to the cloud), and returns the plan. */
export async function outOfDate(h: RolloutHarness, version: string): Promise<RolloutPlan> {
  await upgradeCluster(h.store, h.name, version);
  await h.update();
  const connected = await h.connect();
  try {
    return await planRollout(connected.deps, { cluster: h.name, roles: ['node'] });
  } finally {
    await connected.close();
  }
}

export type RollSettings = Pick<RolloutOptions, 'timings' | 'failOnDrainError'>;

/** The rehearsal at its default speed (the command's). */
export async function rehearseHarness(h: RolloutHarness, plan: RolloutPlan, options: RollSettings = {}): Promise<RehearsalReport> {
  return rehearse({ cluster: h.name, source: { kube: h.kube, clients: h.clients, store: h.store }, plan, options, openWorld: rehearsalWorldOpener() });
}

export interface MeasuredRun {
  status: string;
  durationMs: number;
  groups: Map<string, number>;
  /** Nodes whose drain was blocked, with the budgets that blocked it. */
  blocked: Map<string, Set<string>>;
  /** Simulated ms from the start at which each wave started. */
  waveStarts: number[];
}

/** The real rolling update (of the planned groups) in the source simulator, measured on its simulated clock. */
export async function rollForReal(h: RolloutHarness, plan: RolloutPlan, options: RollSettings = {}): Promise<MeasuredRun> {
  const connected = await h.connect();
  try {
    const run = startRollout(connected.deps, { cluster: h.name, instanceGroups: plan.order, breakStaleLock: true, ...options });
    const events: RolloutEvent[] = [];
    const start = h.clock.now();
    const waveStarts: number[] = [];
    run.subscribe((e) => {
      events.push(e);
      if (e.type === 'wave-started') waveStarts.push(h.clock.now() - start);
    });
    const result = await run.done;
    const groups = new Map<string, number>();
    const blocked = new Map<string, Set<string>>();
    let durationMs = 0;
    for (const e of events) {
      if (e.type === 'group-finished') groups.set(e.group, e.durationMs);
      if (e.type === 'finished') durationMs = e.durationMs;
      if (e.type === 'drain-blocked') {
        const set = blocked.get(e.nodeName) ?? new Set<string>();
        for (const b of e.blocked) if (b.pdb) set.add(`${b.pdb.namespace}/${b.pdb.name}`);
        blocked.set(e.nodeName, set);
      }
    }
    return { status: result.status, durationMs, groups, blocked, waveStarts };
  } finally {
    await connected.close();
  }
}

/** |predicted - measured| / measured. */
export function relativeError(predicted: number, measured: number): number {
  return Math.abs(predicted - measured) / measured;
}

/** A Deployment of `replicas` pause pods labelled app=NAME in `namespace`, and optionally its budget. */
export async function addWorkload(h: RolloutHarness, o: { namespace: string; name: string; replicas: number; pdb?: { minAvailable?: number; maxUnavailable?: number } }): Promise<void> {
  const labels = { app: o.name };
  await h.kube.request('POST', `/apis/apps/v1/namespaces/${o.namespace}/deployments`, {
    body: {
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: { name: o.name, namespace: o.namespace },
      spec: { replicas: o.replicas, selector: { matchLabels: labels }, template: { metadata: { labels }, spec: { containers: [{ name: 'main', image: 'registry.k8s.io/pause:3.10' }] } } },
    },
  });
  if (o.pdb) {
    await h.kube.request('POST', `/apis/policy/v1/namespaces/${o.namespace}/poddisruptionbudgets`, {
      body: { apiVersion: 'policy/v1', kind: 'PodDisruptionBudget', metadata: { name: o.name, namespace: o.namespace }, spec: { selector: { matchLabels: labels }, ...o.pdb } },
    });
  }
}

export async function setUnschedulable(h: RolloutHarness, nodes: string[], on: boolean): Promise<void> {
  for (const node of nodes) {
    await h.kube.request('PATCH', `/api/v1/nodes/${node}`, { body: { spec: { unschedulable: on } }, contentType: 'application/merge-patch+json' });
  }
}

/** Until every pod of app=NAME is Ready (bounded, wall ms). */
export function waitForApp(h: RolloutHarness, namespace: string, name: string, replicas: number): Promise<KubePod[]> {
  return until(`${replicas} Ready pods of ${name}`, async () => {
    const pods = (await h.kube.request<KubeList<KubePod>>('GET', `/api/v1/namespaces/${namespace}/pods?labelSelector=app%3D${name}`)).items;
    const ready = pods.filter((p) => p.status?.conditions?.some((c) => c.type === 'Ready' && c.status === 'True'));
    return ready.length === replicas ? ready : undefined;
  }, 20_000);
}

export const workerNames = async (h: RolloutHarness) =>
  (await h.nodes()).filter((n) => n.metadata.labels?.['node-role.kubernetes.io/node'] !== undefined).map((n) => n.metadata.name).sort();
