// PodDisruptionBudget arithmetic as the disruption controller does it
// (expected, healthy, desired, allowed), the status it writes, the eviction
// verdict, and the accounting of moments a budget was broken.
import { labelsMatch, requirementsOf, selectorMatches } from '../../engine/kube/label-selector.js';
import type { ClusterWorld } from './cluster-world.js';
import { failure, type StatusBody } from './status.js';
import { controllerOf, isPodReady, keyOf, objectKey, timestamp, type KubeObject } from './types.js';

export interface BudgetFigures {
  expectedPods: number;
  currentHealthy: number;
  desiredHealthy: number;
  disruptionsAllowed: number;
}

function scaled(value: number | string, total: number): number {
  if (typeof value === 'number') return value;
  const percent = /^(\d+)%$/.exec(value);
  if (percent) return Math.ceil((Number(percent[1]) * total) / 100);
  return Number(value) || 0;
}

function isIntegerValue(value: unknown): boolean {
  return typeof value === 'number' || (typeof value === 'string' && /^\d+$/.test(value));
}

export function podsOfBudget(world: ClusterWorld, pdb: KubeObject): KubeObject[] {
  const requirements = requirementsOf(pdb.spec?.selector);
  if (!requirements) return [];
  return world.store
    .objectsByIndex('pods', 'namespace', pdb.metadata.namespace!)
    .filter((pod) => pod.status?.phase !== 'Succeeded' && pod.status?.phase !== 'Failed')
    .filter((pod) => labelsMatch(requirements, pod.metadata.labels));
}

/** The desired scale of the controllers behind these pods (Deployment over its ReplicaSet). */
function controllersScale(world: ClusterWorld, pods: KubeObject[]): number {
  const seen = new Map<string, number>();
  for (const pod of pods) {
    const ref = controllerOf(pod);
    if (!ref) continue;
    const namespace = pod.metadata.namespace!;
    if (ref.kind === 'ReplicaSet') {
      const rs = world.store.get('replicasets', objectKey(namespace, ref.name));
      const deploymentRef = rs && controllerOf(rs);
      const deployment = deploymentRef && world.store.get('deployments', objectKey(namespace, deploymentRef.name));
      if (deployment) seen.set(deployment.metadata.uid!, deployment.spec?.replicas ?? 1);
      else if (rs) seen.set(rs.metadata.uid!, rs.spec?.replicas ?? 1);
    } else if (ref.kind === 'DaemonSet') {
      const ds = world.store.get('daemonsets', objectKey(namespace, ref.name));
      if (ds) seen.set(ds.metadata.uid!, ds.status?.desiredNumberScheduled ?? 0);
    } else {
      seen.set(ref.uid, (seen.get(ref.uid) ?? 0) + 1);
    }
  }
  return [...seen.values()].reduce((a, b) => a + b, 0);
}

export function budgetFigures(world: ClusterWorld, pdb: KubeObject): BudgetFigures {
  const pods = podsOfBudget(world, pdb);
  const currentHealthy = pods.filter((pod) => !pod.metadata.deletionTimestamp && isPodReady(pod)).length;
  const { minAvailable, maxUnavailable } = pdb.spec ?? {};
  let expectedPods: number;
  let desiredHealthy: number;
  if (minAvailable !== undefined && isIntegerValue(minAvailable)) {
    expectedPods = pods.length;
    desiredHealthy = Number(minAvailable);
  } else if (minAvailable !== undefined) {
    expectedPods = controllersScale(world, pods);
    desiredHealthy = scaled(minAvailable, expectedPods);
  } else {
    expectedPods = controllersScale(world, pods);
    desiredHealthy = Math.max(0, expectedPods - scaled(maxUnavailable ?? 0, expectedPods));
  }
  const disruptionsAllowed = expectedPods > 0 ? Math.max(0, currentHealthy - desiredHealthy) : 0;
  return { expectedPods, currentHealthy, desiredHealthy, disruptionsAllowed };
}

export function refreshBudgets(world: ClusterWorld): void {
  for (const pdb of world.store.values('poddisruptionbudgets')) {
    const figures = budgetFigures(world, pdb);
    const key = keyOf(pdb);
    const previous = world.lastHealthy.get(key);
    if (previous !== undefined && figures.currentHealthy < previous && figures.currentHealthy < figures.desiredHealthy) {
      world.deps.stats.recordPdbViolation({
        cluster: world.name,
        namespace: pdb.metadata.namespace!,
        pdb: pdb.metadata.name,
        at: world.now(),
        healthy: figures.currentHealthy,
        desiredHealthy: figures.desiredHealthy,
      });
    }
    world.lastHealthy.set(key, figures.currentHealthy);
    writeBudgetStatus(world, pdb, figures);
  }
}

function writeBudgetStatus(world: ClusterWorld, pdb: KubeObject, figures: BudgetFigures): void {
  const status = pdb.status ?? {};
  const allowed = figures.disruptionsAllowed > 0 ? 'True' : 'False';
  const condition = (status.conditions as { status: string }[] | undefined)?.[0];
  const unchanged =
    status.expectedPods === figures.expectedPods &&
    status.currentHealthy === figures.currentHealthy &&
    status.desiredHealthy === figures.desiredHealthy &&
    status.disruptionsAllowed === figures.disruptionsAllowed &&
    condition?.status === allowed;
  if (unchanged) return;
  world.store.update('poddisruptionbudgets', keyOf(pdb), (draft) => {
    draft.status = {
      ...figures,
      observedGeneration: draft.metadata.generation ?? 1,
      conditions: [
        {
          type: 'DisruptionAllowed',
          status: allowed,
          reason: allowed === 'True' ? 'SufficientPods' : 'InsufficientPods',
          message: '',
          observedGeneration: draft.metadata.generation ?? 1,
          lastTransitionTime: condition?.status === allowed ? (status.conditions[0].lastTransitionTime as string) : timestamp(world.now()),
        },
      ],
    };
  });
}

export function budgetsCovering(world: ClusterWorld, pod: KubeObject): KubeObject[] {
  const found: KubeObject[] = [];
  for (const pdb of world.store.values('poddisruptionbudgets')) {
    if (pdb.metadata.namespace !== pod.metadata.namespace) continue;
    if (selectorMatches(pdb.spec?.selector, pod.metadata.labels)) found.push(pdb);
  }
  return found;
}

/** Undefined when the eviction may go ahead; otherwise the Status the API server answers. */
export function evictionRefusal(world: ClusterWorld, pod: KubeObject): StatusBody | undefined {
  const phase = pod.status?.phase;
  if (pod.metadata.deletionTimestamp || phase === 'Succeeded' || phase === 'Failed' || phase === 'Pending') return undefined;
  const budgets = budgetsCovering(world, pod);
  if (budgets.length === 0) return undefined;
  if (budgets.length > 1) {
    return failure(500, 'InternalError', 'This pod has more than one PodDisruptionBudget, which the eviction subresource does not support.');
  }
  const pdb = budgets[0];
  const figures = budgetFigures(world, pdb);
  // An unready pod does not count as healthy: evicting it costs the budget nothing.
  if (!isPodReady(pod) && figures.currentHealthy >= figures.desiredHealthy) return undefined;
  if (isPodReady(pod) && figures.disruptionsAllowed > 0) return undefined;
  return failure(429, 'TooManyRequests', "Cannot evict pod as it would violate the pod's disruption budget.", {
    causes: [
      {
        reason: 'DisruptionBudget',
        message: `The disruption budget ${pdb.metadata.name} needs ${figures.desiredHealthy} healthy pods and has ${figures.currentHealthy} currently`,
      },
    ],
  });
}
