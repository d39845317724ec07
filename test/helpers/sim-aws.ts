// Shared by the simulator tests: a simulator in a fresh temp dir on an
// ephemeral loopback port, SDK clients pointed at it, and bounded waiting.
import { rmSync } from 'node:fs';
import { AutoScalingClient } from '@aws-sdk/client-auto-scaling';
import { EC2Client } from '@aws-sdk/client-ec2';
import { Route53Client } from '@aws-sdk/client-route-53';
import { S3Client } from '@aws-sdk/client-s3';
import { startSimulator, type RunningSimulator, type SimulatorOptions } from '../../src/sim/simulator.js';
import { tempDir as removedAtExit } from './temp-dir.js';

export interface SimFixture {
  sim: RunningSimulator;
  dir: string;
  ec2: EC2Client;
  asg: AutoScalingClient;
  route53: Route53Client;
  s3: S3Client;
  close(): Promise<void>;
}

export function tempDir(): string {
  return removedAtExit('kopsdeck-sim-test-');
}

export function clientConfig(sim: RunningSimulator, extra: Record<string, unknown> = {}) {
  return {
    region: 'us-east-1',
    endpoint: sim.url,
    credentials: { accessKeyId: sim.env.AWS_ACCESS_KEY_ID, secretAccessKey: sim.env.AWS_SECRET_ACCESS_KEY },
    ...extra,
  };
}

export async function startFixture(options: SimulatorOptions = {}, keepDir = false): Promise<SimFixture> {
  const dir = options.dir ?? tempDir();
  const sim = await startSimulator({ speed: 100, seed: 42, ...options, dir });
  const config = clientConfig(sim);
  const clients = {
    ec2: new EC2Client(config),
    asg: new AutoScalingClient(config),
    route53: new Route53Client(config),
    s3: new S3Client(config),
  };
  return {
    sim,
    dir,
    ...clients,
    async close() {
      for (const client of Object.values(clients)) client.destroy();
      await sim.stop();
      if (!keepDir) rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** Polls `check` until it returns a truthy value (a throwing check counts as not yet); fails after `timeoutMs` of wall time. */
export function waitFor<T>(what: string, check: () => Promise<T | NotYet>, timeoutMs = 10_000): Promise<T> {
  return untilNoError(what, check, timeoutMs);
}

/** Runs `fn`, which must reject; returns the error for assertions. */
export async function rejection(fn: () => Promise<unknown>): Promise<Error & { name: string; $metadata?: { httpStatusCode?: number } }> {
  try {
    await fn();
  } catch (error) {
    return error as Error & { name: string };
  }
  throw new Error('expected the call to fail, it succeeded');
}

import { CreateLaunchTemplateCommand, CreateSubnetCommand, CreateVpcCommand } from '@aws-sdk/client-ec2';
import { CreateAutoScalingGroupCommand } from '@aws-sdk/client-auto-scaling';
import { PREBAKED_NODE_IMAGE_ID } from '../../src/sim/contracts.js';
import { untilNoError, type NotYet } from './wait.js';

export function userData(cluster: string, ig: string, role = 'Node', version = '1.31.4'): string {
  const script = ['#!/bin/bash', `export CLUSTER_NAME=${cluster}`, `export INSTANCE_GROUP=${ig}`, `export INSTANCE_GROUP_ROLE=${role}`, `export KUBERNETES_VERSION=${version}`, ''].join('\n');
  return Buffer.from(script).toString('base64');
}

/** A VPC with one subnet in each of three zones, and a launch template for `ig`. */
export async function createNetworkAndTemplate(f: SimFixture, cluster = 'test.example.com', ig = 'nodes') {
  const vpc = await f.ec2.send(new CreateVpcCommand({ CidrBlock: '10.0.0.0/16' }));
  const vpcId = vpc.Vpc!.VpcId!;
  const subnetIds: string[] = [];
  for (const [i, zone] of ['us-east-1a', 'us-east-1b', 'us-east-1c'].entries()) {
    const subnet = await f.ec2.send(new CreateSubnetCommand({ VpcId: vpcId, CidrBlock: `10.0.${i * 32}.0/19`, AvailabilityZone: zone }));
    subnetIds.push(subnet.Subnet!.SubnetId!);
  }
  const template = await f.ec2.send(
    new CreateLaunchTemplateCommand({
      LaunchTemplateName: `${ig}.${cluster}`,
      LaunchTemplateData: { ImageId: PREBAKED_NODE_IMAGE_ID, InstanceType: 'm5.large', UserData: userData(cluster, ig) },
    }),
  );
  return { vpcId, subnetIds, templateId: template.LaunchTemplate!.LaunchTemplateId!, templateName: `${ig}.${cluster}` };
}

export async function createGroup(f: SimFixture, net: Awaited<ReturnType<typeof createNetworkAndTemplate>>, desired: number, cluster = 'test.example.com', ig = 'nodes') {
  const name = `${ig}.${cluster}`;
  await f.asg.send(
    new CreateAutoScalingGroupCommand({
      AutoScalingGroupName: name,
      LaunchTemplate: { LaunchTemplateId: net.templateId, Version: '$Latest' },
      MinSize: 0,
      MaxSize: Math.max(10, desired),
      DesiredCapacity: desired,
      VPCZoneIdentifier: net.subnetIds.join(','),
      Tags: [
        { Key: 'KubernetesCluster', Value: cluster, PropagateAtLaunch: true },
        { Key: 'kops.k8s.io/instancegroup', Value: ig, PropagateAtLaunch: true },
        { Key: 'k8s.io/role/node', Value: '1', PropagateAtLaunch: true },
      ],
    }),
  );
  return name;
}
