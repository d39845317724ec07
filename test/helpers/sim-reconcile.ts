// Integration harness: a real simulator on 127.0.0.1:0 in a temp dir, real SDK
// clients pointed at it, and spec fixtures from the spec module's builder.
import { generateKeyPairSync } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startSimulator, type RunningSimulator, type SimulatorOptions } from '../../src/sim/simulator.js';
import { createAwsClients, type AwsClients } from '../../src/engine/cloud/aws/clients.js';
import { buildClusterSpec, type ClusterOptions } from '../../src/engine/spec/defaults.js';
import type { ClusterBundle } from '../../src/engine/spec/types.js';
import { scaledClock, type Clock } from '../../src/engine/clock.js';
import { putSimFaults } from './sim-cluster.js';
import { parseSshPublicKey, type SshPublicKey } from '../../src/engine/ssh/public-key.js';
import { simAdminFetch } from '../../src/sim/admin-client.js';
import { until, type NotYet } from './wait.js';

/** An image the simulator knows (its catalogue is Canonical's, by owner/name). */
export const SIM_IMAGE = '099720109477/ubuntu/images/hvm-ssd-gp3/ubuntu-noble-24.04-amd64-server-20250305';

export interface Harness {
  sim: RunningSimulator;
  clients: AwsClients;
  clock: Clock;
  close(): Promise<void>;
}

export async function startHarness(options: SimulatorOptions & { maxAttempts?: number } = {}): Promise<Harness> {
  const dir = mkdtempSync(join(tmpdir(), 'kopsdeck-reconcile-'));
  const speed = options.speed ?? 50;
  const sim = await startSimulator({ seed: 7, ...options, speed, dir: join(dir, 'sim'), port: 0 });
  // The SDK's default chain reads these (placeholders; the simulator accepts any key).
  for (const key of ['AWS_ACCESS_KEY_ID', 'AWS_SECRET_ACCESS_KEY', 'AWS_REGION']) process.env[key] = sim.env[key];
  process.env.KOPSDECK_HOME = dir;
  const clients = createAwsClients({ endpoint: sim.env.AWS_ENDPOINT_URL, region: sim.env.AWS_REGION, maxAttempts: options.maxAttempts });
  return {
    sim,
    clients,
    clock: scaledClock(speed),
    async close() {
      clients.destroy();
      await sim.stop();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

export function clusterFixture(options: Partial<ClusterOptions> & { name: string }): ClusterBundle {
  return buildClusterSpec({
    zones: ['us-east-1a', 'us-east-1b', 'us-east-1c'],
    topology: 'public',
    image: SIM_IMAGE,
    kubernetesVersion: '1.31.4',
    // With a DNS zone, kops' layout (api.<cluster> on the control-plane machines), which these tests exercise.
    apiDns: true,
    ...options,
  });
}

export function simFaults(sim: RunningSimulator, faults: Record<string, unknown>): Promise<void> {
  return putSimFaults(sim, faults);
}

export interface AwsCallStats {
  awsCalls: Record<string, number>;
  awsCallsTotal: number;
}

export async function awsCallStats(sim: RunningSimulator): Promise<AwsCallStats> {
  return (await (await simAdminFetch(sim, '/sim/stats')).json()) as AwsCallStats;
}

export async function resetAwsCallStats(sim: RunningSimulator): Promise<void> {
  await simAdminFetch(sim, '/sim/stats/reset', { method: 'POST' });
}

/** Polls `check` until it returns a truthy value, up to `timeoutMs` of wall time. */
export function waitFor<T>(what: string, check: () => Promise<T | NotYet>, timeoutMs = 60_000): Promise<T> {
  return until(what, check, timeoutMs, 100);
}

/** A fresh ed25519 public key, as `ssh-keygen` writes it, for clusters that get a key pair. */
export function testSshKey(): SshPublicKey {
  const raw = Buffer.from(generateKeyPairSync('ed25519').publicKey.export({ format: 'jwk' }).x!, 'base64url');
  const blob = Buffer.concat([Buffer.from([0, 0, 0, 11]), Buffer.from('ssh-ed25519'), Buffer.from([0, 0, 0, 32]), raw]);
  return parseSshPublicKey(`ssh-ed25519 ${blob.toString('base64')} kopsdeck-test`);
}
