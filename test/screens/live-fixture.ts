// A small cluster made the way a user makes one (`create cluster` then `update
// cluster --yes` through the CLI), on a simulator started in this process and
// recorded in KOPSDECK_HOME/sim so that the CLI (and a built kopsdeck in tmux)
// connect to the same one. Services for the console point at it.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { CloudAccess } from '../../src/engine/cloud/access.js';
import type { KubeClient } from '../../src/engine/kube/client.js';
import type { KubeNode } from '../../src/engine/kube/types.js';
import { openStateStore } from '../../src/engine/store/open-store.js';
import type { ClusterStore } from '../../src/engine/store/cluster-store.js';
import type { Services } from '../../src/hooks/services.js';
import { simulatorAccess } from '../../src/startup/cloud-session.js';
import { startRecordedSimulator, type SimulatorConnection } from '../../src/startup/simulator-connection.js';
import { cliHarness, type CliResult } from '../helpers/cli-harness.js';
import { connectKube, listNodes, putSimFaults, waitForReadyNodes } from '../helpers/sim-cluster.js';

export interface LiveFixture {
  name: string;
  home: string;
  stateUrl: string;
  speed: number;
  sim: SimulatorConnection;
  store: ClusterStore;
  access: CloudAccess;
  kube: KubeClient;
  /** Runs the kopsdeck CLI in-process against this state store and simulator. */
  cli(args: string[]): Promise<CliResult>;
  services(overrides?: Partial<Services>): Services;
  nodes(): Promise<KubeNode[]>;
  waitForReadyNodes(count: number, timeoutMs?: number): Promise<KubeNode[]>;
  /** PUT /sim/faults. */
  putFaults(patch: Record<string, unknown>): Promise<void>;
  stop(): Promise<void>;
}

export interface LiveFixtureOptions {
  name?: string;
  workers?: number;
  speed?: number;
  /** `create cluster --kubernetes-version`; absent: the default for new clusters. */
  kubernetesVersion?: string;
}

export async function startLiveFixture(opts: LiveFixtureOptions = {}): Promise<LiveFixture> {
  const name = opts.name ?? 'live.k8s.local';
  const workers = opts.workers ?? 2;
  const speed = opts.speed ?? 100;
  const home = mkdtempSync(join(tmpdir(), 'kopsdeck-live-'));
  const sim = await startRecordedSimulator({ dir: join(home, 'sim'), speed, seed: 5 });
  const harness = cliHarness();
  const env = { KOPSDECK_HOME: home, KOPSDECK_CLOUD: 'sim' };
  const cli = (args: string[]) => harness.run(args, env);
  const stop = async () => {
    await sim.release();
    rmSync(home, { recursive: true, force: true });
    rmSync(harness.home, { recursive: true, force: true });
  };
  try {
    const version = opts.kubernetesVersion ? ['--kubernetes-version', opts.kubernetesVersion] : [];
    const created = await cli(['create', 'cluster', name, '--zones', 'us-east-1a', '--control-plane-count', '1', '--node-count', String(workers), ...version]);
    if (created.code !== 0) throw new Error(`create cluster failed: ${created.stderr}`);
    const updated = await cli(['update', 'cluster', name, '--yes']);
    if (updated.code !== 0) throw new Error(`update cluster failed: ${updated.stderr}`);
  } catch (error) {
    await stop();
    throw error;
  }
  const kube = await connectKube(name, sim.kubeconfigPath, 20_000);
  const store = openStateStore(harness.stateUrl);
  const access = simulatorAccess(sim);
  const fixture: LiveFixture = {
    name,
    home,
    stateUrl: harness.stateUrl,
    speed,
    sim,
    store,
    access,
    kube,
    cli,
    services: (overrides = {}) => ({ store, storeUrl: store.url, cloud: 'aws', simulated: true, region: 'us-east-1', access, ...overrides }),
    nodes: () => listNodes(kube),
    waitForReadyNodes: (count, timeoutMs = 30_000) => waitForReadyNodes(kube, count, timeoutMs, 50),
    putFaults: (patch) => putSimFaults(sim, patch),
    async stop() {
      kube.close();
      await stop();
    },
  };
  try {
    await fixture.waitForReadyNodes(1 + workers);
  } catch (error) {
    await fixture.stop();
    throw error;
  }
  return fixture;
}
