// The shape of a reconcile task, after kops' fi tasks: each kind of resource
// knows how to find what exists, compare it field by field with what should
// exist, and make it so. Tasks name their dependencies by key; ids of created
// resources flow to dependants through the context.
import type { AwsClients } from '../cloud/aws/clients.js';
import type { ClusterSnapshot } from '../cloud/aws/discovery.js';
import type { Clock } from '../clock.js';
import type { TerraformContext, TerraformResource } from '../terraform/types.js';

export type TaskKind =
  | 'VPC'
  | 'Subnet'
  | 'InternetGateway'
  | 'ElasticIP'
  | 'NatGateway'
  | 'RouteTable'
  | 'Route'
  | 'RouteTableAssociation'
  | 'SecurityGroup'
  | 'SecurityGroupRule'
  | 'LaunchTemplate'
  | 'AutoscalingGroup'
  | 'DNSZone'
  | 'DNSName'
  // api.<cluster> as an alias to the API load balancer (kops' DNSName with a TargetLoadBalancer).
  | 'DNSAlias'
  | 'NetworkLoadBalancer'
  | 'NetworkLoadBalancerListener'
  | 'TargetGroup'
  | 'EBSVolume'
  | 'IAMRole'
  | 'IAMRolePolicy'
  | 'IAMInstanceProfile'
  | 'SSHKey';

export interface FieldChange {
  field: string;
  old: string;
  new: string;
}

export interface ReconcileContext {
  clusterName: string;
  clients: AwsClients;
  /** What discovery found before planning. */
  snapshot: ClusterSnapshot;
  /** Cloud id of every task's resource once known (found, or created during apply). */
  ids: Map<string, string>;
  clock: Clock;
  signal?: AbortSignal;
}

export type TaskAction = 'create' | 'modify';

export interface TaskChange<D = unknown, A = unknown> {
  action: TaskAction;
  desired: D;
  actual: A | null;
  changes: FieldChange[];
}

export interface Task<D = unknown, A = unknown> {
  /** `<kind>/<name>`, unique in a plan. */
  readonly key: string;
  readonly kind: TaskKind;
  readonly name: string;
  readonly dependencies: readonly string[];
  /** The desired state, with other tasks' ids filled in where they are known. */
  desired(ctx: ReconcileContext): D;
  /** The actual state, from the discovery snapshot; null when it does not exist. */
  find(ctx: ReconcileContext): A | null;
  /** The cloud id of what find() returned. */
  idOf(actual: A): string;
  diff(desired: D, actual: A): FieldChange[];
  /** Fields shown under "Will create resources:". */
  describe(desired: D): Record<string, string>;
  /** Creates or modifies the resource; returns its cloud id. */
  apply(ctx: ReconcileContext, change: TaskChange<D, A>): Promise<string>;
  /**
   * The resources this task is in a Terraform module (kops' RenderTerraform):
   * the same desired state apply() makes, with other tasks' resources named
   * by reference. Empty when the resource exists outside the module. Every
   * task of the cluster model has one; `--target terraform` refuses a plan
   * with a task that has none.
   */
  terraform?(t: TerraformContext, desired: D): TerraformResource[];
}

/** A resource the cluster owns that the spec no longer wants. */
export interface DeletionTask {
  readonly key: string;
  readonly kind: TaskKind;
  readonly name: string;
  readonly id: string;
  /** Keys of deletions that must finish first. */
  readonly dependencies: readonly string[];
  remove(ctx: Pick<ReconcileContext, 'clients'>): Promise<void>;
}

export const taskKey = (kind: TaskKind, name: string): string => `${kind}/${name}`;

/** The id of `key` if it is known, else a placeholder naming what it will be. */
export function idOrPending(ctx: ReconcileContext, key: string): string {
  return ctx.ids.get(key) ?? `<${key}>`;
}

export function requireId(ctx: ReconcileContext, key: string): string {
  const id = ctx.ids.get(key);
  if (!id) throw new Error(`${key} has no id yet: it must be applied first`);
  return id;
}

/** A field-by-field comparison helper: records a change when the values differ. */
export function compareFields(pairs: [field: string, desired: unknown, actual: unknown][]): FieldChange[] {
  const changes: FieldChange[] = [];
  for (const [field, desired, actual] of pairs) {
    const want = show(desired);
    const have = show(actual);
    if (want !== have) changes.push({ field, old: have, new: want });
  }
  return changes;
}

export function show(value: unknown): string {
  if (value === undefined || value === null) return '<nil>';
  if (Array.isArray(value)) return `[${value.map(show).join(', ')}]`;
  if (typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>).sort(([a], [b]) => a.localeCompare(b));
    return `{${entries.map(([k, v]) => `${k}: ${show(v)}`).join(', ')}}`;
  }
  return String(value);
}

/**
 * Per-key tag changes, one field each (`Tags[Name]`), so a preview names the
 * exact tag. Only tags we want are compared: tags someone else added stay.
 */
export function compareTags(desired: Record<string, string>, actual: Record<string, string>): FieldChange[] {
  const changes: FieldChange[] = [];
  for (const key of Object.keys(desired).sort()) {
    if (desired[key] !== actual[key]) changes.push({ field: `Tags[${key}]`, old: show(actual[key]), new: show(desired[key]) });
  }
  return changes;
}
