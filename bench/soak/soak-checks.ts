// What the soak benchmark checks after each trial, read from the outside as
// an on-call engineer would: the rollout journal (no step run twice, none
// skipped), the cluster's instances (none running outside its groups), its
// workloads (no pod lost), and, sampled while the rollout runs, how many
// worker nodes were unavailable against what the group allows.
import { DescribeAutoScalingGroupsCommand } from '@aws-sdk/client-auto-scaling';
import { DescribeInstancesCommand } from '@aws-sdk/client-ec2';
import type { AwsClients } from '../../src/engine/cloud/aws/clients.js';
import type { KubeClient } from '../../src/engine/kube/client.js';
import type { KubeList, KubeNode } from '../../src/engine/kube/types.js';
import { readJournal, stepsFor } from '../../src/engine/rollout/journal.js';
import type { ObjectStore } from '../../src/engine/store/object-store.js';

export interface StepFindings {
  repeated: number;
  skipped: number;
}

/** Each instance's finished steps must be its step list, in order, from the start, each once (since its node was last given back). */
export async function journalFindings(objects: ObjectStore, cluster: string): Promise<StepFindings> {
  const journal = await readJournal(objects, cluster);
  if (!journal) return { repeated: 0, skipped: 0 };
  const byInstance = new Map<string, { surge: boolean; steps: string[] }>();
  let repeated = 0;
  for (const entry of journal.entries) {
    if (entry.step === 'skip') continue;
    // An uncordon gives the node back after an abort or a stop: the instance starts over (replayJournal), so its steps may come again.
    if (entry.step === 'uncordon') {
      byInstance.set(entry.instance, { surge: false, steps: [] });
      continue;
    }
    const seen = byInstance.get(entry.instance) ?? { surge: false, steps: [] };
    if (entry.step === 'confirm') seen.surge = entry.surge ?? false;
    if (seen.steps.includes(entry.step)) repeated++;
    seen.steps.push(entry.step);
    byInstance.set(entry.instance, seen);
  }
  let skipped = 0;
  for (const { surge, steps } of byInstance.values()) {
    const expected = stepsFor({ surge, withoutKube: false, bastion: false });
    const unique = [...new Set(steps)];
    if (unique.some((step, i) => expected[i] !== step)) skipped++;
  }
  return { repeated, skipped };
}

/** Running instances of the cluster that no auto scaling group holds (left detached, or launched by hand). */
export async function orphanedInstances(clients: AwsClients, cluster: string): Promise<string[]> {
  const filter = [{ Name: 'tag:KubernetesCluster', Values: [cluster] }];
  const groups = (await clients.autoscaling.send(new DescribeAutoScalingGroupsCommand({ Filters: filter }))).AutoScalingGroups ?? [];
  const held = new Set(groups.flatMap((g) => (g.Instances ?? []).map((i) => i.InstanceId)));
  const reservations = (await clients.ec2.send(new DescribeInstancesCommand({ Filters: [...filter, { Name: 'instance-state-name', Values: ['pending', 'running'] }] }))).Reservations ?? [];
  return reservations.flatMap((r) => r.Instances ?? []).map((i) => i.InstanceId!).filter((id) => !held.has(id));
}

interface Deployment {
  metadata: { namespace?: string; name: string };
  spec?: { replicas?: number };
  status?: { readyReplicas?: number };
}

/** Replicas the demo workloads want but do not have ready, once things have had `settleMs` (wall) to settle. */
export async function lostPods(kube: KubeClient, settleMs: number): Promise<number> {
  const deadline = Date.now() + settleMs;
  for (;;) {
    const missing = await missingReplicas(kube).catch(() => Infinity);
    if (missing === 0 || Date.now() > deadline) return Number.isFinite(missing) ? missing : -1;
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

async function missingReplicas(kube: KubeClient): Promise<number> {
  const list = await kube.request<KubeList<Deployment>>('GET', '/apis/apps/v1/namespaces/demo/deployments');
  return list.items.reduce((sum, d) => sum + Math.max(0, (d.spec?.replicas ?? 1) - (d.status?.readyReplicas ?? 0)), 0);
}

/**
 * Samples, while a rollout runs, how many worker nodes are unavailable (not
 * Ready, cordoned, or missing from the group's size) and remembers the worst
 * moment against what the group allows: maxUnavailable, which kops sets to 0
 * when the group surges.
 */
export class UnavailabilitySampler {
  worst = 0;
  samples = 0;
  private timer: NodeJS.Timeout | undefined;

  constructor(
    private readonly kube: KubeClient,
    private readonly desiredWorkers: number,
  ) {}

  start(everyMs = 100): void {
    this.timer = setInterval(() => void this.sample(), everyMs);
  }

  stop(): void {
    clearInterval(this.timer);
  }

  private async sample(): Promise<void> {
    let nodes: KubeNode[];
    try {
      nodes = (await this.kube.request<KubeList<KubeNode>>('GET', '/api/v1/nodes')).items;
    } catch {
      return; // an API blackout: nothing to see
    }
    const workers = nodes.filter((n) => 'node-role.kubernetes.io/node' in (n.metadata.labels ?? {}) || !('node-role.kubernetes.io/control-plane' in (n.metadata.labels ?? {})));
    const available = workers.filter((n) => !n.spec?.unschedulable && n.status?.conditions?.some((c) => c.type === 'Ready' && c.status === 'True')).length;
    this.worst = Math.max(this.worst, this.desiredWorkers - available);
    this.samples++;
  }
}
