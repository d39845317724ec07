// The combined model: instance group -> instances -> nodes -> pods. Informer
// events and cloud polls edit it in place; each event touches only the rows it
// concerns (a pod event re-counts one node, a node event rebuilds one row), and
// subscribers hear about a burst of events once, on the next tick.
import type { InformerEvent } from '../kube/informer.js';
import { objectKey } from '../kube/informer.js';
import { withNeedsUpdateAnnotation } from '../kube/needs-update-annotation.js';
import { isFinished } from '../kube/selectors.js';
import type { KubeNode, KubePod } from '../kube/types.js';
import { ChangeNotifier, type NotifierOptions } from './change-notifier.js';
import { instanceIdOf } from '../kube/provider-id.js';
import { buildNodeRow, roleOfIg } from './node-row.js';
import { SortedRows } from './sorted-rows.js';
import type { CloudInstance, IgCloudState, IgRow, InstanceRow, ModelCounts, ModelSnapshot, NodeRow } from './types.js';

const CRITICAL = new Set(['system-cluster-critical', 'system-node-critical']);

interface InstanceEntry {
  ig: IgCloudState;
  instance: CloudInstance;
}

export class ClusterModel {
  private readonly nodes = new Map<string, KubeNode>();
  private readonly nodeByInstance = new Map<string, string>();
  private readonly nodeRows = new SortedRows<NodeRow>((row) => row.name);
  /** Running (not finished) pods per node name; '' holds unscheduled pods. */
  private readonly podsByNode = new Map<string, Map<string, KubePod>>();
  private readonly critical = new Map<string, KubePod>();
  private readonly versions = new Map<string, number>();
  private igs = new Map<string, IgCloudState>();
  private readonly instances = new Map<string, InstanceEntry>();
  private igRows: IgRow[] = [];
  private instanceRows: InstanceRow[] = [];
  private cloudRowsDirty = false;
  private counts = { pods: 0, nodesReady: 0, nodesCordoned: 0 };
  private version = 0;
  private cached: ModelSnapshot | undefined;
  private cloudSyncedAt: number | undefined;
  private cloudError: string | undefined;
  private kubeError: string | undefined;
  private readonly notifier: ChangeNotifier<ModelSnapshot>;

  constructor(
    readonly cluster: string,
    notifierOptions: NotifierOptions = {},
  ) {
    this.notifier = new ChangeNotifier(() => this.snapshot(), notifierOptions);
  }

  /** Called at most once per tick after any number of changes. */
  subscribe(listener: (snapshot: ModelSnapshot) => void): () => void {
    return this.notifier.subscribe(listener);
  }

  /** Wall ms to gather changes before notifying (e.g. longer while a large list is still arriving). */
  setNotifyInterval(intervalMs: number): void {
    this.notifier.setIntervalMs(intervalMs);
  }

  applyNode(event: InformerEvent<KubeNode>): void {
    const name = event.object.metadata.name;
    const previous = this.nodes.get(name);
    const before = this.nodeRows.get(name);
    if (previous) this.forgetNode(previous);
    if (event.type === 'delete') {
      this.nodes.delete(name);
      this.nodeRows.delete(name);
    } else {
      this.nodes.set(name, event.object);
      const instanceId = instanceIdOf(event.object);
      if (instanceId) this.nodeByInstance.set(instanceId, name);
      this.putNodeRow(event.object);
    }
    // Instance-group rows only show joins, readiness and needs-update; a heartbeat changes none.
    const after = this.nodeRows.get(name);
    if (!before || !after || cloudRowFieldsDiffer(before, after)) this.cloudRowsDirty = true;
    this.changed();
  }

  applyPod(event: InformerEvent<KubePod>): void {
    const key = event.key ?? objectKey(event.object);
    if (event.old) this.removePod(key, event.old);
    if (event.type !== 'delete') this.addPod(key, event.object);
    this.changed();
  }

  /** Replaces the cloud's view (one poll); rows are rebuilt for instance groups, instances and the nodes they join. */
  setCloud(groups: IgCloudState[], at: number): void {
    this.igs = new Map(groups.map((g) => [g.name, g]));
    const before = new Map(this.instances);
    this.instances.clear();
    for (const ig of groups) for (const instance of ig.instances) this.instances.set(instance.id, { ig, instance });
    // Re-derive only node rows whose instance join changed.
    for (const [id, entry] of this.instances) {
      const old = before.get(id);
      if (!old || old.ig.name !== entry.ig.name || old.instance.needsUpdate !== entry.instance.needsUpdate) this.refreshNodeOfInstance(id);
    }
    for (const id of before.keys()) if (!this.instances.has(id)) this.refreshNodeOfInstance(id);
    this.cloudSyncedAt = at;
    this.cloudError = undefined;
    this.cloudRowsDirty = true;
    this.changed();
  }

  setCloudError(message: string | undefined): void {
    if (message === this.cloudError) return;
    this.cloudError = message;
    this.changed();
  }

  setKubeError(message: string | undefined): void {
    if (message === this.kubeError) return;
    this.kubeError = message;
    this.changed();
  }

  getNode(name: string): KubeNode | undefined {
    return this.nodes.get(name);
  }

  nodeObjects(): IterableIterator<KubeNode> {
    return this.nodes.values();
  }

  nodeOfInstance(instanceId: string): KubeNode | undefined {
    const name = this.nodeByInstance.get(instanceId);
    return name ? this.nodes.get(name) : undefined;
  }

  podsOn(nodeName: string): KubePod[] {
    return [...(this.podsByNode.get(nodeName)?.values() ?? [])];
  }

  /** system-cluster-critical and system-node-critical pods (a few per node). */
  criticalPods(): KubePod[] {
    return [...this.critical.values()];
  }

  instanceGroups(): IgCloudState[] {
    return [...this.igs.values()];
  }

  instance(id: string): { ig: IgCloudState; instance: CloudInstance } | undefined {
    return this.instances.get(id);
  }

  get hasCloud(): boolean {
    return this.cloudSyncedAt !== undefined;
  }

  snapshot(): ModelSnapshot {
    if (this.cached?.version === this.version) return this.cached;
    if (this.cloudRowsDirty) this.rebuildCloudRows();
    this.cached = {
      cluster: this.cluster,
      version: this.version,
      nodes: this.nodeRows.view(),
      instanceGroups: this.igRows,
      instances: this.instanceRows,
      counts: this.countsNow(),
      versions: [...this.versions].map(([version, nodes]) => ({ version, nodes })).sort((a, b) => b.nodes - a.nodes || a.version.localeCompare(b.version)),
      cloudSyncedAt: this.cloudSyncedAt,
      cloudError: this.cloudError,
      kubeError: this.kubeError,
    };
    return this.cached;
  }

  private countsNow(): ModelCounts {
    let outOfDate = 0;
    for (const row of this.instanceRows) if (row.status === 'NeedsUpdate') outOfDate += 1;
    return {
      instanceGroups: this.igRows.length,
      instances: this.instances.size,
      nodes: this.nodes.size,
      nodesReady: this.counts.nodesReady,
      nodesCordoned: this.counts.nodesCordoned,
      pods: this.counts.pods,
      outOfDate,
    };
  }

  private changed(): void {
    this.version += 1;
    this.notifier.changed();
  }

  private putNodeRow(node: KubeNode): void {
    const instanceId = instanceIdOf(node);
    const entry = instanceId ? this.instances.get(instanceId) : undefined;
    const pods = this.podsByNode.get(node.metadata.name)?.size ?? 0;
    const row = buildNodeRow(node, pods, { instanceGroup: entry?.ig.name, igRole: entry?.ig.role, instance: entry?.instance });
    this.nodeRows.upsert(row);
    this.countRow(row, +1);
  }

  /** Undoes a node's contribution to counters and indexes before it is replaced or removed. */
  private forgetNode(node: KubeNode): void {
    const row = this.nodeRows.get(node.metadata.name);
    if (row) this.countRow(row, -1);
    const instanceId = instanceIdOf(node);
    if (instanceId && this.nodeByInstance.get(instanceId) === node.metadata.name) this.nodeByInstance.delete(instanceId);
  }

  private countRow(row: NodeRow, sign: 1 | -1): void {
    if (row.ready) this.counts.nodesReady += sign;
    if (row.unschedulable) this.counts.nodesCordoned += sign;
    const n = (this.versions.get(row.version) ?? 0) + sign;
    if (n > 0) this.versions.set(row.version, n);
    else this.versions.delete(row.version);
  }

  private refreshNodeOfInstance(instanceId: string): void {
    const name = this.nodeByInstance.get(instanceId);
    const node = name ? this.nodes.get(name) : undefined;
    if (!node) return;
    this.forgetNode(node);
    this.nodeByInstance.set(instanceId, node.metadata.name);
    this.putNodeRow(node);
  }

  private addPod(key: string, pod: KubePod): void {
    if (CRITICAL.has(pod.spec?.priorityClassName ?? '')) this.critical.set(key, pod);
    if (isFinished(pod)) return;
    const nodeName = pod.spec?.nodeName ?? '';
    let pods = this.podsByNode.get(nodeName);
    if (!pods) this.podsByNode.set(nodeName, (pods = new Map()));
    pods.set(key, pod);
    this.counts.pods += 1;
    this.recountPods(nodeName, pods.size);
  }

  private removePod(key: string, pod: KubePod): void {
    this.critical.delete(key);
    const nodeName = pod.spec?.nodeName ?? '';
    const pods = this.podsByNode.get(nodeName);
    if (!pods?.delete(key)) return;
    this.counts.pods -= 1;
    if (pods.size === 0) this.podsByNode.delete(nodeName);
    this.recountPods(nodeName, pods.size);
  }

  private recountPods(nodeName: string, count: number): void {
    if (!nodeName) return;
    const row = this.nodeRows.get(nodeName);
    if (row && row.pods !== count) this.nodeRows.upsert({ ...row, pods: count });
  }

  private rebuildCloudRows(): void {
    this.cloudRowsDirty = false;
    const igRows: IgRow[] = [];
    const instanceRows: InstanceRow[] = [];
    for (const ig of this.igs.values()) {
      // A bastion registers no node (kops: bastions are not nodes): it is ready once its instance is in service.
      const bastion = ig.role === 'Bastion';
      let ready = 0;
      let needUpdate = 0;
      // Warm pool instances are never nodes: listed and judged out of date like members, never ready.
      for (const instance of [...ig.instances, ...(ig.warmInstances ?? [])]) {
        const node = this.nodeOfInstance(instance.id);
        const row = node ? this.nodeRows.get(node.metadata.name) : undefined;
        // kops' AdjustNeedUpdate: the node's annotation adds to the cloud's verdict.
        const update = withNeedsUpdateAnnotation({ needsUpdate: instance.needsUpdate, reason: instance.updateReason }, row?.needsUpdateAnnotation ?? false);
        if (bastion ? instance.lifecycleState === 'InService' && !instance.detached : row?.ready) ready += 1;
        if (update.needsUpdate) needUpdate += 1;
        instanceRows.push({
          id: instance.id,
          nodeName: node?.metadata.name ?? '',
          status: update.needsUpdate ? 'NeedsUpdate' : 'UpToDate',
          role: roleOfIg(ig.role) || ig.role,
          state: instance.lifecycleState,
          internalIp: row?.internalIp || instance.privateIp || '',
          instanceGroup: ig.name,
          machineType: instance.instanceType ?? ig.machineType ?? '',
          zone: instance.zone ?? '',
          launchTemplateVersion: instance.launchTemplateVersion ?? '',
          updateReason: update.reason,
        });
      }
      igRows.push({
        name: ig.name,
        role: ig.role,
        machineType: ig.machineType ?? '',
        min: ig.minSize,
        target: ig.targetSize,
        max: ig.maxSize,
        ready,
        needUpdate,
        zones: ig.zones,
        instances: ig.instances.length,
      });
    }
    igRows.sort((a, b) => a.name.localeCompare(b.name));
    instanceRows.sort((a, b) => a.instanceGroup.localeCompare(b.instanceGroup) || a.id.localeCompare(b.id));
    this.igRows = igRows;
    this.instanceRows = instanceRows;
  }
}

function cloudRowFieldsDiffer(before: NodeRow, after: NodeRow): boolean {
  return (
    before.ready !== after.ready ||
    before.instanceId !== after.instanceId ||
    before.internalIp !== after.internalIp ||
    before.needsUpdateAnnotation !== after.needsUpdateAnnotation
  );
}
