// The controllers that keep workloads running: Deployment -> ReplicaSet ->
// pods, DaemonSet -> one pod per node, kubelet mirror pods for static
// control-plane manifests, and the status each workload reports.
import type { ClusterWorld } from './cluster-world.js';
import { templateHash } from './names.js';
import { boundStatus, mirrorPod, podFromTemplate } from './pod-factory.js';
import { deletePod } from './pod-lifecycle.js';
import { fitsTaints } from './scheduler.js';
import { controllerOf, isNodeReady, isPodActive, isPodReady, keyOf, objectKey, type KubeObject } from './types.js';
import { staticPodNames } from './workloads.js';

export function reconcileControllers(world: ClusterWorld): void {
  syncDeployments(world);
  syncReplicaSets(world);
  syncDaemonSets(world);
  syncStaticPods(world);
}

function ownedBy(world: ClusterWorld, resource: string, owner: KubeObject): KubeObject[] {
  const found: KubeObject[] = [];
  for (const obj of world.store.values(resource)) {
    if (obj.metadata.namespace === owner.metadata.namespace && controllerOf(obj)?.uid === owner.metadata.uid) found.push(obj);
  }
  return found;
}

function syncDeployments(world: ClusterWorld): void {
  for (const deployment of world.store.values('deployments')) {
    const template = deployment.spec?.template ?? {};
    const hash = templateHash(JSON.stringify(template));
    const rsName = `${deployment.metadata.name}-${hash}`;
    const replicas = (deployment.spec?.replicas as number | undefined) ?? 1;
    const namespace = deployment.metadata.namespace!;
    for (const old of ownedBy(world, 'replicasets', deployment)) {
      if (old.metadata.name !== rsName && old.spec?.replicas !== 0) {
        world.store.update('replicasets', keyOf(old), (draft) => {
          draft.spec = { ...draft.spec, replicas: 0 };
        });
      }
    }
    const current = world.store.get('replicasets', objectKey(namespace, rsName));
    if (!current) {
      world.create('replicasets', replicaSetFor(deployment));
    } else if (current.spec?.replicas !== replicas) {
      world.store.update('replicasets', keyOf(current), (draft) => {
        draft.spec = { ...draft.spec, replicas };
      });
    }
  }
}

/** The ReplicaSet a Deployment's current template runs in (not stored). */
export function replicaSetFor(deployment: KubeObject): KubeObject {
  const template = deployment.spec?.template ?? {};
  const hash = templateHash(JSON.stringify(template));
  const replicas = (deployment.spec?.replicas as number | undefined) ?? 1;
  const labels = { ...(template.metadata?.labels ?? {}), 'pod-template-hash': hash };
  return {
    apiVersion: 'apps/v1',
    kind: 'ReplicaSet',
    metadata: {
      name: `${deployment.metadata.name}-${hash}`,
      namespace: deployment.metadata.namespace,
      labels,
      annotations: { 'deployment.kubernetes.io/desired-replicas': String(replicas), 'deployment.kubernetes.io/revision': '1' },
      ownerReferences: [
        { apiVersion: 'apps/v1', kind: 'Deployment', name: deployment.metadata.name, uid: deployment.metadata.uid!, controller: true, blockOwnerDeletion: true },
      ],
    },
    spec: {
      replicas,
      selector: { matchLabels: { ...(deployment.spec?.selector?.matchLabels ?? {}), 'pod-template-hash': hash } },
      template: { ...template, metadata: { ...(template.metadata ?? {}), labels } },
    },
    status: { replicas: 0, readyReplicas: 0, availableReplicas: 0, fullyLabeledReplicas: 0, observedGeneration: 1 },
  };
}

function createPod(world: ClusterWorld, owner: KubeObject, nodeName?: string): KubeObject {
  let pod = podFromTemplate(owner, world.suffix(), nodeName);
  while (world.store.get('pods', keyOf(pod))) pod = podFromTemplate(owner, world.suffix(), nodeName);
  if (nodeName) {
    const node = world.store.get('nodes', nodeName);
    const hostIP = (node?.status?.addresses as { type: string; address: string }[] | undefined)?.find((a) => a.type === 'InternalIP')?.address;
    pod = { ...pod, status: boundStatus(pod, hostIP, world.now()) };
  }
  const created = world.create('pods', pod);
  if (!nodeName) return created;
  // The DaemonSet controller names the node; kube-scheduler binds the pod there.
  world.events.scheduled(created, nodeName);
  if (isNodeReady(world.store.get('nodes', nodeName)!)) world.schedulePodStart(created);
  return created;
}

/** Surplus pods go in the order the ReplicaSet controller picks: unscheduled, not ready, newest. */
function deletionRank(pod: KubeObject): [number, number, string] {
  return [pod.spec?.nodeName ? 1 : 0, isPodReady(pod) ? 1 : 0, pod.metadata.creationTimestamp ?? ''];
}

function syncReplicaSets(world: ClusterWorld): void {
  for (const rs of world.store.values('replicasets')) {
    const want = (rs.spec?.replicas as number | undefined) ?? 1;
    if (world.tally.of(rs.metadata.uid!).active === want) continue;
    const pods = world.store.objectsByIndex('pods', 'owner', rs.metadata.uid!).filter(isPodActive);
    for (let i = pods.length; i < want; i++) createPod(world, rs);
    if (pods.length > want) {
      const surplus = pods
        .sort((a, b) => {
          const ra = deletionRank(a);
          const rb = deletionRank(b);
          return ra[0] - rb[0] || ra[1] - rb[1] || rb[2].localeCompare(ra[2]);
        })
        .slice(0, pods.length - want);
      for (const pod of surplus) deletePod(world, pod.metadata.namespace!, pod.metadata.name);
    }
  }
}

function liveNodes(world: ClusterWorld): KubeObject[] {
  return world.nodes().filter((node) => !world.instanceOfNode(node.metadata.name)?.terminated);
}

function syncDaemonSets(world: ClusterWorld): void {
  const nodes = liveNodes(world);
  for (const ds of world.store.values('daemonsets')) {
    const covered = world.tally.of(ds.metadata.uid!).nodes;
    if (covered.size === nodes.length) continue;
    const probe = { spec: ds.spec?.template?.spec } as KubeObject;
    for (const node of nodes) {
      if (!covered.has(node.metadata.name) && fitsTaints(probe, node)) createPod(world, ds, node.metadata.name);
    }
  }
}

function roleOfNode(node: KubeObject): string {
  const labels = node.metadata.labels ?? {};
  if ('node-role.kubernetes.io/control-plane' in labels) return 'ControlPlane';
  if ('node-role.kubernetes.io/api-server' in labels) return 'APIServer';
  return 'Node';
}

function syncStaticPods(world: ClusterWorld): void {
  for (const node of liveNodes(world)) {
    const components = staticPodNames(roleOfNode(node));
    for (const component of components) {
      const key = objectKey('kube-system', `${component}-${node.metadata.name}`);
      if (world.store.get('pods', key)) continue;
      const version = (node.status?.nodeInfo?.kubeletVersion as string | undefined) ?? 'v1.30.0';
      const pod = mirrorPod(node, component, version, world.deps.random.hex(32));
      const created = world.create('pods', { ...pod, status: boundStatus(pod, pod.status?.hostIP, world.now()) });
      if (isNodeReady(node)) world.schedulePodStart(created);
    }
  }
}

function writeStatusIfChanged(world: ClusterWorld, resource: string, obj: KubeObject, status: Record<string, unknown>): void {
  const merged = { ...obj.status, ...status };
  if (JSON.stringify(merged) === JSON.stringify(obj.status)) return;
  world.store.update(resource, keyOf(obj), (draft) => {
    draft.status = merged;
  });
}

export function updateWorkloadStatus(world: ClusterWorld): void {
  for (const rs of world.store.values('replicasets')) {
    const { active, ready } = world.tally.of(rs.metadata.uid!);
    writeStatusIfChanged(world, 'replicasets', rs, {
      replicas: active,
      fullyLabeledReplicas: active,
      readyReplicas: ready,
      availableReplicas: ready,
      observedGeneration: rs.metadata.generation ?? 1,
    });
  }
  for (const deployment of world.store.values('deployments')) {
    const sets = ownedBy(world, 'replicasets', deployment);
    const hash = templateHash(JSON.stringify(deployment.spec?.template ?? {}));
    const sum = (field: string) => sets.reduce((total, rs) => total + ((rs.status?.[field] as number | undefined) ?? 0), 0);
    const current = sets.find((rs) => rs.metadata.name.endsWith(`-${hash}`));
    const replicas = sum('replicas');
    const available = sum('availableReplicas');
    const desired = (deployment.spec?.replicas as number | undefined) ?? 1;
    writeStatusIfChanged(world, 'deployments', deployment, {
      observedGeneration: deployment.metadata.generation ?? 1,
      replicas,
      readyReplicas: sum('readyReplicas'),
      availableReplicas: available,
      updatedReplicas: (current?.status?.replicas as number | undefined) ?? 0,
      unavailableReplicas: Math.max(0, desired - available),
    });
  }
  const nodeCount = liveNodes(world).length;
  for (const ds of world.store.values('daemonsets')) {
    const { active, ready } = world.tally.of(ds.metadata.uid!);
    writeStatusIfChanged(world, 'daemonsets', ds, {
      desiredNumberScheduled: nodeCount,
      currentNumberScheduled: active,
      updatedNumberScheduled: active,
      numberReady: ready,
      numberAvailable: ready,
      numberUnavailable: Math.max(0, nodeCount - ready),
      numberMisscheduled: 0,
      observedGeneration: ds.metadata.generation ?? 1,
    });
  }
}
