// After a control-plane instance is replaced, the api.<cluster> record must
// point at the running control-plane instances again (kops does this on a
// rolling update when the cluster uses DNS, not gossip). The record itself
// (name, TTL, which addresses, placeholder) is the reconcile engine's DNSName
// task: we take that task from the cluster's task list and run its find /
// desired / diff / apply against a small discovery of just what it reads.
// Only a record kopsdeck keeps is refreshed: never behind an API load balancer
// (the record is an alias to it) and never on a kops-made cluster (kops'
// dns-controller keeps the record there).
import type { AwsClients } from '../cloud/aws/clients.js';
import { emptyClusterSnapshot, findHostedZone, findInstances, listRecordsNamed, apiRecordName } from '../cloud/aws/discovery.js';
import type { Clock } from '../clock.js';
import { buildClusterTasks } from '../reconcile/model.js';
import type { ReconcileContext, Task } from '../reconcile/task.js';
import { dnsZoneKey, zoneIdOf, type DnsNameDesired } from '../reconcile/tasks/dns.js';
import type { Cluster, InstanceGroup } from '../spec/types.js';
import type { ObjectStore } from '../store/object-store.js';
import { detectOwnership } from '../ownership/detect.js';

export interface ApiRecordRefresh {
  record: string;
  previous: string[];
  values: string[];
  changed: boolean;
}

/**
 * Refreshes api.<cluster>; undefined when kopsdeck does not keep that record
 * (no DNS, an API load balancer, an alias record, a kops-made cluster).
 */
export type ApiRecordRefresher = (signal?: AbortSignal) => Promise<ApiRecordRefresh | undefined>;

export interface ApiRecordOptions {
  clients: AwsClients;
  clock: Clock;
  load: () => Promise<{ cluster: Cluster; instanceGroups: InstanceGroup[] }>;
  /** The state store's objects, where kops leaves its own (see engine/ownership). */
  store?: ObjectStore;
}

export function apiRecordRefresher(options: ApiRecordOptions): ApiRecordRefresher {
  return async (signal) => {
    const { cluster, instanceGroups } = await options.load();
    const zoneName = cluster.spec.dnsZone;
    if (!zoneName) return undefined;
    const name = cluster.metadata.name;
    // Ownership first: a kops spec may hold what kopsdeck cannot build itself
    // (a shared VPC, a Classic load balancer), and its record is dns-controller's.
    const ownership = await detectOwnership({ clients: options.clients, clusterName: name, store: options.store });
    if (ownership.manager !== 'kopsdeck') return undefined;
    // No DNSName task without DNS, or behind an API load balancer (see reconcile/model.ts).
    const task = buildClusterTasks(cluster, instanceGroups).find((t): t is Task<DnsNameDesired, never> => t.kind === 'DNSName');
    if (!task) return undefined;
    const privateZone = cluster.spec.topology?.dns?.type === 'Private';
    const { clients } = options;
    const zone = await findHostedZone(clients, zoneName, privateZone);
    if (!zone?.Id) throw new Error(`the DNS zone ${zoneName} of ${name} was not found; run \`kopsdeck update cluster ${name} --yes\` to create it`);
    const [controlPlaneInstances, apiRecords] = await Promise.all([
      findInstances(clients, name, { controlPlaneOnly: true, states: ['running'] }),
      listRecordsNamed(clients, zone.Id, [apiRecordName(name)]),
    ]);
    // Only what the DNSName task reads; the rest of the cluster is not looked at.
    const snapshot = emptyClusterSnapshot(name, { hostedZone: zone, controlPlaneInstances, apiRecords });
    const ctx: ReconcileContext = { clusterName: name, clients, snapshot, ids: new Map([[dnsZoneKey(zoneName), zoneIdOf(zone)]]), clock: options.clock, signal };
    const actual = task.find(ctx);
    if ((actual as { AliasTarget?: unknown } | null)?.AliasTarget) return undefined;
    const desired = task.desired(ctx);
    const previous = actual ? ((actual as { ResourceRecords?: { Value?: string }[] }).ResourceRecords ?? []).map((r) => r.Value ?? '').sort() : [];
    const changes = actual ? task.diff(desired, actual) : [];
    const changed = !actual || changes.length > 0;
    if (changed) await task.apply(ctx, { action: actual ? 'modify' : 'create', desired, actual, changes });
    return { record: apiRecordName(name).replace(/\.$/, ''), previous, values: desired.values, changed };
  };
}

