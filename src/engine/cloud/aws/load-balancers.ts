// Taking instances out of their load balancers before their nodes are drained,
// as kops does (upup/pkg/fi/cloudup/awsup/aws_cloud.go, deregisterInstance):
// the target groups and classic ELBs of the instances' auto scaling group
// (its TargetGroupARNs and LoadBalancerNames) and, for a control plane of
// more than one node, the target groups of the cluster's API load balancer in
// which they are registered. One deregistration call per target group and per
// ELB for all the instances, then a wait, on the engine's clock, until the
// target groups no longer list them (or list them `unused`) and the ELBs no
// longer report them InService (connection draining over), bounded by the
// longest deregistration delay or draining timeout involved plus a margin.
// What each instance was taken out of is returned, so it can be put back.
import { DescribeAutoScalingGroupsCommand } from '@aws-sdk/client-auto-scaling';
import {
  DeregisterTargetsCommand,
  DescribeLoadBalancersCommand,
  DescribeTagsCommand,
  DescribeTargetGroupAttributesCommand,
  DescribeTargetGroupsCommand,
  DescribeTargetHealthCommand,
  RegisterTargetsCommand,
} from '@aws-sdk/client-elastic-load-balancing-v2';
import {
  DeregisterInstancesFromLoadBalancerCommand,
  DescribeInstanceHealthCommand,
  DescribeLoadBalancerAttributesCommand,
  RegisterInstancesWithLoadBalancerCommand,
} from '@aws-sdk/client-elastic-load-balancing';
import type { Clock } from '../../clock.js';
import { inBatches } from './batches.js';
import type { AwsClients } from './clients.js';
import { describeAwsError } from './errors.js';
import { TAG_CLUSTER, clusterOwnershipTag, fromTagList } from './tags.js';

export type LoadBalancerClients = Pick<AwsClients, 'autoscaling' | 'elbv2' | 'elb'>;

/** One registration of an instance with a target group. */
export interface TargetGroupRef {
  arn: string;
  port: number;
}

/** Where an instance served traffic, before it was taken out. */
export interface LoadBalancerMembership {
  targetGroups: TargetGroupRef[];
  classic: string[];
}

export interface Deregistration {
  /** Per instance, what it was taken out of (to put it back). */
  taken: Map<string, LoadBalancerMembership>;
  /** Per instance, the load balancers it drained from: those it was taken out of, and those it was already leaving (detached by a surge). */
  drainedFrom: Map<string, string[]>;
}

export interface DeregisterOptions {
  clock: Clock;
  /** The auto scaling group the instances are members of (or were detached from). */
  groupName: string;
  instanceIds: readonly string[];
  /** The cluster whose API load balancer's target groups count too (control-plane instances); absent: only the group's. */
  apiLoadBalancerOf?: string;
  /** Clock ms to wait for the draining; default: the longest delay or timeout involved plus DRAIN_MARGIN_MS. */
  timeoutMs?: number;
  /** Clock ms between looks while draining (kops: 5 s). */
  pollMs?: number;
  signal?: AbortSignal;
  /** Told what was found, once the instances are deregistered and before the wait. */
  onDraining?: (found: FoundLoadBalancers) => void;
}

export interface FoundLoadBalancers {
  /** Names of the target groups and classic ELBs the instances are being taken out of. */
  names: string[];
  /** Clock ms the wait may take at most. */
  timeoutMs: number;
  /** What each instance was taken out of (as returned at the end). */
  taken: ReadonlyMap<string, LoadBalancerMembership>;
}

/** A deregistration that failed or did not finish: the rollout stops on it, as kops does. */
export class LoadBalancerDeregistrationError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'LoadBalancerDeregistrationError';
  }
}

export const DRAIN_MARGIN_MS = 60_000;
const POLL_MS = 5_000;
/** Targets per DeregisterTargets / RegisterTargets call, instances per classic (de)registration call. */
const BATCH = 100;

export const targetGroupName = (arn: string): string => arn.split(':').pop()?.split('/')[1] ?? arn;

interface TargetGroupWork {
  arn: string;
  delayMs: number;
  /** Our targets that serve now: we deregister them. */
  serving: { instance: string; port: number }[];
  servingIds: string[];
  /** Ours (serving or already draining): waited for. */
  ours: Set<string>;
}

interface ClassicWork {
  name: string;
  drainMs: number;
  serving: string[];
  ours: Set<string>;
}

/**
 * Deregisters the instances from every load balancer they serve and waits
 * until they are drained. Returns, per instance, what it was taken out of
 * (instances already draining, e.g. detached by a surge, are waited for but
 * not taken out) and what it drained from. Throws
 * LoadBalancerDeregistrationError naming the load balancer.
 */
export async function takeOutOfLoadBalancers(clients: LoadBalancerClients, options: DeregisterOptions): Promise<Deregistration> {
  const ids = new Set(options.instanceIds);
  const memberships = new Map<string, LoadBalancerMembership>([...ids].map((id) => [id, { targetGroups: [], classic: [] }]));
  const drainedFrom = new Map<string, string[]>([...ids].map((id) => [id, []]));
  const result = { taken: memberships, drainedFrom };
  if (ids.size === 0) return result;
  const { targetGroupArns, loadBalancerNames } = await loadBalancersOf(clients, options);
  const [groups, elbs] = await Promise.all([
    Promise.all(targetGroupArns.map((arn) => lookAtTargetGroup(clients, arn, ids))),
    Promise.all(loadBalancerNames.map((name) => lookAtClassic(clients, name, ids))),
  ]);
  await Promise.all([
    ...groups.map((g) => fail(`could not deregister ${g.servingIds.join(', ')} from target group ${targetGroupName(g.arn)}`, () => deregisterTargets(clients, g))),
    ...elbs.map((e) => fail(`could not deregister ${e.serving.join(', ')} from classic load balancer ${e.name}`, () => deregisterClassic(clients, e))),
  ]);
  for (const g of groups) for (const ref of g.serving) memberships.get(ref.instance)!.targetGroups.push({ arn: g.arn, port: ref.port });
  for (const e of elbs) for (const id of e.serving) memberships.get(id)!.classic.push(e.name);
  for (const g of groups) for (const id of g.ours) drainedFrom.get(id)!.push(`target group ${targetGroupName(g.arn)}`);
  for (const e of elbs) for (const id of e.ours) drainedFrom.get(id)!.push(`classic load balancer ${e.name}`);
  const waiting = { groups: groups.filter((g) => g.ours.size > 0), elbs: elbs.filter((e) => e.ours.size > 0) };
  if (waiting.groups.length + waiting.elbs.length === 0) return result;
  const longest = Math.max(0, ...waiting.groups.map((g) => g.delayMs), ...waiting.elbs.map((e) => e.drainMs));
  const timeoutMs = options.timeoutMs ?? longest + DRAIN_MARGIN_MS;
  const names = [...waiting.groups.map((g) => `target group ${targetGroupName(g.arn)}`), ...waiting.elbs.map((e) => `classic load balancer ${e.name}`)];
  options.onDraining?.({ names, timeoutMs, taken: memberships });
  await waitUntilDrained(clients, waiting, { ...options, timeoutMs });
  return result;
}

/** Registers each instance again where it was taken out of (a rollout that stops before the drain puts them back). */
export async function putBackIntoLoadBalancers(clients: LoadBalancerClients, memberships: ReadonlyMap<string, LoadBalancerMembership>): Promise<void> {
  const byGroup = new Map<string, { Id: string; Port: number }[]>();
  const byElb = new Map<string, string[]>();
  for (const [id, m] of memberships) {
    for (const ref of m.targetGroups) byGroup.set(ref.arn, [...(byGroup.get(ref.arn) ?? []), { Id: id, Port: ref.port }]);
    for (const name of m.classic) byElb.set(name, [...(byElb.get(name) ?? []), id]);
  }
  const failures: string[] = [];
  const attempt = async (what: string, call: () => Promise<unknown>) => {
    try {
      await call();
    } catch (error) {
      failures.push(`${what}: ${describeAwsError(error)}`);
    }
  };
  await Promise.all([
    ...[...byGroup].map(([arn, targets]) =>
      attempt(`target group ${targetGroupName(arn)}`, async () => {
        for (const batch of inBatches(targets, BATCH)) await clients.elbv2.send(new RegisterTargetsCommand({ TargetGroupArn: arn, Targets: batch }));
      }),
    ),
    ...[...byElb].map(([name, instanceIds]) =>
      attempt(`classic load balancer ${name}`, async () => {
        for (const batch of inBatches(instanceIds, BATCH)) {
          await clients.elb.send(new RegisterInstancesWithLoadBalancerCommand({ LoadBalancerName: name, Instances: batch.map((InstanceId) => ({ InstanceId })) }));
        }
      }),
    ),
  ]);
  if (failures.length > 0) throw new Error(`could not register ${[...memberships.keys()].join(', ')} again: ${failures.join('; ')}`);
}

async function fail<T>(what: string, call: () => Promise<T>): Promise<T> {
  try {
    return await call();
  } catch (error) {
    if (error instanceof LoadBalancerDeregistrationError) throw error;
    throw new LoadBalancerDeregistrationError(`${what}: ${describeAwsError(error)}`);
  }
}

async function loadBalancersOf(clients: LoadBalancerClients, options: DeregisterOptions): Promise<{ targetGroupArns: string[]; loadBalancerNames: string[] }> {
  const described = await fail(`could not read the load balancers of auto scaling group ${options.groupName}`, () =>
    clients.autoscaling.send(new DescribeAutoScalingGroupsCommand({ AutoScalingGroupNames: [options.groupName] })),
  );
  const group = described.AutoScalingGroups?.find((g) => g.AutoScalingGroupName === options.groupName);
  const targetGroupArns = new Set(group?.TargetGroupARNs ?? []);
  if (options.apiLoadBalancerOf) for (const arn of await apiTargetGroups(clients, options.apiLoadBalancerOf)) targetGroupArns.add(arn);
  return { targetGroupArns: [...targetGroupArns], loadBalancerNames: group?.LoadBalancerNames ?? [] };
}

/** The target groups of the cluster's API load balancer, tagged as kops tags it (Name=api.<cluster>, the cluster's tag). */
async function apiTargetGroups(clients: LoadBalancerClients, cluster: string): Promise<string[]> {
  return fail(`could not find the API load balancer of ${cluster}`, async () => {
    const arns: string[] = [];
    let marker: string | undefined;
    do {
      const page = await clients.elbv2.send(new DescribeLoadBalancersCommand({ Marker: marker }));
      arns.push(...(page.LoadBalancers ?? []).map((lb) => lb.LoadBalancerArn!));
      marker = page.NextMarker;
    } while (marker);
    const api: string[] = [];
    for (const batch of inBatches(arns, 20)) {
      const described = await clients.elbv2.send(new DescribeTagsCommand({ ResourceArns: batch }));
      for (const d of described.TagDescriptions ?? []) {
        const tags = fromTagList(d.Tags);
        const ours = tags[TAG_CLUSTER] === cluster || tags[clusterOwnershipTag(cluster)] !== undefined;
        if (ours && tags.Name === `api.${cluster}`) api.push(d.ResourceArn!);
      }
    }
    const groups = await Promise.all(api.map((arn) => clients.elbv2.send(new DescribeTargetGroupsCommand({ LoadBalancerArn: arn }))));
    return groups.flatMap((g) => (g.TargetGroups ?? []).map((t) => t.TargetGroupArn!));
  });
}

async function lookAtTargetGroup(clients: LoadBalancerClients, arn: string, ids: Set<string>): Promise<TargetGroupWork> {
  return fail(`could not read target group ${targetGroupName(arn)} (${arn})`, async () => {
    const [attributes, health] = await Promise.all([
      clients.elbv2.send(new DescribeTargetGroupAttributesCommand({ TargetGroupArn: arn })),
      clients.elbv2.send(new DescribeTargetHealthCommand({ TargetGroupArn: arn })),
    ]);
    const delay = Number(attributes.Attributes?.find((a) => a.Key === 'deregistration_delay.timeout_seconds')?.Value ?? '300');
    const ours = (health.TargetHealthDescriptions ?? []).filter((d) => ids.has(d.Target?.Id ?? '') && d.TargetHealth?.State !== 'unused');
    const serving = ours.filter((d) => d.TargetHealth?.State !== 'draining').map((d) => ({ instance: d.Target!.Id!, port: d.Target!.Port! }));
    return { arn, delayMs: delay * 1000, serving, servingIds: [...new Set(serving.map((s) => s.instance))], ours: new Set(ours.map((d) => d.Target!.Id!)) };
  });
}

async function lookAtClassic(clients: LoadBalancerClients, name: string, ids: Set<string>): Promise<ClassicWork> {
  return fail(`could not read classic load balancer ${name}`, async () => {
    const [attributes, health] = await Promise.all([
      clients.elb.send(new DescribeLoadBalancerAttributesCommand({ LoadBalancerName: name })),
      clients.elb.send(new DescribeInstanceHealthCommand({ LoadBalancerName: name })),
    ]);
    const draining = attributes.LoadBalancerAttributes?.ConnectionDraining;
    const ours = (health.InstanceStates ?? []).filter((s) => ids.has(s.InstanceId ?? ''));
    const serving = ours.filter((s) => !isDeregistering(s)).map((s) => s.InstanceId!);
    return { name, drainMs: draining?.Enabled ? (draining.Timeout ?? 300) * 1000 : 0, serving, ours: new Set(ours.map((s) => s.InstanceId!)) };
  });
}

/** A classic ELB reports an instance it is draining as InService with this description. */
const isDeregistering = (s: { State?: string; Description?: string }) => s.State === 'InService' && /deregistration currently in progress/i.test(s.Description ?? '');

async function deregisterTargets(clients: LoadBalancerClients, group: TargetGroupWork): Promise<void> {
  for (const batch of inBatches(group.serving, BATCH)) {
    await clients.elbv2.send(new DeregisterTargetsCommand({ TargetGroupArn: group.arn, Targets: batch.map((t) => ({ Id: t.instance, Port: t.port })) }));
  }
}

async function deregisterClassic(clients: LoadBalancerClients, elb: ClassicWork): Promise<void> {
  for (const batch of inBatches(elb.serving, BATCH)) {
    await clients.elb.send(new DeregisterInstancesFromLoadBalancerCommand({ LoadBalancerName: elb.name, Instances: batch.map((InstanceId) => ({ InstanceId })) }));
  }
}

async function waitUntilDrained(
  clients: LoadBalancerClients,
  waiting: { groups: TargetGroupWork[]; elbs: ClassicWork[] },
  options: DeregisterOptions & { timeoutMs: number },
): Promise<void> {
  const { clock, signal } = options;
  const deadline = clock.now() + options.timeoutMs;
  for (;;) {
    signal?.throwIfAborted();
    const left = await Promise.all([
      ...waiting.groups.map((g) =>
        fail(`could not read target group ${targetGroupName(g.arn)} while draining`, async () => {
          const health = await clients.elbv2.send(new DescribeTargetHealthCommand({ TargetGroupArn: g.arn }));
          const still = (health.TargetHealthDescriptions ?? []).filter((d) => g.ours.has(d.Target?.Id ?? '') && d.TargetHealth?.State !== 'unused');
          return still.length > 0 ? `${[...new Set(still.map((d) => d.Target!.Id!))].join(', ')} still ${still[0].TargetHealth?.State} in target group ${targetGroupName(g.arn)}` : undefined;
        }),
      ),
      ...waiting.elbs.map((e) =>
        fail(`could not read classic load balancer ${e.name} while draining`, async () => {
          const health = await clients.elb.send(new DescribeInstanceHealthCommand({ LoadBalancerName: e.name }));
          const still = (health.InstanceStates ?? []).filter((s) => e.ours.has(s.InstanceId ?? '') && s.State === 'InService');
          return still.length > 0 ? `${still.map((s) => s.InstanceId).join(', ')} still in service in classic load balancer ${e.name}` : undefined;
        }),
      ),
    ]);
    const pending = left.filter((l): l is string => l !== undefined);
    if (pending.length === 0) return;
    const remaining = deadline - clock.now();
    if (remaining <= 0) throw new LoadBalancerDeregistrationError(`connection draining did not finish within ${Math.round(options.timeoutMs / 1000)}s: ${pending.join('; ')}`);
    await clock.sleep(Math.min(options.pollMs ?? POLL_MS, remaining), signal);
  }
}
