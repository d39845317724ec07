// Seeds a large cluster in one go for benchmarks: thousands of Ready nodes
// and their pods, stored directly (no events, no timers). Pods of one
// workload share their unchanging parts (labels, owner references, container
// specs, conditions) to keep memory low; objects are never mutated in place,
// so the sharing is safe.
import type { SimInstanceInfo } from '../contracts.js';
import type { ClusterWorld, InstanceRecord } from './cluster-world.js';
import { replicaSetFor } from './controllers.js';
import { nodeImageReferences, nodeNameOf } from './node-lifecycle.js';
import { buildNode, podCidr } from './node-object.js';
import { podFromTemplate, runningStatus } from './pod-factory.js';
import { objectKey, timestamp, type KubeObject } from './types.js';
import { bootInfoOf, DEFAULT_KUBERNETES_VERSION } from './user-data.js';

const LOAD_NAMESPACE = 'load';
const LOAD_DEPLOYMENTS = 4;
const SAFE = 'bcdfghjklmnpqrstvwxz2456789';

function counterSuffix(n: number): string {
  let out = '';
  for (let i = 0; i < 5; i++) {
    out = SAFE[n % SAFE.length] + out;
    n = Math.floor(n / SAFE.length);
  }
  return out;
}

function recordsFor(world: ClusterWorld, instances: SimInstanceInfo[]): InstanceRecord[] {
  const records = instances.map((instance): InstanceRecord => {
    const boot = bootInfoOf(instance);
    return {
      instanceId: instance.instanceId,
      nodeName: nodeNameOf(instance),
      zone: instance.zone,
      instanceType: instance.instanceType,
      privateIp: instance.privateIp,
      instanceGroup: boot?.instanceGroup ?? 'nodes',
      role: boot && boot.role !== 'Bastion' ? boot.role : 'Node',
      kubernetesVersion: boot?.kubernetesVersion ?? world.userDataVersion ?? DEFAULT_KUBERNETES_VERSION,
    };
  });
  // A cluster without a control plane would never be ready: promote the first node.
  if (records.length > 0 && !records.some((r) => r.role === 'ControlPlane')) {
    records[0] = { ...records[0], role: 'ControlPlane', instanceGroup: `control-plane-${records[0].zone}` };
  }
  return records;
}

/** A pod factory for one owner whose pods share everything but name, uid, node and IPs. */
function sharedPodMaker(world: ClusterWorld, owner: KubeObject, now: number) {
  const sample = podFromTemplate(owner, 'xxxxx');
  const status = runningStatus(sample, '0.0.0.0', now);
  const { podIP: _ip, podIPs: _ips, ...sharedStatus } = status;
  const created = timestamp(now);
  const { labels, ownerReferences, generateName, namespace } = sample.metadata;
  const spec = sample.spec;
  return (serial: number, nodeName: string, hostIP: string, podIP: string): KubeObject => ({
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: {
      name: `${owner.metadata.name}-${counterSuffix(serial)}`,
      generateName,
      namespace,
      uid: world.uid(),
      creationTimestamp: created,
      labels,
      ownerReferences,
    },
    spec: { ...spec, nodeName },
    status: { ...sharedStatus, hostIP, podIP, podIPs: [{ ip: podIP }] },
  });
}

function loadDeployment(index: number, replicas: number): KubeObject {
  const labels = { app: `load-${index}` };
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name: `load-${index}`, namespace: LOAD_NAMESPACE, labels },
    spec: {
      replicas,
      selector: { matchLabels: labels },
      template: {
        metadata: { labels },
        spec: {
          containers: [{ name: 'app', image: 'registry.k8s.io/pause:3.9', resources: { requests: { cpu: '10m', memory: '16Mi' } } }],
          restartPolicy: 'Always',
          terminationGracePeriodSeconds: 10,
          schedulerName: 'default-scheduler',
        },
      },
    },
    status: {},
  };
}

export function seedLarge(world: ClusterWorld, instances: SimInstanceInfo[], podsPerNode: number): void {
  const now = world.now();
  world.seedWorkloads();
  const records = recordsFor(world, instances);
  for (const record of records) {
    world.addInstance(record);
    world.noteVersion(record.kubernetesVersion);
  }
  const created = timestamp(now);
  const nodes = records.map((record) => {
    const node = buildNode(record, world.nextNodeSerial(), now, 'True', nodeImageReferences(world, record));
    return { ...node, metadata: { ...node.metadata, uid: world.uid(), creationTimestamp: created } };
  });
  world.store.bulkLoad('nodes', nodes);
  // A console or `get nodes` lists the nodes first; serialise them now, not on that request.
  world.store.warmJson('nodes');

  const workers = records.filter((r) => r.role === 'Node');
  const loadPerNode = Math.max(0, podsPerNode - 2);
  const total = workers.length * loadPerNode;
  if (!world.store.get('namespaces', LOAD_NAMESPACE)) {
    world.create('namespaces', { apiVersion: 'v1', kind: 'Namespace', metadata: { name: LOAD_NAMESPACE }, status: { phase: 'Active' } });
  }
  const replicaSets: KubeObject[] = [];
  for (let i = 0; i < LOAD_DEPLOYMENTS; i++) {
    const replicas = Math.floor(total / LOAD_DEPLOYMENTS) + (i < total % LOAD_DEPLOYMENTS ? 1 : 0);
    const deployment = world.create('deployments', loadDeployment(i, replicas));
    replicaSets.push(world.create('replicasets', replicaSetFor(deployment)));
  }
  const daemonSets = ['kube-proxy', 'cilium'].map((name) => world.store.get('daemonsets', objectKey('kube-system', name))!);
  const dsMakers = daemonSets.map((ds) => sharedPodMaker(world, ds, now));
  const rsMakers = replicaSets.map((rs) => sharedPodMaker(world, rs, now));

  function* pods(): Generator<KubeObject> {
    let serial = 0;
    let nodeIndex = 0;
    for (const node of nodes) {
      const name = node.metadata.name;
      const hostIP = (node.status.addresses as { address: string }[])[0].address;
      const prefix = podCidr(nodeIndex++).split('.').slice(0, 3).join('.');
      for (const make of dsMakers) yield make(nodeIndex, name, hostIP, hostIP);
      if (node.metadata.labels?.['node-role.kubernetes.io/node'] === undefined) continue;
      for (let j = 0; j < loadPerNode; j++) {
        const which = serial % LOAD_DEPLOYMENTS;
        yield rsMakers[which](Math.floor(serial / LOAD_DEPLOYMENTS), name, hostIP, `${prefix}.${2 + (j % 250)}`);
        serial++;
      }
    }
  }
  world.store.bulkLoad('pods', pods());
  // Likewise the pods (a console pages through them at start-up): a few seconds
  // here instead of on the first LIST, which would otherwise take that long.
  world.store.warmJson('pods');
  world.kick();
}
