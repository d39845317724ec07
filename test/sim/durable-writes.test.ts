// A write the simulator has answered survives the simulator being killed, as
// it survives on AWS and Kubernetes: a terminated instance does not come back
// and a cordon is not forgotten. Before, the world was saved half a second
// after a change, so `kill -9` of a console (which runs the simulator in its
// own process) lost writes a rollout had already journaled as done.
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, test } from 'node:test';
import * as as from '@aws-sdk/client-auto-scaling';
import { seedKopsCluster } from '../../src/sim/seed/seed-kops.js';
import { SIMULATOR_SECRET_KEY } from '../../src/sim/simulator.js';
import type { KubeNode } from '../../src/engine/kube/types.js';
import { builtCli } from '../helpers/built-cli.js';
import { tempDir } from '../helpers/sim-aws.js';
import { connectKube, waitForReadyNodes } from '../helpers/sim-cluster.js';
import { waitFor } from '../helpers/wait.js';

const CLUSTER = 'durable.example.com';
const home = tempDir();
const dir = join(home, 'sim');
const children: ChildProcess[] = [];
after(() => children.forEach((c) => c.exitCode === null && c.kill('SIGKILL')));

/** `kopsdeck sim` on the world in `dir`; its endpoint once it prints it. */
async function startSim(): Promise<{ child: ChildProcess; url: string; kubeconfig: string; credentials: { accessKeyId: string; secretAccessKey: string } }> {
  const child = spawn(process.execPath, [builtCli(), 'sim', '--port', '0', '--speed', '50', '--seed', '3', '--dir', dir], {
    env: { ...process.env, KOPSDECK_HOME: home, NODE_NO_WARNINGS: '1' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  children.push(child);
  let stdout = '';
  child.stdout!.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
  await waitFor(() => stdout.split('\n').length >= 3 || child.exitCode !== null, { describe: 'the simulator listening', timeoutMs: 20_000, intervalMs: 50 });
  const url = /^AWS_ENDPOINT_URL=(.*)$/m.exec(stdout)![1];
  const token = readFileSync(join(dir, 'token'), 'utf8').trim();
  return { child, url, kubeconfig: join(dir, 'kubeconfig'), credentials: { accessKeyId: token, secretAccessKey: SIMULATOR_SECRET_KEY } };
}

async function kill(child: ChildProcess): Promise<void> {
  child.kill('SIGKILL');
  if (child.exitCode === null && child.signalCode === null) await once(child, 'exit');
}

test('a terminate and a cordon the simulator answered are still there after it is killed', async () => {
  let sim = await startSim();
  await seedKopsCluster({ endpoint: sim.url, region: 'us-east-1', credentials: sim.credentials, cluster: CLUSTER, layout: 'minimal', stateStore: 's3://durable-state' });
  let kube = await connectKube(CLUSTER, sim.kubeconfig, 30_000);
  const nodes = await waitForReadyNodes(kube, 2, 60_000);
  const autoscaling = new as.AutoScalingClient({ endpoint: sim.url, region: 'us-east-1', credentials: sim.credentials });
  const groups = await autoscaling.send(new as.DescribeAutoScalingGroupsCommand({}));
  const worker = groups.AutoScalingGroups!.find((g) => !g.AutoScalingGroupName!.includes('master') && !g.AutoScalingGroupName!.startsWith('control-plane'))!;
  const victim = worker.Instances![0].InstanceId!;
  const toCordon = nodes.find((n) => !(n.spec?.providerID ?? '').endsWith(victim))!.metadata.name;

  // Each write answered, then the process killed at once: no time for a save on a timer.
  await autoscaling.send(new as.TerminateInstanceInAutoScalingGroupCommand({ InstanceId: victim, ShouldDecrementDesiredCapacity: false }));
  await kube.request('PATCH', `/api/v1/nodes/${toCordon}`, { body: { spec: { unschedulable: true } }, contentType: 'application/merge-patch+json' });
  await kill(sim.child);
  autoscaling.destroy();
  kube.close();

  sim = await startSim();
  const again = new as.AutoScalingClient({ endpoint: sim.url, region: 'us-east-1', credentials: sim.credentials });
  try {
    const described = await again.send(new as.DescribeAutoScalingGroupsCommand({ AutoScalingGroupNames: [worker.AutoScalingGroupName!] }));
    const state = described.AutoScalingGroups![0].Instances?.find((i) => i.InstanceId === victim)?.LifecycleState;
    assert.ok(state === undefined || state.startsWith('Terminat'), `the terminated instance is not back in service: ${state}`);
    kube = await connectKube(CLUSTER, sim.kubeconfig, 30_000);
    const node = await kube.request<KubeNode>('GET', `/api/v1/nodes/${toCordon}`);
    assert.equal(node.spec?.unschedulable, true, 'the cordon is kept');
    kube.close();
  } finally {
    again.destroy();
    await kill(sim.child);
  }
});
