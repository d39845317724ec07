// A kubelet's life as the API server sees it: an instance boots and registers
// its Node (NotReady), becomes Ready unless a fault says otherwise, and when
// the instance is terminated the Node goes Unknown, loses its pods and is removed.
import type { SimInstanceInfo } from '../contracts.js';
import type { ClusterWorld, InstanceRecord } from './cluster-world.js';
import { buildNode, nodeConditions } from './node-object.js';
import { staticPodImage } from './pod-factory.js';
import { staticPodNames } from './workloads.js';
import { removePodsOnNode } from './pod-lifecycle.js';
import type { BootInfo } from './user-data.js';

/** Simulated delays (ms). */
export const BOOT_TO_REGISTER_MS = 15_000;
export const REGISTER_TO_READY_MS = 10_000;

/**
 * How long a kubelet takes, once its instance runs, to register its Node and
 * then to report Ready. The defaults above unless the world is given others
 * (a rehearsal gives the times measured on the cluster it stands in for).
 */
export interface BootTiming {
  bootToRegisterMs: number;
  registerToReadyMs: number;
}
export const TERMINATED_NODE_REMOVAL_MS = 20_000;

export function nodeNameOf(instance: SimInstanceInfo): string {
  if (instance.privateDnsName) return instance.privateDnsName;
  return `ip-${instance.privateIp.replace(/\./g, '-')}.ec2.internal`;
}

export function instanceRunning(world: ClusterWorld, instance: SimInstanceInfo, boot: BootInfo): void {
  world.noteVersion(boot.kubernetesVersion);
  if (boot.role === 'Bastion') return; // bastions never join the cluster
  const existing = world.instance(instance.instanceId);
  if (existing && !existing.terminated) return;
  const faults = world.deps.faults;
  let neverReady = faults.neverReadyInstances.includes(instance.instanceId);
  if (!neverReady && faults.neverReadyNext > 0) {
    faults.neverReadyNext -= 1;
    faults.neverReadyInstances.push(instance.instanceId);
    neverReady = true;
  }
  const record: InstanceRecord = {
    instanceId: instance.instanceId,
    nodeName: nodeNameOf(instance),
    zone: instance.zone,
    instanceType: instance.instanceType,
    privateIp: instance.privateIp,
    instanceGroup: boot.instanceGroup,
    role: boot.role,
    kubernetesVersion: boot.kubernetesVersion,
    ...(boot.containerdVersion ? { containerdVersion: boot.containerdVersion } : {}),
    ...(neverReady ? { neverReady } : {}),
  };
  world.addInstance(record);
  const jitter = Math.floor(world.deps.random.next() * 4000) - 2000;
  world.timeline.in(Math.max(0, (world.deps.bootTiming?.bootToRegisterMs ?? BOOT_TO_REGISTER_MS) + jitter), { kind: 'registerNode', instanceId: instance.instanceId });
}

const PAUSE_IMAGE = 'registry.k8s.io/pause:3.10';

/**
 * The images a kops node holds once its system pods run: the pause image, its
 * role's static pods' and every DaemonSet's (a tainted node that a DaemonSet
 * does not tolerate is counted as holding it too: the list is for its size and
 * shape, not read for scheduling).
 */
export function nodeImageReferences(world: ClusterWorld, record: InstanceRecord): string[] {
  const references = new Set([PAUSE_IMAGE]);
  for (const component of staticPodNames(record.role)) references.add(staticPodImage(component, `v${record.kubernetesVersion}`));
  for (const daemonSet of world.store.values('daemonsets')) {
    const containers = (daemonSet.spec?.template as { spec?: { containers?: { image?: string }[] } } | undefined)?.spec?.containers ?? [];
    for (const container of containers) if (container.image) references.add(container.image);
  }
  return [...references];
}

export function registerNode(world: ClusterWorld, instanceId: string): void {
  const record = world.instance(instanceId);
  if (!record || record.terminated || world.store.get('nodes', record.nodeName)) return;
  world.create('nodes', buildNode(record, world.nextNodeSerial(), world.now(), 'False', nodeImageReferences(world, record)));
  world.timeline.in(world.deps.bootTiming?.registerToReadyMs ?? REGISTER_TO_READY_MS, { kind: 'nodeReady', node: record.nodeName });
}

function neverReady(world: ClusterWorld, record: InstanceRecord | undefined): boolean {
  if (!record) return false;
  return record.neverReady === true || world.deps.faults.neverReadyInstances.includes(record.instanceId);
}

export function markNodeReady(world: ClusterWorld, nodeName: string): void {
  const record = world.instanceOfNode(nodeName);
  if (!world.store.get('nodes', nodeName) || record?.terminated || neverReady(world, record)) return;
  // A kubeadm cluster without a network add-on: the kubelet keeps reporting "cni plugin not initialized".
  if (world.kubeadm && !world.network) return;
  world.store.update('nodes', nodeName, (draft) => {
    draft.status = { ...draft.status, conditions: nodeConditions('True', world.now()) };
  });
  // Pods bound while the node was not ready start now.
  for (const pod of world.store.objectsByIndex('pods', 'node', nodeName)) {
    if (pod.status?.phase === 'Pending' && !pod.metadata.deletionTimestamp) world.schedulePodStart(pod);
  }
}

export function instanceTerminated(world: ClusterWorld, instanceId: string): void {
  const record = world.instance(instanceId);
  if (!record || record.terminated) return;
  record.terminated = true;
  const nodeName = record.nodeName;
  if (world.store.get('nodes', nodeName)) {
    world.store.update('nodes', nodeName, (draft) => {
      draft.status = { ...draft.status, conditions: nodeConditions('Unknown', world.now()) };
      const taints = ((draft.spec?.taints as { key: string }[] | undefined) ?? []).filter(
        (t) => t.key !== 'node.kubernetes.io/unreachable',
      );
      const at = new Date(world.now()).toISOString().replace(/\.\d+Z$/, 'Z');
      taints.push({ key: 'node.kubernetes.io/unreachable', effect: 'NoSchedule', timeAdded: at } as never);
      taints.push({ key: 'node.kubernetes.io/unreachable', effect: 'NoExecute', timeAdded: at } as never);
      draft.spec = { ...draft.spec, taints };
    });
    removePodsOnNode(world, nodeName);
    world.timeline.in(TERMINATED_NODE_REMOVAL_MS, { kind: 'removeNode', node: nodeName });
  } else {
    world.dropInstance(instanceId);
  }
}

/** The cloud node controller saw the instance gone: the Node and anything bound to it go. */
export function removeNode(world: ClusterWorld, nodeName: string): void {
  world.store.remove('nodes', nodeName);
  removePodsOnNode(world, nodeName);
  const record = world.instanceOfNode(nodeName);
  if (record?.terminated) world.dropInstance(record.instanceId);
}
