// `update cluster`: discover, plan, and (when asked) apply. The plan is made
// with ownership guards: what kopsdeck does not own (a kops-made cluster, a
// launch template with another bootstrap, a rule of a kind it does not manage)
// is listed as left alone, never changed, revoked or deleted; and a plan for a
// kops-made cluster is refused as a whole when applied.
import type { Cluster, InstanceGroup } from '../spec/types.js';
import type { AwsClients } from '../cloud/aws/clients.js';
import { discoverCluster, type ClusterSnapshot, type LaunchTemplateState } from '../cloud/aws/discovery.js';
import { findLoadBalancers, type ClusterLoadBalancers } from '../cloud/aws/discovery-load-balancers.js';
import { describeApiLoadBalancing } from '../cloud/aws/discovery-api-load-balancer.js';
import { findVolumes } from '../cloud/aws/discovery-volumes.js';
import { apiLoadBalancerNames } from './model-api.js';
import type { ResourceRecordSet } from '@aws-sdk/client-route-53';
import type { AutoScalingGroup } from '@aws-sdk/client-auto-scaling';
import type { ObjectStore } from '../store/object-store.js';
import { systemClock, type Clock } from '../clock.js';
import { cloudEvidence, storeEvidence } from '../ownership/evidence.js';
import { decideOwnership, NotOwnedError } from '../ownership/decide.js';
import { readStoreFacts } from '../ownership/detect.js';
import { MADE_BY_KOPS, autoScalingGroupVerdict, clusterResourceVerdict, launchTemplateVerdict, type Verdict } from '../ownership/resources.js';
import type { ClusterOwnership, LeftAlone } from '../ownership/types.js';
import { applyPlan, type ApplyOptions, type ApplyResult } from './apply-plan.js';
import { buildPlan, type Plan, type PlannedTask } from './plan.js';
import { ReconcileSpecError, buildClusterTasks, existingGroupNames, staleInstanceGroupDeletions } from './model.js';
import { isRemovableExtraRule, staleRuleDeletions, REMOVE_EXTRA_RULE_PORTS, type RuleDesired, type StaleRules } from './tasks/security-group.js';
import type { ReconcileContext } from './task.js';
import { identityOptionsOf } from './iam/identity-tasks.js';
import type { SshPublicKey } from '../ssh/public-key.js';
import { ensureSecrets, planSecrets, type EnsureSecretsResult, type SecretsPlan } from '../pki/ensure-secrets.js';
import { readCaCertHash } from '../pki/read-secrets.js';
import { checkContainerd, machinePinsOf } from './model-bootstrap.js';

export interface ClusterInput {
  cluster: Cluster;
  instanceGroups: InstanceGroup[];
  clients: AwsClients;
  /** The state store's objects: kops' own objects there show a kops-made cluster. */
  store?: ObjectStore;
  /** The admin SSH keys, for a cluster whose store does not hold them yet (a preview before create); else read from the store. */
  sshPublicKeys?: SshPublicKey[];
  clock?: Clock;
  signal?: AbortSignal;
}

/** A plan together with the context it was made in, ready to apply. */
export interface ClusterPlan {
  plan: Plan;
  context: ReconcileContext;
  /** Who manages the cluster, with the evidence. */
  ownership: ClusterOwnership;
  /**
   * The cluster's secrets in the state store, made before any cloud resource.
   * Absent without a store, and for a kops-made cluster (kops keeps its own).
   */
  secrets?: { store: ObjectStore; plan: SecretsPlan };
  /** What it was planned from, to plan again once a new cluster's CA exists. */
  input?: ClusterInput;
  /** The CA hash the launch templates' user-data carries; undefined when the store had no CA yet. */
  caCertHash?: string;
}

export async function planCluster(input: ClusterInput): Promise<ClusterPlan> {
  const { cluster, instanceGroups, clients } = input;
  const clusterName = cluster.metadata.name;
  // Spec problems surface before any AWS call.
  buildClusterTasks(cluster, instanceGroups);
  // Read alongside discovery; awaited when the tasks are built.
  const identity = identityOptionsOf(input);
  identity.catch(() => undefined);
  const dnsType = cluster.spec.topology?.dns?.type ?? 'Public';
  const [snapshot, loadBalancers, storeFacts, secretsPlan, caCertHash, pins] = await Promise.all([
    discoverCluster(clients, {
      clusterName,
      imageRefs: instanceGroups.map((ig) => ig.spec.image),
      dnsZone: cluster.spec.dnsZone && dnsType !== 'None' ? cluster.spec.dnsZone : undefined,
      privateDns: dnsType === 'Private',
    }),
    findLoadBalancers(clients, clusterName),
    input.store ? readStoreFacts(input.store, clusterName) : Promise.resolve({ completedSpec: false }),
    input.store ? planSecrets(input.store, clusterName) : undefined,
    input.store ? readCaCertHash(input.store, clusterName) : undefined,
    machinePinsOf(cluster),
  ]);
  await discoverApiAndVolumes(clients, clusterName, loadBalancers, snapshot);
  const ownership = decideOwnership(clusterName, [
    ...storeEvidence(clusterName, storeFacts),
    ...cloudEvidence({ clusterName, launchTemplates: snapshot.launchTemplates, autoScalingGroups: snapshot.autoScalingGroups, loadBalancers }),
  ]);
  const missingImages = [...new Set(instanceGroups.map((ig) => ig.spec.image))].filter((ref) => !snapshot.images.has(ref));
  // A kops-made cluster's plan is only shown, never applied: an image kopsdeck cannot resolve does not stop the preview.
  if (missingImages.length && ownership.manager === 'kopsdeck') {
    throw new ReconcileSpecError(missingImages.map((ref) => `image ${ref} was not found in region ${clients.region ?? '(default)'}: check the instance group's spec.image`));
  }
  // Likewise a container runtime the channel does not pin: kopsdeck's machines could not install one.
  const runtimeProblems = ownership.manager === 'kopsdeck' ? checkContainerd(cluster, instanceGroups, pins.containerd) : [];
  if (runtimeProblems.length) throw new ReconcileSpecError(runtimeProblems);
  const tasks = buildClusterTasks(cluster, instanceGroups, { groupNames: existingGroupNames(clusterName, instanceGroups, snapshot), caCertHash, ...pins, ...(await identity) });
  const context: ReconcileContext = { clusterName, clients, snapshot, ids: new Map(), clock: input.clock ?? systemClock, signal: input.signal };
  const built = buildPlan(tasks, context);
  const wantedRules = built.tasks.filter((p) => p.task.kind === 'SecurityGroupRule').map((p) => p.desired as RuleDesired);
  const staleGroups = staleInstanceGroupDeletions(tasks, snapshot.autoScalingGroups, snapshot.launchTemplates, ownership);
  const staleRules = staleRuleDeletions(context, wantedRules, (group, rule) => ownership.manager === 'kopsdeck' && isRemovableExtraRule(clusterName, group, rule, snapshot.securityGroups));
  const modifies: PlannedTask[] = [];
  const leftAlone: LeftAlone[] = [];
  for (const p of built.modifies) {
    const verdict = modifyVerdict(p, ownership, snapshot);
    if (verdict.owned) modifies.push(p);
    else leftAlone.push({ kind: p.task.kind, name: p.task.name, reason: `${verdict.reason}; kopsdeck would have changed ${changedFields(p)}` });
  }
  leftAlone.push(...staleGroups.leftAlone, ...keptRules(staleRules, ownership));
  const plan: Plan = { ...built, modifies, deletes: [...staleGroups.deletions, ...staleRules.deletions], leftAlone };
  const secrets = input.store && secretsPlan && ownership.manager === 'kopsdeck' ? { store: input.store, plan: secretsPlan } : undefined;
  return { plan, context, ownership, secrets, input, caCertHash };
}

/** The API load balancer's details (by kops' names) and the cluster's volumes, into the snapshot. */
async function discoverApiAndVolumes(clients: AwsClients, clusterName: string, loadBalancers: ClusterLoadBalancers, snapshot: ClusterSnapshot): Promise<void> {
  const names = apiLoadBalancerNames(clusterName);
  const [apiLoadBalancing, volumes] = await Promise.all([
    describeApiLoadBalancing(clients, loadBalancers, { loadBalancer: names.loadBalancer, targetGroups: [names.targetGroup] }),
    findVolumes(clients, clusterName),
  ]);
  Object.assign(snapshot, { apiLoadBalancing, volumes });
}

function modifyVerdict(p: PlannedTask, ownership: ClusterOwnership, snapshot: ClusterSnapshot): Verdict {
  switch (p.task.kind) {
    case 'LaunchTemplate':
      return launchTemplateVerdict(ownership, p.actual as LaunchTemplateState);
    case 'AutoscalingGroup':
      return autoScalingGroupVerdict(ownership, p.actual as AutoScalingGroup, snapshot.launchTemplates);
    case 'DNSName':
      // kops' dns-controller keeps api.<cluster>; an alias points at a load balancer.
      if ((p.actual as ResourceRecordSet).AliasTarget) return { owned: false, reason: 'it is an alias to a load balancer, which kopsdeck does not manage' };
      return clusterResourceVerdict(ownership);
    default:
      return clusterResourceVerdict(ownership);
  }
}

function changedFields(p: PlannedTask): string {
  const fields = [...new Set(p.changes.map((c) => (c.field.includes('Tags[') ? c.field.replace(/\[.*$/, '') : c.field)))];
  return fields.join(', ');
}

/** One line per security group for the rules kept. */
function keptRules(stale: StaleRules, ownership: ClusterOwnership): LeftAlone[] {
  const byGroup = new Map<string, number>();
  for (const rule of stale.kept) byGroup.set(rule.group, (byGroup.get(rule.group) ?? 0) + 1);
  return [...byGroup].map(([group, count]) => {
    const rules = `${count} ingress ${count === 1 ? 'rule' : 'rules'} no kopsdeck rule covers`;
    const role = (Object.keys(REMOVE_EXTRA_RULE_PORTS) as (keyof typeof REMOVE_EXTRA_RULE_PORTS)[]).find((r) => group.startsWith(`${r}.`));
    const why =
      ownership.manager === 'kops'
        ? MADE_BY_KOPS
        : `kopsdeck removes extra rules only on the ports it manages there (${role ? REMOVE_EXTRA_RULE_PORTS[role].join(', ') : 'none'}), as kops does`;
    return { kind: 'SecurityGroupRule', name: group, reason: `${rules}; ${why}` };
  });
}

export interface ApplyClusterOptions extends ApplyOptions {
  /** Told which secrets were generated, before any cloud change. */
  onSecrets?: (result: EnsureSecretsResult) => void;
}

export interface ApplyClusterInput extends ClusterInput, ApplyClusterOptions {
  /** A plan from planCluster (what the user saw); planned afresh when absent. */
  planned?: ClusterPlan;
}

export interface ApplyClusterResult extends ApplyResult {
  plan: Plan;
}

export async function applyCluster(input: ApplyClusterInput): Promise<ApplyClusterResult> {
  return applyClusterPlan(input.planned ?? (await planCluster(input)), input);
}

/** Applies a plan; refuses (NotOwnedError, nothing done) when kops made the cluster. */
export async function applyClusterPlan(planned: ClusterPlan, options: ApplyClusterOptions = {}): Promise<ApplyClusterResult> {
  if (planned.ownership.manager !== 'kopsdeck') throw new NotOwnedError(planned.ownership, 'update');
  if (planned.secrets) {
    // Not inside `onSecrets?.(...)`: an optional call skips its arguments when there is no listener.
    const stored = await storeSecrets(planned.secrets.store, planned.context.clusterName);
    options.onSecrets?.(stored);
    // A new cluster's CA exists only now: plan again so its machines' user-data carries the CA's hash.
    if (!planned.caCertHash && planned.input) planned = await planCluster(planned.input);
  }
  const result = await applyPlan(planned.plan, planned.context, options);
  return { ...result, plan: planned.plan };
}

/** Secrets first: instances made without them could never join. */
async function storeSecrets(store: ObjectStore, cluster: string): Promise<EnsureSecretsResult> {
  try {
    return await ensureSecrets(store, cluster);
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    throw new Error(`could not store the secrets of ${cluster} in ${store.url}: ${reason}; nothing was changed in the cloud`);
  }
}
