// Auto scaling groups with a MixedInstancesPolicy, through the real SDK
// client: the policy comes back in AWS's shape (no top-level LaunchTemplate),
// instances launch from its template with the first override's type and report
// their template, and updates change the policy, or replace it with a plain
// LaunchTemplate.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import * as as from '@aws-sdk/client-auto-scaling';
import * as ec2 from '@aws-sdk/client-ec2';
import { createNetworkAndTemplate, rejection, startFixture, waitFor, type SimFixture } from '../helpers/sim-aws.js';

const CLUSTER = 'mixed.example.com';
const NAME = `spot.${CLUSTER}`;

async function described(f: SimFixture) {
  const out = await f.asg.send(new as.DescribeAutoScalingGroupsCommand({ AutoScalingGroupNames: [NAME] }));
  return out.AutoScalingGroups![0];
}

async function inService(f: SimFixture, count: number) {
  return waitFor(`${count} InService in ${NAME}`, async () => {
    const members = (await described(f)).Instances ?? [];
    return members.length === count && members.every((m) => m.LifecycleState === 'InService') ? members : undefined;
  });
}

describe('simulated MixedInstancesPolicy', () => {
  let f: SimFixture;
  let net: Awaited<ReturnType<typeof createNetworkAndTemplate>>;
  before(async () => {
    f = await startFixture({ speed: 100 });
    net = await createNetworkAndTemplate(f, CLUSTER, 'spot');
  });
  after(() => f.close());

  it('creates a group from the policy and describes it in AWS shape, with AWS defaults for the distribution', async () => {
    await f.asg.send(
      new as.CreateAutoScalingGroupCommand({
        AutoScalingGroupName: NAME,
        MixedInstancesPolicy: {
          LaunchTemplate: {
            LaunchTemplateSpecification: { LaunchTemplateId: net.templateId, Version: '$Latest' },
            Overrides: [{ InstanceType: 'c5.large' }, { InstanceType: 'm5.large', WeightedCapacity: '1' }],
          },
          InstancesDistribution: { OnDemandBaseCapacity: 1 },
        },
        MinSize: 0,
        MaxSize: 5,
        DesiredCapacity: 2,
        VPCZoneIdentifier: net.subnetIds.join(','),
        Tags: [{ Key: 'KubernetesCluster', Value: CLUSTER, PropagateAtLaunch: true }],
      }),
    );
    const group = await described(f);
    assert.equal(group.LaunchTemplate, undefined, 'a mixed-instances group has no top-level LaunchTemplate');
    const policy = group.MixedInstancesPolicy!;
    assert.deepEqual(policy.LaunchTemplate?.LaunchTemplateSpecification, { LaunchTemplateId: net.templateId, LaunchTemplateName: net.templateName, Version: '$Latest' });
    assert.deepEqual(policy.LaunchTemplate?.Overrides, [{ InstanceType: 'c5.large' }, { InstanceType: 'm5.large', WeightedCapacity: '1' }]);
    assert.deepEqual(policy.InstancesDistribution, {
      OnDemandAllocationStrategy: 'prioritized',
      OnDemandBaseCapacity: 1,
      OnDemandPercentageAboveBaseCapacity: 100,
      SpotAllocationStrategy: 'lowest-price',
      SpotInstancePools: 2,
    });
  });

  it('launches from the policy template, of the first override type, and members report their template', async () => {
    const members = await inService(f, 2);
    for (const member of members) {
      assert.deepEqual(member.LaunchTemplate, { LaunchTemplateId: net.templateId, LaunchTemplateName: net.templateName, Version: '1' });
      assert.equal(member.InstanceType, 'c5.large');
    }
    const out = await f.ec2.send(new ec2.DescribeInstancesCommand({ InstanceIds: members.map((m) => m.InstanceId!) }));
    assert.deepEqual(out.Reservations!.flatMap((r) => r.Instances!).map((i) => i.InstanceType), ['c5.large', 'c5.large']);
  });

  it('an update of the overrides keeps the template; a new template version reaches new members only', async () => {
    await f.asg.send(
      new as.UpdateAutoScalingGroupCommand({
        AutoScalingGroupName: NAME,
        MixedInstancesPolicy: { LaunchTemplate: { Overrides: [{ InstanceType: 'm5.xlarge' }] } },
      }),
    );
    const policy = (await described(f)).MixedInstancesPolicy!;
    assert.equal(policy.LaunchTemplate?.LaunchTemplateSpecification?.LaunchTemplateId, net.templateId);
    assert.deepEqual(policy.LaunchTemplate?.Overrides, [{ InstanceType: 'm5.xlarge' }]);
    assert.equal(policy.InstancesDistribution?.OnDemandBaseCapacity, 1, 'what the update leaves out is kept');

    await f.ec2.send(new ec2.CreateLaunchTemplateVersionCommand({ LaunchTemplateId: net.templateId, SourceVersion: '1', LaunchTemplateData: { ImageId: 'ami-0a1b2c3d4e5f60002' } }));
    await f.asg.send(new as.SetDesiredCapacityCommand({ AutoScalingGroupName: NAME, DesiredCapacity: 3 }));
    const members = await inService(f, 3);
    assert.deepEqual(members.map((m) => `${m.LaunchTemplate?.Version} ${m.InstanceType}`).sort(), ['1 c5.large', '1 c5.large', '2 m5.xlarge']);
  });

  it('refuses LaunchTemplate and MixedInstancesPolicy together, and a new policy without a template', async () => {
    const both = await rejection(() =>
      f.asg.send(
        new as.UpdateAutoScalingGroupCommand({
          AutoScalingGroupName: NAME,
          LaunchTemplate: { LaunchTemplateId: net.templateId },
          MixedInstancesPolicy: { LaunchTemplate: { Overrides: [{ InstanceType: 'm5.large' }] } },
        }),
      ),
    );
    assert.equal(both.name, 'ValidationError');
    const noTemplate = await rejection(() =>
      f.asg.send(
        new as.CreateAutoScalingGroupCommand({
          AutoScalingGroupName: `other.${CLUSTER}`,
          MixedInstancesPolicy: { LaunchTemplate: { Overrides: [{ InstanceType: 'm5.large' }] } },
          MinSize: 0,
          MaxSize: 1,
          VPCZoneIdentifier: net.subnetIds[0],
        }),
      ),
    );
    assert.equal(noTemplate.name, 'ValidationError');
    assert.match(noTemplate.message, /LaunchTemplateSpecification/);
  });

  it('a plain LaunchTemplate replaces the policy', async () => {
    await f.asg.send(new as.UpdateAutoScalingGroupCommand({ AutoScalingGroupName: NAME, LaunchTemplate: { LaunchTemplateId: net.templateId, Version: '1' } }));
    const group = await described(f);
    assert.equal(group.MixedInstancesPolicy, undefined);
    assert.deepEqual(group.LaunchTemplate, { LaunchTemplateId: net.templateId, LaunchTemplateName: net.templateName, Version: '1' });
  });
});
