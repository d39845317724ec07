// The simulator as a whole: faults and the SDK's retries, accounting and the
// admin API, the kubeconfig that follows the clusters, the world surviving a
// stop and start from its directory, and scale mode.
import assert from 'node:assert/strict';
import { existsSync, readFileSync, rmSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import * as as from '@aws-sdk/client-auto-scaling';
import * as ec2 from '@aws-sdk/client-ec2';
import { parse } from 'yaml';
import { clientConfig, createGroup, createNetworkAndTemplate, startFixture, tempDir, waitFor } from '../helpers/sim-aws.js';
import { simAdminFetch } from '../../src/sim/admin-client.js';

async function json(sim: { url: string; token: string }, path: string, init?: RequestInit): Promise<any> {
  const response = await simAdminFetch(sim, path, init);
  assert.ok(response.ok, `${init?.method ?? 'GET'} ${path}: ${response.status}`);
  return response.json();
}

describe('simulator runtime', () => {
  it('throttles a share of calls, and the SDK retries them until they succeed', async () => {
    const f = await startFixture({ faults: { throttleRate: 0.3 } });
    const client = new ec2.EC2Client(clientConfig(f.sim, { retryMode: 'adaptive', maxAttempts: 10 }));
    const asgClient = new as.AutoScalingClient(clientConfig(f.sim, { retryMode: 'adaptive', maxAttempts: 10 }));
    try {
      const rounds = 8;
      for (let n = 0; n < rounds; n++) {
        const out = await client.send(new ec2.DescribeAvailabilityZonesCommand({}));
        assert.equal(out.AvailabilityZones?.length, 6);
        await asgClient.send(new as.DescribeAutoScalingGroupsCommand({}));
      }
      const stats = await json(f.sim, '/sim/stats');
      const ec2Calls = stats.awsCalls['ec2:DescribeAvailabilityZones'] as number;
      const asgCalls = stats.awsCalls['autoscaling:DescribeAutoScalingGroups'] as number;
      assert.ok(ec2Calls >= rounds && asgCalls >= rounds);
      assert.ok(ec2Calls + asgCalls > 2 * rounds, `throttled calls were retried: ${ec2Calls + asgCalls} calls for ${2 * rounds} successes`);
    } finally {
      client.destroy();
      asgClient.destroy();
      await f.close();
    }
  });

  it('serves stats, faults and health under /sim/', async () => {
    const f = await startFixture();
    try {
      await f.ec2.send(new ec2.DescribeVpcsCommand({}));
      await f.ec2.send(new ec2.DescribeVpcsCommand({}));
      let stats = await json(f.sim, '/sim/stats');
      assert.equal(stats.awsCalls['ec2:DescribeVpcs'], 2);
      stats = await json(f.sim, '/sim/stats/reset', { method: 'POST' });
      assert.equal(stats.awsCallsTotal, 0);
      const faults = await json(f.sim, '/sim/faults', { method: 'PUT', body: JSON.stringify({ serverErrorRate: 1 }) });
      assert.equal(faults.serverErrorRate, 1);
      assert.equal(faults.throttleRate, 0, 'a merge keeps the other faults');
      const failing = new ec2.EC2Client(clientConfig(f.sim, { maxAttempts: 2 }));
      await assert.rejects(failing.send(new ec2.DescribeVpcsCommand({})), (error: Error & { $metadata?: { httpStatusCode?: number } }) => {
        assert.equal(error.name, 'InternalError');
        assert.equal(error.$metadata?.httpStatusCode, 500);
        return true;
      });
      failing.destroy();
      await json(f.sim, '/sim/faults', { method: 'PUT', body: JSON.stringify({ serverErrorRate: 0 }) });
      const bad = await simAdminFetch(f.sim, '/sim/faults', { method: 'PUT', body: JSON.stringify({ throttleRate: 7 }) });
      assert.equal(bad.status, 400);
      const health = await json(f.sim, '/sim/health');
      assert.equal(health.ok, true);
    } finally {
      await f.close();
    }
  });

  it('writes a 0600 kubeconfig with a context per cluster, and the cluster gets nodes', async () => {
    const f = await startFixture({ speed: 100 });
    try {
      assert.equal(statSync(f.sim.kubeconfigPath).mode & 0o777, 0o600);
      assert.equal(f.sim.env.KUBECONFIG, f.sim.kubeconfigPath);
      assert.equal(f.sim.env.AWS_ENDPOINT_URL, f.sim.url);
      assert.match(f.sim.url, /^http:\/\/127\.0\.0\.1:\d+$/);
      const net = await createNetworkAndTemplate(f, 'kc.example.com');
      await createGroup(f, net, 2, 'kc.example.com');
      const config = await waitFor('a context for kc.example.com', async () => {
        const parsed = parse(readFileSync(f.sim.kubeconfigPath, 'utf8'));
        return parsed.contexts?.some((c: { name: string }) => c.name === 'kc.example.com') ? parsed : undefined;
      });
      assert.equal(config.clusters[0].cluster.server, `${f.sim.url}/k8s/kc.example.com`);
      assert.equal(statSync(f.sim.kubeconfigPath).mode & 0o777, 0o600);
      const nodes = await waitFor('two nodes registered', async () => {
        const response = await simAdminFetch(f.sim, "/k8s/kc.example.com/api/v1/nodes");
        const list = response.ok ? await response.json() : undefined;
        return list?.items?.length === 2 ? list.items : undefined;
      });
      assert.ok(nodes.every((n: any) => n.spec.providerID.startsWith('aws:///us-east-1')));
    } finally {
      await f.close();
    }
  });

  it('keeps the world across a stop and a start from the same directory', async () => {
    const dir = tempDir();
    try {
      const first = await startFixture({ dir, speed: 100 }, true);
      const net = await createNetworkAndTemplate(first);
      const group = await createGroup(first, net, 2);
      await waitFor('two running instances', async () => {
        const out = await first.asg.send(new as.DescribeAutoScalingGroupsCommand({ AutoScalingGroupNames: [group] }));
        return out.AutoScalingGroups?.[0].Instances?.filter((i) => i.LifecycleState === 'InService').length === 2;
      });
      await first.asg.send(new as.SetDesiredCapacityCommand({ AutoScalingGroupName: group, DesiredCapacity: 3 }));
      await first.close();

      const second = await startFixture({ dir, speed: 100 }, true);
      try {
        const vpcs = await second.ec2.send(new ec2.DescribeVpcsCommand({ VpcIds: [net.vpcId] }));
        assert.equal(vpcs.Vpcs?.[0].CidrBlock, '10.0.0.0/16');
        const members = await waitFor('three running instances after the restart', async () => {
          const out = await second.asg.send(new as.DescribeAutoScalingGroupsCommand({ AutoScalingGroupNames: [group] }));
          const live = out.AutoScalingGroups?.[0].Instances?.filter((i) => i.LifecycleState === 'InService') ?? [];
          return live.length === 3 ? live : undefined;
        });
        assert.equal(members.length, 3);
        const another = await second.ec2.send(new ec2.CreateVpcCommand({ CidrBlock: '10.9.0.0/16' }));
        assert.notEqual(another.Vpc?.VpcId, net.vpcId, 'ids continue, they do not repeat after a restart');
      } finally {
        await second.close();
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('a world stopped while nodes were booting finishes booting them after a restart', async () => {
    const dir = tempDir();
    try {
      const first = await startFixture({ dir, speed: 100 }, true);
      const net = await createNetworkAndTemplate(first, 'boot.example.com');
      await createGroup(first, net, 2, 'boot.example.com');
      // Stop as soon as the first node is registered but before it is Ready:
      // what was due (readiness, the second registration) must be saved.
      await waitFor('a registered node', async () => {
        const response = await simAdminFetch(first.sim, "/k8s/boot.example.com/api/v1/nodes");
        const list = response.ok ? await response.json() : undefined;
        return (list?.items?.length ?? 0) >= 1;
      });
      await first.close();

      const second = await startFixture({ dir, speed: 100 }, true);
      try {
        const ready = await waitFor('two Ready nodes after the restart', async () => {
          const response = await simAdminFetch(second.sim, "/k8s/boot.example.com/api/v1/nodes");
          const list = response.ok ? await response.json() : undefined;
          const isReady = (node: any) => node.status.conditions.some((c: any) => c.type === 'Ready' && c.status === 'True');
          return list?.items?.length === 2 && list.items.every(isReady) ? list.items : undefined;
        });
        assert.equal(ready.length, 2);
      } finally {
        await second.close();
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('seeds a large cluster in scale mode, its instances already running', async () => {
    const dir = tempDir();
    const f = await startFixture({ dir, nodes: 40, podsPerNode: 2 }, true);
    try {
      const groups = await f.asg.send(new as.DescribeAutoScalingGroupsCommand({ Filters: [{ Name: 'tag:KubernetesCluster', Values: ['scale.example.com'] }] }));
      const instances = groups.AutoScalingGroups!.flatMap((g) => g.Instances!);
      assert.equal(instances.length, 40);
      assert.ok(instances.every((i) => i.LifecycleState === 'InService'));
      const nodes = await json(f.sim, '/k8s/scale.example.com/api/v1/nodes');
      assert.equal(nodes.items.length, 40);
      await f.close();
      assert.ok(!existsSync(join(dir, 'world.json')), 'a scale-mode world is not saved');
    } finally {
      await f.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
