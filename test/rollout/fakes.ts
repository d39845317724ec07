// Fakes for the rollout's seams: an in-memory object store, and a small world
// of auto scaling groups and nodes where a detach or a terminate launches a
// replacement that is Ready at once. It records the fewest nodes in service
// each group ever had, so tests can check maxUnavailable.
import { ConflictError, type ObjectStore, type PutCondition, type StoredObject } from '../../src/engine/store/object-store.js';
import { ClusterStore } from '../../src/engine/store/cluster-store.js';
import { buildClusterSpec } from '../../src/engine/spec/defaults.js';
import type { ClusterBundle } from '../../src/engine/spec/types.js';
import type { LoadBalancerMembership, RolloutCloud, RolloutCloudGroup, RolloutDeps, RolloutKube, RolloutNode } from '../../src/engine/rollout/deps.js';
import type { ValidationResult } from '../../src/engine/health/validate-cluster-health.js';
import { DrainTimeoutError } from '../../src/engine/kube/node-ops.js';
import type { NodePodRow } from '../../src/engine/kube/node-pods.js';
import { instantClock } from '../health/instant-clock.js';

export class MemoryObjectStore implements ObjectStore {
  readonly url = 'memory://test';
  private data = new Map<string, StoredObject>();
  private counter = 0;
  async get(key: string) {
    return this.data.get(key) ?? null;
  }
  async put(key: string, body: string, condition: PutCondition = {}) {
    const existing = this.data.get(key);
    if (condition.ifVersion === null && existing) throw new ConflictError(key, `${key} exists`);
    if (typeof condition.ifVersion === 'string' && existing?.version !== condition.ifVersion) throw new ConflictError(key, `${key} changed`);
    const version = `v${++this.counter}`;
    this.data.set(key, { body, version });
    return version;
  }
  async delete(key: string, condition: PutCondition = {}) {
    const existing = this.data.get(key);
    if (typeof condition.ifVersion === 'string' && existing && existing.version !== condition.ifVersion) throw new ConflictError(key, `${key} changed`);
    this.data.delete(key);
  }
  async list(prefix: string) {
    return [...this.data.keys()].filter((k) => k.startsWith(prefix)).sort();
  }
}

interface FakeInstance {
  id: string;
  group: string;
  version: string;
  detached: boolean;
  node: RolloutNode;
}

export interface FakeWorldOptions {
  controlPlanes?: number;
  nodes?: number;
  /** Nodes whose drain times out (by node name). */
  drainBlocks?: Set<string>;
  /** Nodes whose drain reports a blocking budget, then waits until it is cancelled (by node name). */
  drainHangs?: Set<string>;
  /** A target group (ARN) every instance of a Node group is registered with at launch, as an auto scaling group registers them. */
  targetGroup?: string;
}

export class FakeWorld {
  readonly clock = instantClock(1_000_000);
  readonly objects = new MemoryObjectStore();
  readonly store = new ClusterStore(this.objects);
  readonly bundle: ClusterBundle;
  readonly instances = new Map<string, FakeInstance>();
  /** Nodes left behind by instances that are gone (a dead etcd member's control-plane node, for example). */
  readonly strayNodes: RolloutNode[] = [];
  readonly versions = new Map<string, string>();
  readonly desired = new Map<string, number>();
  /** Fewest nodes in service (Ready, schedulable) per group, measured after every change. */
  readonly lowest = new Map<string, number>();
  readonly log: string[] = [];
  drainBlocks: Set<string>;
  drainHangs: Set<string>;
  /** Nodes cordoned by a rollout, and by which (its id), as the node's annotation says. */
  readonly cordonedBy = new Map<string, string>();
  /** Where each instance serves (see FakeWorldOptions.targetGroup). */
  readonly loadBalancers = new Map<string, LoadBalancerMembership>();
  /** Nodes tainted kops.k8s.io/scheduled-for-update. */
  readonly tainted = new Set<string>();
  /** Nodes labelled excluded from load balancers. */
  readonly excluded = new Set<string>();
  /** When set, deregistration fails with this message. */
  failDeregistration?: string;
  private readonly targetGroup?: string;
  /** Called after each cloud or kube mutation (tests crash from here). */
  onMutation?: (what: string) => void;
  private seq = 0;

  constructor(options: FakeWorldOptions = {}) {
    this.drainBlocks = options.drainBlocks ?? new Set();
    this.drainHangs = options.drainHangs ?? new Set();
    this.targetGroup = options.targetGroup;
    this.bundle = buildClusterSpec({
      name: 'fake.example.com',
      zones: ['us-east-1a'],
      topology: 'public',
      controlPlaneCount: options.controlPlanes ?? 1,
      nodeCount: options.nodes ?? 3,
      kubernetesVersion: '1.31.9',
    });
    for (const ig of this.bundle.instanceGroups) {
      this.versions.set(ig.metadata.name, '1');
      const size = ig.spec.minSize ?? 0;
      this.desired.set(ig.metadata.name, size);
      for (let i = 0; i < size; i++) this.launch(ig.metadata.name);
    }
  }

  async init(): Promise<this> {
    await this.store.createCluster(this.bundle.cluster, this.bundle.instanceGroups);
    return this;
  }

  /** A new launch template version for every group: everything needs an update. */
  bumpAll(): void {
    for (const [group, v] of this.versions) this.versions.set(group, String(Number(v) + 1));
  }

  groupOf(role: string): string {
    return this.bundle.instanceGroups.find((ig) => ig.spec.role === role)!.metadata.name;
  }

  deps(): RolloutDeps {
    return { store: this.store, cloud: this.cloud(), kube: this.kube(), validate: async () => this.validation(), clock: this.clock };
  }

  private launch(group: string): FakeInstance {
    const id = `i-${(++this.seq).toString(16).padStart(8, '0')}`;
    const role = this.bundle?.instanceGroups.find((ig) => ig.metadata.name === group)?.spec.role;
    const node = { name: `node-${this.seq}`, instanceId: id, ready: true, unschedulable: false, kubeletVersion: 'v1.31.9', controlPlane: role === 'ControlPlane' };
    const instance = { id, group, version: this.versions.get(group)!, detached: false, node };
    this.instances.set(id, instance);
    if (this.targetGroup && role === 'Node') this.loadBalancers.set(id, { targetGroups: [{ arn: this.targetGroup, port: 443 }], classic: [] });
    return instance;
  }

  private changed(what: string): void {
    this.log.push(what);
    for (const group of this.desired.keys()) {
      const inService = [...this.instances.values()].filter((i) => i.group === group && i.node.ready && !i.node.unschedulable).length;
      this.lowest.set(group, Math.min(this.lowest.get(group) ?? Infinity, inService));
    }
    this.onMutation?.(what);
  }

  cloud(): RolloutCloud {
    return {
      listGroups: async () =>
        this.bundle.instanceGroups.map((ig): RolloutCloudGroup => {
          const name = ig.metadata.name;
          const current = this.versions.get(name)!;
          return {
            name,
            groupName: `${name}.fake.example.com`,
            role: ig.spec.role,
            minSize: ig.spec.minSize ?? 0,
            maxSize: (ig.spec.maxSize ?? 0) + 5,
            desiredCapacity: this.desired.get(name)!,
            currentVersion: current,
            instances: [...this.instances.values()]
              .filter((i) => i.group === name)
              .map((i) => ({ id: i.id, lifecycleState: i.detached ? 'Detached' : 'InService', launchTemplateVersion: i.version, needsUpdate: i.version !== current, detached: i.detached })),
          };
        }),
      lookAtGroup: async (cluster, group) => (await this.cloud().listGroups(cluster)).find((g) => g.name === group.name),
      // All or nothing, as the AWS calls are.
      detach: async (_groupName, ids) => {
        for (const id of ids) if (!this.instances.get(id) || this.instances.get(id)!.detached) throw new Error(`instance ${id} is not part of the group`);
        for (const id of ids) {
          const instance = this.instances.get(id)!;
          instance.detached = true;
          this.launch(instance.group);
          this.changed(`detach ${id}`);
        }
      },
      terminate: async (ids, { detached }) => {
        for (const id of ids) if (!this.instances.get(id)) throw new Error(`no instance ${id}`);
        for (const id of ids) {
          const instance = this.instances.get(id)!;
          this.instances.delete(id);
          if (!detached) this.launch(instance.group);
          this.changed(`terminate ${id}`);
        }
      },
      // All or nothing; an instance in no load balancer has nothing taken out.
      deregister: async (request) => {
        if (this.failDeregistration) throw new Error(this.failDeregistration);
        const taken = new Map(request.instanceIds.map((id) => [id, this.loadBalancers.get(id) ?? { targetGroups: [], classic: [] }]));
        for (const id of request.instanceIds) {
          if (!this.loadBalancers.delete(id)) continue;
          this.changed(`deregister ${id}`);
        }
        const draining = [...taken.values()].some((m) => m.targetGroups.length > 0);
        if (draining) request.onDraining?.({ names: [`target group ${this.targetGroup}`], timeoutMs: 90_000, taken });
        const drainedFrom = new Map([...taken].map(([id, m]) => [id, m.targetGroups.map((t) => `target group ${t.arn.split('/')[1]}`)]));
        return { taken, drainedFrom };
      },
      reregister: async (memberships) => {
        for (const [id, m] of memberships) {
          this.loadBalancers.set(id, m);
          this.changed(`reregister ${id}`);
        }
      },
    };
  }

  kube(): RolloutKube {
    const byNode = (name: string) => [...this.instances.values()].find((i) => i.node.name === name);
    return {
      nodesByInstance: async () => new Map([...[...this.instances.values()].map((i) => ({ ...i.node })), ...this.strayNodes].map((n) => [n.instanceId, n])),
      describePods: async (node): Promise<NodePodRow[]> => [
        { namespace: 'demo', name: `web-${node}`, ownerKind: 'ReplicaSet', ownerName: 'web-abc', ready: true, phase: 'Running', emptyDir: false, disposition: 'evict', pdb: { namespace: 'demo', name: 'web', disruptionsAllowed: 1 } },
        { namespace: 'kube-system', name: `proxy-${node}`, ownerKind: 'DaemonSet', ownerName: 'kube-proxy', ready: true, phase: 'Running', emptyDir: false, disposition: 'skip-daemonset' },
      ],
      cordon: async (node, rolloutId) => {
        const target = byNode(node)!.node;
        if (target.unschedulable) return this.cordonedBy.get(node) === rolloutId;
        target.unschedulable = true;
        this.cordonedBy.set(node, rolloutId);
        this.changed(`cordon ${node}`);
        return true;
      },
      uncordon: async (node) => {
        this.cordonedBy.delete(node);
        byNode(node)!.node.unschedulable = false;
        this.changed(`uncordon ${node}`);
      },
      excludeFromLoadBalancers: async (node) => {
        if (this.excluded.has(node)) return false;
        this.excluded.add(node);
        this.changed(`exclude ${node}`);
        return true;
      },
      taintScheduledForUpdate: async (node) => {
        const instance = byNode(node);
        if (!instance || instance.node.unschedulable || this.tainted.has(node)) return false;
        this.tainted.add(node);
        this.changed(`taint ${node}`);
        return true;
      },
      includeInLoadBalancers: async (node) => {
        this.excluded.delete(node);
        this.changed(`include ${node}`);
      },
      drain: async (node, options) => {
        if (this.drainHangs.has(node)) {
          const pod = { namespace: 'demo', name: `web-${node}` };
          options.onProgress({ type: 'blocked', pod, pdb: { namespace: 'demo', name: 'web', disruptionsAllowed: 0 }, message: 'Cannot evict pod as it would violate the pod\'s disruption budget.', retryInMs: 5000 });
          // Held up until cancelled (a skip or an abort), in no clock time at all.
          await new Promise<never>((_, reject) => {
            if (options.signal?.aborted) return reject(options.signal.reason);
            options.signal?.addEventListener('abort', () => reject(options.signal!.reason), { once: true });
          });
        }
        if (this.drainBlocks.has(node)) {
          await this.clock.sleep(options.timeoutMs, options.signal);
          throw new DrainTimeoutError(node, [{ pod: { namespace: 'demo', name: `web-${node}` }, pdb: { namespace: 'demo', name: 'web', disruptionsAllowed: 0 }, reason: 'Cannot evict pod' }], options.timeoutMs);
        }
        options.onProgress({ type: 'evicted', pod: { namespace: 'demo', name: `web-${node}` } });
        this.changed(`drain ${node}`);
        return { node, evicted: [{ namespace: 'demo', name: `web-${node}` }], skipped: [], emptyDir: [] };
      },
    };
  }

  validation(): ValidationResult {
    const unready = [...this.instances.values()].filter((i) => !i.detached && !i.node.ready);
    return {
      cluster: 'fake.example.com',
      ok: unready.length === 0,
      failures: unready.map((i) => ({ kind: 'Node' as const, name: i.node.name, message: `node "${i.node.name}" of role "node" is not ready`, instanceGroup: i.group })),
      tolerated: [],
      instanceGroups: [],
      nodes: [],
    };
  }
}
