// The console's rehearsal of one cluster's planned rolling update
// (engine/rehearse): started from the plan screen, it reads the cluster,
// rolls a private copy in a simulator the start-up code provides
// (Services.openRehearsalWorld), and keeps the report. UI-free: the screen
// subscribes through hooks/useRehearsal.ts.
import { clusterRegion } from '../engine/cloud/access.js';
import { awsClientsFor } from '../engine/cloud/aws/clients.js';
import { errorMessage } from '../engine/error-message.js';
import { Listeners } from '../engine/listeners.js';
import { createKubeClient } from '../engine/kube/client.js';
import { rehearse } from '../engine/rehearse/run-rehearsal.js';
import type { RehearsalReport } from '../engine/rehearse/types.js';
import type { RolloutPlan, RolloutTimings } from '../engine/rollout/types.js';
import type { Services } from './services.js';

export interface RehearsalState {
  phase: 'idle' | 'running' | 'done' | 'error';
  /** The last progress line while running. */
  step?: string;
  report?: RehearsalReport;
  error?: string;
}

export class RehearsalSession {
  private state: RehearsalState = { phase: 'idle' };
  private readonly listeners = new Listeners();

  constructor(
    private readonly services: Services,
    private readonly cluster: string,
  ) {}

  readonly subscribe = (listener: () => void): (() => void) => this.listeners.add(listener);

  readonly getState = (): RehearsalState => this.state;

  get available(): boolean {
    return Boolean(this.services.access && this.services.openRehearsalWorld);
  }

  /** Back to the plan (a rehearsal still running finishes on its own and is forgotten). */
  close(): void {
    this.set({ phase: 'idle' });
  }

  async start(plan: RolloutPlan, timings?: Partial<RolloutTimings>): Promise<void> {
    const access = this.services.access;
    const openWorld = this.services.openRehearsalWorld;
    if (this.state.phase === 'running' || !access || !openWorld) return;
    this.set({ phase: 'running', step: `Reading the shape of ${this.cluster} (read-only)` });
    try {
      const stored = await this.services.store.getCluster(this.cluster);
      if (!stored) throw new Error(`cluster ${this.cluster} was not found in ${this.services.storeUrl}`);
      const clients = awsClientsFor(access, clusterRegion(stored.value, access));
      const kube = await createKubeClient({ cluster: this.cluster, kubeconfigPath: access.kubeconfigPath }).catch((error: unknown) => {
        clients.destroy();
        throw error;
      });
      try {
        const report = await rehearse({
          cluster: this.cluster,
          source: { kube, clients, store: this.services.store },
          plan,
          options: { timings },
          openWorld,
          progress: (step) => this.isRunning() && this.set({ ...this.state, step }),
        });
        if (this.isRunning()) this.set({ phase: 'done', report });
      } finally {
        kube.close();
        clients.destroy();
      }
    } catch (error) {
      if (this.isRunning()) this.set({ phase: 'error', error: errorMessage(error) });
    }
  }

  /** Still the run this session started (Esc forgets it: its late result is dropped). */
  private isRunning(): boolean {
    return this.state.phase === 'running';
  }

  private set(state: RehearsalState): void {
    this.state = state;
    this.listeners.notify();
  }
}
