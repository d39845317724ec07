// Hand-made Kubernetes and cloud objects for the pure tests (model, validation, output).
import type { KubeNode, KubePod } from '../../src/engine/kube/types.js';
import type { CloudInstance, IgCloudState } from '../../src/engine/live-model/types.js';

let rv = 1;

export function node(name: string, opts: { instanceId?: string; ready?: boolean; role?: string; zone?: string; version?: string; unschedulable?: boolean; ig?: string; networkUnavailable?: boolean } = {}): KubeNode {
  const role = opts.role ?? 'node';
  return {
    metadata: {
      name,
      uid: `uid-${name}`,
      resourceVersion: String(rv++),
      creationTimestamp: '2024-01-01T00:00:00Z',
      labels: {
        [`node-role.kubernetes.io/${role}`]: '',
        'topology.kubernetes.io/zone': opts.zone ?? 'us-east-1a',
        'kubernetes.io/hostname': name,
        ...(opts.ig ? { 'kops.k8s.io/instancegroup': opts.ig } : {}),
      },
    },
    spec: { providerID: opts.instanceId ? `aws:///${opts.zone ?? 'us-east-1a'}/${opts.instanceId}` : undefined, unschedulable: opts.unschedulable },
    status: {
      conditions: [
        { type: 'Ready', status: opts.ready === false ? 'False' : 'True' },
        ...(opts.networkUnavailable ? [{ type: 'NetworkUnavailable', status: 'True' }] : []),
      ],
      addresses: [{ type: 'InternalIP', address: `10.0.0.${rv % 250}` }],
      nodeInfo: { kubeletVersion: opts.version ?? 'v1.30.2' },
    },
  };
}

export function pod(
  name: string,
  nodeName: string | undefined,
  opts: { namespace?: string; app?: string; priority?: string; phase?: string; ready?: boolean; owner?: { kind: string; name: string }; mirror?: boolean; labels?: Record<string, string> } = {},
): KubePod {
  const ready = opts.ready ?? true;
  return {
    metadata: {
      name,
      namespace: opts.namespace ?? 'default',
      uid: `uid-${name}`,
      resourceVersion: String(rv++),
      labels: { ...(opts.app ? { 'k8s-app': opts.app } : {}), ...opts.labels },
      annotations: opts.mirror ? { 'kubernetes.io/config.mirror': 'abc' } : undefined,
      ownerReferences: opts.owner ? [{ ...opts.owner, controller: true }] : undefined,
    },
    spec: { nodeName, priorityClassName: opts.priority },
    status: {
      phase: opts.phase ?? 'Running',
      containerStatuses: [{ name: 'main', ready }],
      conditions: [{ type: 'Ready', status: ready ? 'True' : 'False' }],
    },
  };
}

export function controlPlanePods(nodeName: string, skip: string[] = []): KubePod[] {
  return ['kube-apiserver', 'kube-controller-manager', 'kube-scheduler']
    .filter((app) => !skip.includes(app))
    .map((app) => pod(`${app}-${nodeName}`, nodeName, { namespace: 'kube-system', app, priority: 'system-node-critical', mirror: true, owner: { kind: 'Node', name: nodeName } }));
}

export function instance(id: string, opts: Partial<CloudInstance> = {}): CloudInstance {
  return {
    id,
    instanceGroup: '', // filled in by ig()
    zone: 'us-east-1a',
    instanceType: 't3.medium',
    lifecycleState: 'InService',
    launchTemplateVersion: '1',
    needsUpdate: false,
    detached: false,
    member: true,
    ...opts,
  };
}

export function ig(name: string, role: string, instances: CloudInstance[], opts: Partial<IgCloudState> = {}): IgCloudState {
  return {
    name,
    groupName: `${name}.test.k8s.local`,
    role,
    machineType: 't3.medium',
    minSize: instances.length,
    maxSize: instances.length,
    targetSize: instances.length,
    zones: ['us-east-1a'],
    launchTemplateVersion: '1',
    // An instance names its group, as the reader gives it.
    instances: instances.map((i) => ({ ...i, instanceGroup: i.instanceGroup || name })),
    ...opts,
  };
}
