// What a rehearsal learns while its rollout runs: each event stamped on the
// rehearsal's clock (group durations, waves, drains blocked by budgets), and
// the pods sampled on that clock (pods with nowhere to go, the fewest ready
// pods of each workload).
import type { Clock } from '../clock.js';
import type { KubeClient } from '../kube/client.js';
import type { KubeList, KubePod } from '../kube/types.js';
import type { RolloutEvent } from '../rollout/types.js';
import type { BlockedDrain, GroupPrediction, ShapeWorkload, StrandedPod, WaveEntry, WorkloadAvailability } from './types.js';

interface OpenBlock {
  since: number;
  pdbs: Set<string>;
  pods: Set<string>;
}

export class EventLog {
  readonly groups: GroupPrediction[] = [];
  readonly waves: WaveEntry[] = [];
  readonly blocked: (BlockedDrain & { rehearsalNode: string })[] = [];
  private readonly start: number;
  private readonly groupStarts = new Map<string, { at: number; instances: number }>();
  private readonly openBlocks = new Map<string, OpenBlock>();
  finished?: Extract<RolloutEvent, { type: 'finished' }>;

  constructor(private readonly clock: Clock) {
    this.start = clock.now();
  }

  at(): number {
    return this.clock.now() - this.start;
  }

  record(event: RolloutEvent): void {
    const now = this.at();
    if (event.type === 'group-started') this.groupStarts.set(event.group, { at: now, instances: event.instances });
    if (event.type === 'group-finished') {
      const started = this.groupStarts.get(event.group);
      this.groups.push({ group: event.group, instances: started?.instances ?? 0, durationMs: event.durationMs });
      this.closeWaves(event.group, now);
    }
    if (event.type === 'wave-started') {
      this.closeWaves(event.group, now);
      this.waves.push({ group: event.group, wave: event.wave, waves: event.waves, instances: event.instances.length, startMs: now });
    }
    if (event.type === 'drain-blocked') this.noteBlocked(event, now);
    if (event.type === 'step-finished' && event.step === 'drain' && event.nodeName) this.closeBlock(event.nodeName, now);
    if (event.type === 'finished') {
      this.finished = event;
      for (const node of [...this.openBlocks.keys()]) this.closeBlock(node, now);
    }
  }

  private closeWaves(group: string, now: number): void {
    for (const wave of this.waves) if (wave.group === group && wave.endMs === undefined) wave.endMs = now;
  }

  private noteBlocked(event: Extract<RolloutEvent, { type: 'drain-blocked' }>, now: number): void {
    const open = this.openBlocks.get(event.nodeName) ?? { since: now, pdbs: new Set<string>(), pods: new Set<string>() };
    for (const b of event.blocked) {
      open.pods.add(`${b.pod.namespace}/${b.pod.name}`);
      if (b.pdb) open.pdbs.add(`${b.pdb.namespace}/${b.pdb.name}`);
    }
    this.openBlocks.set(event.nodeName, open);
  }

  private closeBlock(node: string, now: number): void {
    const open = this.openBlocks.get(node);
    if (!open) return;
    this.openBlocks.delete(node);
    this.blocked.push({ node, rehearsalNode: node, pdbs: [...open.pdbs].sort(), pods: [...open.pods].sort(), blockedMs: now - open.since });
  }
}

/** Samples pods every `everyMs` of the rehearsal's clock until stopped. */
export class PodSampler {
  private readonly stranded = new Map<string, { message: string; firstMs: number; lastMs: number }>();
  private readonly lowestReady = new Map<string, number>();
  private running = true;
  private readonly loop: Promise<void>;

  constructor(
    private readonly kube: KubeClient,
    private readonly log: EventLog,
    private readonly workloads: ShapeWorkload[],
    private readonly clock: Clock,
    everyMs = 5_000,
  ) {
    this.loop = this.run(everyMs);
  }

  private async run(everyMs: number): Promise<void> {
    while (this.running) {
      await this.sample().catch(() => undefined);
      await this.clock.sleep(everyMs);
    }
  }

  private async sample(): Promise<void> {
    const pods = (await this.kube.request<KubeList<KubePod>>('GET', '/api/v1/pods')).items;
    const now = this.log.at();
    const ready = new Map<string, number>();
    for (const pod of pods) {
      const workload = workloadOf(pod, this.workloads);
      if (!workload) continue;
      if (!pod.metadata.deletionTimestamp && pod.status?.conditions?.some((c) => c.type === 'Ready' && c.status === 'True')) ready.set(workload, (ready.get(workload) ?? 0) + 1);
      const unscheduled = (pod.status?.conditions as { type: string; status: string; message?: string }[] | undefined)?.find((c) => c.type === 'PodScheduled' && c.status === 'False');
      if (unscheduled && !pod.metadata.deletionTimestamp) {
        const seen = this.stranded.get(workload) ?? { message: unscheduled.message ?? 'unschedulable', firstMs: now, lastMs: now };
        seen.lastMs = now;
        seen.message = unscheduled.message ?? seen.message;
        this.stranded.set(workload, seen);
      }
    }
    for (const w of this.workloads) {
      const key = `${w.namespace}/${w.name}`;
      this.lowestReady.set(key, Math.min(this.lowestReady.get(key) ?? Infinity, ready.get(key) ?? 0));
    }
  }

  async stop(): Promise<{ stranded: StrandedPod[]; availability: WorkloadAvailability[] }> {
    this.running = false;
    await this.loop;
    const stranded = [...this.stranded].map(([workload, s]) => ({ workload, message: s.message, forMs: s.lastMs - s.firstMs }));
    const availability = this.workloads
      .filter((w) => w.kind === 'Deployment')
      .map((w) => {
        const key = `${w.namespace}/${w.name}`;
        const lowest = this.lowestReady.get(key) ?? w.replicas;
        return { workload: key, replicas: w.replicas, peakUnavailable: Math.max(0, w.replicas - lowest) };
      });
    return { stranded, availability };
  }
}

/** The workload a rehearsal pod belongs to: the one whose labels its own labels carry. */
function workloadOf(pod: KubePod, workloads: ShapeWorkload[]): string | undefined {
  const labels = pod.metadata.labels ?? {};
  const w = workloads.find((w) => w.namespace === pod.metadata.namespace && Object.entries(w.labels).every(([k, v]) => labels[k] === v) && Object.keys(w.labels).length > 0);
  return w ? `${w.namespace}/${w.name}` : undefined;
}
