// The reconcile model with ownership guards, on hand-made snapshots: an
// instance group maps to kops' group name when that is what exists, and a
// stale group or template is deleted only when kopsdeck made it.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { AutoScalingGroup } from '@aws-sdk/client-auto-scaling';
import type { SecurityGroup } from '@aws-sdk/client-ec2';
import { renderUserDataBase64 } from '../../src/engine/bootstrap/user-data.js';
import { emptyClusterSnapshot, type LaunchTemplateState } from '../../src/engine/cloud/aws/discovery.js';
import { buildClusterTasks, existingGroupNames, staleInstanceGroupDeletions } from '../../src/engine/reconcile/model.js';
import { isRemovableExtraRule } from '../../src/engine/reconcile/tasks/security-group.js';
import type { ClusterOwnership } from '../../src/engine/ownership/types.js';
import { clusterFixture } from '../helpers/sim-reconcile.js';

const NAME = 'guards.example.com';
const bundle = clusterFixture({ name: NAME, zones: ['us-east-1a'], controlPlaneCount: 1, nodeCount: 1 });
const cp = bundle.instanceGroups.find((ig) => ig.spec.role === 'ControlPlane')!.metadata.name;
const nodes = bundle.instanceGroups.find((ig) => ig.spec.role === 'Node')!.metadata.name;
const mine: ClusterOwnership = { cluster: NAME, manager: 'kopsdeck', evidence: [] };

function lt(name: string, userData: string): LaunchTemplateState {
  return { template: { LaunchTemplateName: name, LaunchTemplateId: `lt-${name}` }, latest: { LaunchTemplateData: { UserData: userData } } };
}
const asg = (name: string): AutoScalingGroup => ({ AutoScalingGroupName: name, LaunchTemplate: { LaunchTemplateId: `lt-${name}` } }) as AutoScalingGroup;
const kopsdeckData = renderUserDataBase64({ cluster: NAME, instanceGroup: 'old', kubernetesVersion: '1.31.4', role: 'Node', region: 'us-east-1' });
const otherData = Buffer.from('#!/bin/bash\necho made by hand\n').toString('base64');

test("an instance group maps to kops' control-plane group when that is the one that exists", () => {
  const kopsName = `${cp}.masters.${NAME}`;
  const snapshot = emptyClusterSnapshot(NAME, { autoScalingGroups: [asg(kopsName)], launchTemplates: [lt(kopsName, otherData)] });
  const names = existingGroupNames(NAME, bundle.instanceGroups, snapshot);
  assert.equal(names.get(cp), kopsName);
  assert.equal(names.get(nodes), `${nodes}.${NAME}`, "kopsdeck's name when nothing exists");
  const tasks = buildClusterTasks(bundle.cluster, bundle.instanceGroups, { groupNames: names });
  assert.ok(tasks.some((t) => t.key === `AutoscalingGroup/${kopsName}`));
  assert.ok(tasks.some((t) => t.key === `LaunchTemplate/${kopsName}`));
  assert.ok(!tasks.some((t) => t.key === `AutoscalingGroup/${cp}.${NAME}`), 'no second group is planned beside it');
  assert.deepEqual(staleInstanceGroupDeletions(tasks, snapshot.autoScalingGroups, snapshot.launchTemplates, mine).deletions, []);
});

test('a stale group and template are deleted only when kopsdeck made them', () => {
  const tasks = buildClusterTasks(bundle.cluster, bundle.instanceGroups);
  const ours = `old.${NAME}`;
  const theirs = `someone-else.${NAME}`;
  const stale = staleInstanceGroupDeletions(tasks, [asg(ours), asg(theirs)], [lt(ours, kopsdeckData), lt(theirs, otherData)], mine);
  assert.deepEqual(stale.deletions.map((d) => d.key), [`AutoscalingGroup/${ours}`, `LaunchTemplate/${ours}`]);
  assert.deepEqual(stale.leftAlone.map((l) => `${l.kind}/${l.name}`), [`AutoscalingGroup/${theirs}`, `LaunchTemplate/${theirs}`]);
  assert.match(stale.leftAlone[1].reason, /boots with a user-data that is not kopsdeck's bootstrap/);
  const kops: ClusterOwnership = { ...mine, manager: 'kops' };
  assert.deepEqual(staleInstanceGroupDeletions(tasks, [asg(ours)], [lt(ours, kopsdeckData)], kops).deletions, [], 'nothing at all on a kops-made cluster');
});

test("extra rules kopsdeck may remove: only on the ports it manages in that group, as kops' RemoveExtraRules", () => {
  const group = (role: string) => ({ GroupName: `${role}.${NAME}`, GroupId: `sg-${role}` }) as SecurityGroup;
  const rule = (port: number, toPort = port) => ({ groupId: 'sg', protocol: 'tcp', fromPort: port, toPort, cidr: '10.0.0.0/8' });
  assert.equal(isRemovableExtraRule(NAME, group('masters'), rule(443)), true);
  assert.equal(isRemovableExtraRule(NAME, group('masters'), rule(22)), true);
  assert.equal(isRemovableExtraRule(NAME, group('masters'), rule(1, 2379)), false, "kops' port ranges stay");
  assert.equal(isRemovableExtraRule(NAME, group('nodes'), rule(443)), false);
  assert.equal(isRemovableExtraRule(NAME, group('nodes'), rule(22)), true);
  // The API load balancer's own group (kopsdeck makes it now, as kops does, with RemoveExtraRules port=443).
  assert.equal(isRemovableExtraRule(NAME, group('api-elb'), rule(443)), true);
  assert.equal(isRemovableExtraRule(NAME, group('api-elb'), rule(22)), false);
  assert.equal(isRemovableExtraRule(NAME, group('bastion-elb'), rule(443)), false, 'a group kopsdeck does not make');
  assert.equal(isRemovableExtraRule(NAME, group('masters'), { groupId: 'sg', protocol: '-1', sourceGroupId: 'sg-x' }), false);
});
