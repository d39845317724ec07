// A small cluster on the simulator, made the way kops makes one: a VPC and a
// subnet, one launch template (with the bootstrap user-data) and one auto
// scaling group per instance group, tagged as kops tags them, all through the
// real AWS SDK clients. Then waits (bounded) until every node is Ready.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { AutoScalingClient, CreateAutoScalingGroupCommand, UpdateAutoScalingGroupCommand } from '@aws-sdk/client-auto-scaling';
import { CreateLaunchTemplateCommand, CreateSubnetCommand, CreateVpcCommand, EC2Client } from '@aws-sdk/client-ec2';
import { scaledClock, type Clock } from '../../src/engine/clock.js';
import { createKubeClient, type KubeClient } from '../../src/engine/kube/client.js';
import type { KubeList, KubeNode } from '../../src/engine/kube/types.js';
import { awsCloudInventory } from '../../src/engine/live-model/aws-inventory.js';
import { isNodeReady } from '../../src/engine/kube/node-readiness.js';
import type { CloudInventory } from '../../src/engine/live-model/types.js';
import { startSimulator } from '../../src/sim/simulator.js';
import { simAdminFetch } from '../../src/sim/admin-client.js';
import { PREBAKED_NODE_IMAGE_ID } from '../../src/sim/contracts.js';
import { until } from './wait.js';

type RunningSimulator = Awaited<ReturnType<typeof startSimulator>>;

export interface SimClusterOptions {
  name?: string;
  workers?: number;
  /** Simulated ms per wall ms; the engine's clock runs at the same speed. */
  speed?: number;
  kubernetesVersion?: string;
  /** Wall ms to wait for the nodes to be Ready. */
  readyTimeoutMs?: number;
}

export interface SimCluster {
  name: string;
  sim: RunningSimulator;
  home: string;
  clock: Clock;
  autoscaling: AutoScalingClient;
  ec2: EC2Client;
  inventory: CloudInventory;
  kube: KubeClient;
  controlPlaneIg: string;
  nodesIg: string;
  /** Sets an instance group's desired capacity (and max, if needed). */
  setDesired(ig: string, desired: number): Promise<void>;
  /** PUT /sim/faults. */
  putFaults(patch: Record<string, unknown>): Promise<void>;
  /** Waits (wall ms bounded) until the cluster has `count` nodes, all Ready. */
  waitForReadyNodes(count: number, timeoutMs?: number): Promise<KubeNode[]>;
  stop(): Promise<void>;
}

export async function startSimCluster(opts: SimClusterOptions = {}): Promise<SimCluster> {
  const name = opts.name ?? 'sim-a.k8s.local';
  const workers = opts.workers ?? 2;
  const speed = opts.speed ?? 50;
  const version = opts.kubernetesVersion ?? '1.30.2';
  const home = mkdtempSync(join(tmpdir(), 'kopsdeck-simcluster-'));
  const sim = await startSimulator({ speed, seed: 7, dir: join(home, 'sim'), port: 0 });
  const aws = {
    region: sim.env.AWS_REGION,
    endpoint: sim.url,
    credentials: { accessKeyId: sim.env.AWS_ACCESS_KEY_ID, secretAccessKey: sim.env.AWS_SECRET_ACCESS_KEY },
  };
  const autoscaling = new AutoScalingClient(aws);
  const ec2 = new EC2Client(aws);
  const controlPlaneIg = 'control-plane-us-east-1a';
  const nodesIg = 'nodes-us-east-1a';
  try {
    const vpc = await ec2.send(new CreateVpcCommand({ CidrBlock: '10.0.0.0/16' }));
    const subnet = await ec2.send(new CreateSubnetCommand({ VpcId: vpc.Vpc!.VpcId!, CidrBlock: '10.0.0.0/19', AvailabilityZone: 'us-east-1a' }));
    const subnetId = subnet.Subnet!.SubnetId!;
    await createInstanceGroup({ autoscaling, ec2, cluster: name, ig: controlPlaneIg, role: 'ControlPlane', size: 1, maxSize: 1, subnetId, version });
    await createInstanceGroup({ autoscaling, ec2, cluster: name, ig: nodesIg, role: 'Node', size: workers, maxSize: workers + 4, subnetId, version });
  } catch (error) {
    await sim.stop();
    throw error;
  }
  const kube = await connectKube(name, sim.kubeconfigPath, 10_000);

  const cluster: SimCluster = {
    name,
    sim,
    home,
    clock: scaledClock(speed),
    autoscaling,
    ec2,
    inventory: awsCloudInventory({ autoscaling, ec2 }),
    kube,
    controlPlaneIg,
    nodesIg,
    async setDesired(ig, desired) {
      await autoscaling.send(new UpdateAutoScalingGroupCommand({ AutoScalingGroupName: `${ig}.${name}`, DesiredCapacity: desired }));
    },
    putFaults: (patch) => putSimFaults(sim, patch),
    waitForReadyNodes: (count, timeoutMs = opts.readyTimeoutMs ?? 30_000) => waitForReadyNodes(kube, count, timeoutMs),
    async stop() {
      kube.close();
      autoscaling.destroy();
      ec2.destroy();
      await sim.stop();
      rmSync(home, { recursive: true, force: true });
    },
  };
  try {
    await cluster.waitForReadyNodes(1 + workers);
  } catch (error) {
    await cluster.stop();
    throw error;
  }
  return cluster;
}

interface IgParams {
  autoscaling: AutoScalingClient;
  ec2: EC2Client;
  cluster: string;
  ig: string;
  role: 'ControlPlane' | 'Node';
  size: number;
  maxSize: number;
  subnetId: string;
  version: string;
}

async function createInstanceGroup(p: IgParams): Promise<void> {
  const groupName = `${p.ig}.${p.cluster}`;
  const userData = [
    '#!/bin/bash',
    `export CLUSTER_NAME=${p.cluster}`,
    `export INSTANCE_GROUP=${p.ig}`,
    `export INSTANCE_GROUP_ROLE=${p.role}`,
    `export KUBERNETES_VERSION=${p.version}`,
    '',
  ].join('\n');
  await p.ec2.send(
    new CreateLaunchTemplateCommand({
      LaunchTemplateName: groupName,
      LaunchTemplateData: { ImageId: PREBAKED_NODE_IMAGE_ID, InstanceType: 't3.medium', UserData: Buffer.from(userData).toString('base64') },
    }),
  );
  const roleTag = p.role === 'ControlPlane' ? 'k8s.io/role/control-plane' : 'k8s.io/role/node';
  const tags: Record<string, string> = {
    KubernetesCluster: p.cluster,
    [`kubernetes.io/cluster/${p.cluster}`]: 'owned',
    Name: groupName,
    'kops.k8s.io/instancegroup': p.ig,
    [roleTag]: '1',
  };
  await p.autoscaling.send(
    new CreateAutoScalingGroupCommand({
      AutoScalingGroupName: groupName,
      LaunchTemplate: { LaunchTemplateName: groupName, Version: '$Latest' },
      MinSize: p.size,
      MaxSize: p.maxSize,
      DesiredCapacity: p.size,
      VPCZoneIdentifier: p.subnetId,
      Tags: Object.entries(tags).map(([Key, Value]) => ({ Key, Value, PropagateAtLaunch: true, ResourceId: groupName, ResourceType: 'auto-scaling-group' })),
    }),
  );
}

/** A Kubernetes client for `cluster`, once the simulator has written its kubeconfig context. */
export function connectKube(cluster: string, kubeconfigPath: string, timeoutMs: number): Promise<KubeClient> {
  return until('the kubeconfig context', () => createKubeClient({ cluster, kubeconfigPath }).catch(() => undefined), timeoutMs);
}

/** Every node of the cluster (none while the API does not answer). */
export async function listNodes(kube: KubeClient): Promise<KubeNode[]> {
  return (await kube.request<KubeList<KubeNode>>('GET', '/api/v1/nodes').catch(() => undefined))?.items ?? [];
}

/** Waits (wall ms bounded) until the cluster has `count` nodes, all Ready. */
export function waitForReadyNodes(kube: KubeClient, count: number, timeoutMs = 30_000, everyMs = 20): Promise<KubeNode[]> {
  return until(`${count} Ready nodes`, async () => {
    const nodes = await listNodes(kube);
    return nodes.length === count && nodes.every(isNodeReady) ? nodes : undefined;
  }, timeoutMs, everyMs);
}

/** PUT /sim/faults on a simulator. */
export async function putSimFaults(sim: { url: string; token: string }, patch: Record<string, unknown>): Promise<void> {
  const res = await simAdminFetch(sim, '/sim/faults', { method: 'PUT', body: JSON.stringify(patch), headers: { 'content-type': 'application/json' } });
  if (!res.ok) throw new Error(`PUT /sim/faults: ${res.status} ${await res.text()}`);
}

export { until } from './wait.js';
