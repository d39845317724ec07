// A private simulator for a rehearsal: in-process, on 127.0.0.1 at a random
// port, its world and state store in a temporary directory that is removed
// afterwards. The cluster is built from a copy of the source's spec (never its
// secrets: the private store makes its own) the way `update cluster --yes`
// builds one, with each group then sized as the source's group is, and its
// machines taking as long to join as the source's measured ones did.
import { UpdateAutoScalingGroupCommand } from '@aws-sdk/client-auto-scaling';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { scaledClock } from '../engine/clock.js';
import { createAwsClients } from '../engine/cloud/aws/clients.js';
import { applyCluster } from '../engine/reconcile/cluster.js';
import type { OpenRehearsalWorld, RehearsalWorld } from '../engine/rehearse/run-rehearsal.js';
import { openStateStore } from '../engine/store/open-store.js';
import { startSimulator } from '../sim/simulator.js';
import { BOOT_DELAY_MS } from '../sim/aws/world/instance-lifecycle.js';
import type { BootTiming } from '../sim/kube/node-lifecycle.js';
import type { JoinTimes } from '../engine/rehearse/types.js';
import { simulatorCredentials } from './cloud-session.js';

/** Simulated ms per wall ms of a rehearsal: a rollout of an hour takes about 72 s (faster runs overstate waits: every request costs more simulated time). */
export const REHEARSAL_SPEED = 50;

/**
 * The source's measured join times as the simulator's kubelet delays: launch
 * to registration less the simulated instance's own boot (pending to
 * running), and registration to Ready as measured. What was not measured
 * keeps the simulator's default.
 */
export function bootTimingFor(joinTimes: JoinTimes): Partial<BootTiming> {
  const timing: Partial<BootTiming> = {};
  if (joinTimes.launchToRegisterMs !== undefined) timing.bootToRegisterMs = Math.max(0, joinTimes.launchToRegisterMs - BOOT_DELAY_MS);
  if (joinTimes.registerToReadyMs !== undefined) timing.registerToReadyMs = joinTimes.registerToReadyMs;
  return timing;
}

export function rehearsalWorldOpener(speed = REHEARSAL_SPEED): OpenRehearsalWorld {
  return async ({ cluster, instanceGroups, desired, joinTimes }) => {
    const dir = mkdtempSync(join(tmpdir(), 'kopsdeck-rehearsal-'));
    const sim = await startSimulator({ speed, seed: 1, dir: join(dir, 'sim'), port: 0, bootTiming: bootTimingFor(joinTimes) }).catch((error: unknown) => {
      rmSync(dir, { recursive: true, force: true });
      throw error;
    });
    const clients = createAwsClients({ endpoint: sim.url, region: sim.env.AWS_REGION, credentials: simulatorCredentials(sim.token) });
    const clock = scaledClock(speed);
    const stop = async () => {
      clients.destroy();
      await sim.stop();
      rmSync(dir, { recursive: true, force: true });
    };
    try {
      const store = openStateStore(pathToFileURL(join(dir, 'state')).href);
      await store.createCluster(cluster, instanceGroups);
      const result = await applyCluster({ cluster, instanceGroups, clients, clock, store: store.objects });
      if (!result.ok) throw new Error(`building the rehearsal cluster failed: ${result.failed.map((f) => f.error.message).join('; ')}`);
      for (const [group, capacity] of desired) {
        await clients.autoscaling.send(new UpdateAutoScalingGroupCommand({ AutoScalingGroupName: group, DesiredCapacity: capacity }));
      }
      const world: RehearsalWorld = { clients, clock, store, kubeconfigPath: sim.kubeconfigPath, speed, stop };
      return world;
    } catch (error) {
      await stop();
      throw error;
    }
  };
}
