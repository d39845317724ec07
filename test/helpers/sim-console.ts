// The console's side of a simulator: the cloud access start-up code would
// build for a running simulator, and a bench (a simulator on 127.0.0.1:0 in a
// temp dir with an empty file state store, the console's services pointed at
// them) for screens that start from nothing, such as the create-cluster wizard.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Clock } from '../../src/engine/clock.js';
import type { CloudAccess } from '../../src/engine/cloud/access.js';
import { ClusterStore } from '../../src/engine/store/cluster-store.js';
import { FileObjectStore } from '../../src/engine/store/file-store.js';
import type { Services } from '../../src/sessions/services.js';
import { startSimulator, type RunningSimulator } from '../../src/sim/simulator.js';
import { simulatorAccess } from '../../src/startup/cloud-session.js';
import { consoleServices } from './console-services.js';
import { awsCallStats } from './sim-reconcile.js';

/**
 * The cloud access start-up code builds for a running simulator; `clock`
 * replaces the one made from the clock's speed when a harness already keeps a
 * clock of its own (the console and the harness then read the same time).
 */
export function simConsoleAccess(sim: Pick<RunningSimulator, 'url' | 'kubeconfigPath' | 'token'>, clock: Clock | { speed: number }): CloudAccess {
  const access = simulatorAccess({ url: sim.url, kubeconfigPath: sim.kubeconfigPath, token: sim.token, speed: clock.speed });
  return 'now' in clock ? { ...access, clock } : access;
}

export interface Bench {
  home: string;
  sim: RunningSimulator;
  access: CloudAccess;
  store: ClusterStore;
  services: Services;
  /** AWS calls by action that change something (Create*, Put*, Update*, Delete*, Run*, ...). */
  mutatingCalls(): Promise<Record<string, number>>;
  close(): Promise<void>;
}

/** An empty simulator and an empty file state store (in `home`/state), with the console's services pointed at them. */
export async function startBench(speed = 50): Promise<Bench> {
  const home = mkdtempSync(join(tmpdir(), 'kopsdeck-wizard-'));
  const sim = await startSimulator({ speed, seed: 11, dir: join(home, 'sim'), port: 0 });
  const access = simConsoleAccess(sim, { speed });
  const store = new ClusterStore(new FileObjectStore(join(home, 'state')));
  return {
    home,
    sim,
    access,
    store,
    services: consoleServices(store, { access }),
    async mutatingCalls() {
      const { awsCalls } = await awsCallStats(sim);
      const reads = /:(Describe|List|Get|Head)/;
      return Object.fromEntries(Object.entries(awsCalls).filter(([action]) => !reads.test(action)));
    },
    async close() {
      await sim.stop();
      rmSync(home, { recursive: true, force: true });
    },
  };
}
