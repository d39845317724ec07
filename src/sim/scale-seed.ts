// Scale mode for benchmarks: one large cluster (scale.example.com) seeded
// directly, its instances already running, so there is no boot to wait for.
// The Kubernetes side then seeds its nodes and pods in one go.
import { PREBAKED_NODE_IMAGE_ID, type SimInstanceInfo } from './contracts.js';
import type { AwsWorld } from './aws/world/aws-world.js';
import type { KubeSide } from './kube/kube-side.js';

export const SCALE_CLUSTER = 'scale.example.com';
const REGION = 'us-east-1';
const KUBERNETES_VERSION = '1.31.4';

/** Seeds `nodes` instances (one control plane, the rest workers); does nothing if already there. */
export function seedScaleCluster(world: AwsWorld, kube: KubeSide, nodes: number, podsPerNode: number): void {
  if (world.findAsg(REGION, `nodes.${SCALE_CLUSTER}`)) return;
  const vpcId = world.newId('vpc');
  const clusterTags = { KubernetesCluster: SCALE_CLUSTER, [`kubernetes.io/cluster/${SCALE_CLUSTER}`]: 'owned' };
  world.state.vpcs[vpcId] = { id: vpcId, region: REGION, cidr: '10.0.0.0/16', enableDnsHostnames: true, enableDnsSupport: true, tags: { ...clusterTags, Name: SCALE_CLUSTER } };
  const subnets = ['a', 'b', 'c'].map((letter, index) => {
    const id = world.newId('subnet');
    const zone = REGION + letter;
    const subnet = { id, region: REGION, vpcId, cidr: `10.0.${index * 64}.0/18`, zone, allocated: 0, tags: { ...clusterTags, Name: `${zone}.${SCALE_CLUSTER}` } };
    world.state.subnets[id] = subnet;
    return subnet;
  });
  const groups = [
    { ig: 'control-plane-us-east-1a', role: 'ControlPlane', roleTag: 'k8s.io/role/control-plane', count: 1, type: 'm5.large' },
    { ig: 'nodes', role: 'Node', roleTag: 'k8s.io/role/node', count: Math.max(0, nodes - 1), type: 'm5.xlarge' },
  ];
  const infos: SimInstanceInfo[] = [];
  for (const spec of groups) {
    const name = `${spec.ig}.${SCALE_CLUSTER}`;
    const userData = Buffer.from(
      ['#!/bin/bash', `export CLUSTER_NAME=${SCALE_CLUSTER}`, `export INSTANCE_GROUP=${spec.ig}`, `export INSTANCE_GROUP_ROLE=${spec.role}`, `export KUBERNETES_VERSION=${KUBERNETES_VERSION}`, ''].join('\n'),
    ).toString('base64');
    const templateId = world.newId('lt');
    const data = { imageId: PREBAKED_NODE_IMAGE_ID, instanceType: spec.type, userData };
    world.state.launchTemplates[templateId] = { id: templateId, region: REGION, name, createdAt: world.now(), defaultVersion: 1, versions: [{ number: 1, createdAt: world.now(), data }], tags: { ...clusterTags } };
    const groupSubnets = spec.role === 'ControlPlane' ? [subnets[0]] : subnets;
    const tags = [
      ...Object.entries(clusterTags).map(([key, value]) => ({ key, value, propagateAtLaunch: true })),
      { key: 'Name', value: name, propagateAtLaunch: true },
      { key: 'kops.k8s.io/instancegroup', value: spec.ig, propagateAtLaunch: true },
      { key: spec.roleTag, value: '1', propagateAtLaunch: true },
    ];
    world.state.autoScalingGroups[world.asgKey(REGION, name)] = {
      name,
      region: REGION,
      arn: `arn:aws:autoscaling:${REGION}:123456789012:autoScalingGroup:seeded:autoScalingGroupName/${name}`,
      launchTemplate: { id: templateId, name, version: '$Default' },
      minSize: spec.count,
      maxSize: spec.count,
      desiredCapacity: spec.count,
      subnetIds: groupSubnets.map((s) => s.id),
      tags,
      createdAt: world.now(),
      deleting: false,
      activities: [],
    };
    const instanceTags: Record<string, string> = Object.fromEntries(tags.map((t) => [t.key, t.value]));
    Object.assign(instanceTags, { 'aws:autoscaling:groupName': name, 'aws:ec2launchtemplate:id': templateId, 'aws:ec2launchtemplate:version': '1' });
    for (let n = 0; n < spec.count; n++) {
      const instance = world.instances.launch({
        region: REGION,
        subnet: groupSubnets[n % groupSubnets.length],
        data,
        launchTemplate: { id: templateId, name, version: '1' },
        asgName: name,
        tags: { ...instanceTags },
        alreadyRunning: true,
      });
      infos.push(world.instances.info(instance));
    }
  }
  kube.seedLargeCluster(SCALE_CLUSTER, infos, podsPerNode);
  world.changed();
}
