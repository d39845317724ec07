// The needs-update rules of the one reader (cloud/aws/needs-update.ts) on the
// shapes AWS returns, without a simulator: a group whose launch template names
// no version launches the template's default version (AWS), never its latest;
// a member is compared by template id and resolved version (kops'
// findAutoscalingGroupLaunchConfiguration / findInstanceLaunchConfiguration);
// a member leaving its group is detached and replaced whatever it runs.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { groupTemplate, memberVerdict, resolveVersion } from '../../src/engine/cloud/aws/needs-update.js';

const NUMBERS = { latest: 5, default: 3 };

test('a missing version is $Default, resolved to the default number; $Latest to the latest; a number stays', () => {
  assert.equal(resolveVersion(undefined, 5, 3), '3');
  assert.equal(resolveVersion('', 5, 3), '3');
  assert.equal(resolveVersion('$Default', 5, 3), '3');
  assert.equal(resolveVersion('$Latest', 5, 3), '5');
  assert.equal(resolveVersion('4', 5, 3), '4');
  assert.equal(resolveVersion(undefined, 5, undefined), null, 'a template that could not be read resolves to nothing, not a guess');
});

test('a group without a version: a member on the default version is up to date, one on the latest needs an update', () => {
  const current = groupTemplate({ LaunchTemplate: { LaunchTemplateId: 'lt-1', LaunchTemplateName: 'nodes.example.com' } }, NUMBERS);
  assert.deepEqual([current?.requested, current?.version], [undefined, '3']);
  const onDefault = { LifecycleState: 'InService', LaunchTemplate: { LaunchTemplateId: 'lt-1', Version: '3' } } as const;
  const onLatest = { LifecycleState: 'InService', LaunchTemplate: { LaunchTemplateId: 'lt-1', Version: '5' } } as const;
  assert.deepEqual(memberVerdict(onDefault, current), { needsUpdate: false });
  assert.deepEqual(memberVerdict(onLatest, current), { needsUpdate: true, reason: 'launch template version 5 != 3' });
});

test('a mixed-instances group without a version follows the default too', () => {
  const group = { MixedInstancesPolicy: { LaunchTemplate: { LaunchTemplateSpecification: { LaunchTemplateId: 'lt-2' } } } };
  assert.deepEqual(groupTemplate(group, NUMBERS), { id: 'lt-2', name: undefined, requested: undefined, version: '3', mixedInstances: true });
});

test('a Detaching or Detached member needs an update whatever it runs', () => {
  const current = groupTemplate({ LaunchTemplate: { LaunchTemplateId: 'lt-1', Version: '$Latest' } }, NUMBERS);
  for (const LifecycleState of ['Detaching', 'Detached'] as const) {
    assert.deepEqual(memberVerdict({ LifecycleState, LaunchTemplate: { LaunchTemplateId: 'lt-1', Version: '5' } }, current), {
      needsUpdate: true,
      reason: 'detached by a surge',
    });
  }
});
