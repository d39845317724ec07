import { test } from 'node:test';
import assert from 'node:assert/strict';
import { buildClusterTasks, ReconcileSpecError } from '../../src/engine/reconcile/model.js';
import { countByKind } from '../../src/engine/reconcile/plan.js';
import { clusterFixture } from '../helpers/sim-reconcile.js';

test('a private topology gets utility subnets on the public table and one private table per zone', () => {
  const { cluster, instanceGroups } = clusterFixture({ name: 'private.example.com', topology: 'private', controlPlaneCount: 3, nodeCount: 3, bastion: true });
  const tasks = buildClusterTasks(cluster, instanceGroups);
  const counts = countByKind(tasks);
  assert.equal(counts.Subnet, 6);
  assert.equal(counts.RouteTable, 4);
  // masters, nodes, bastions and the API load balancer's own group.
  assert.equal(counts.SecurityGroup, 4);
  const associations = tasks.filter((t) => t.kind === 'RouteTableAssociation');
  const tableOf = (subnet: string) => associations.find((t) => t.name === `${subnet}.private.example.com`)!.dependencies[1];
  assert.equal(tableOf('us-east-1a'), 'RouteTable/private-us-east-1a.private.example.com');
  assert.equal(tableOf('utility-us-east-1a'), 'RouteTable/private.example.com');
  assert.ok(tasks.some((t) => t.key === 'SecurityGroupRule/ssh-external-to-bastion-0.0.0.0/0'));
});

test('a spec the engine cannot act on is refused before any AWS call, every problem listed', () => {
  const { cluster, instanceGroups } = clusterFixture({ name: 'bad.example.com', controlPlaneCount: 1, nodeCount: 1 });
  instanceGroups[0].spec.subnets = ['nowhere'];
  instanceGroups[1].spec.minSize = 5;
  instanceGroups[1].spec.maxSize = 2;
  assert.throws(
    () => buildClusterTasks(cluster, instanceGroups),
    (error: unknown) => error instanceof ReconcileSpecError && error.problems.length === 2 && /subnet nowhere/.test(error.message) && /minSize 5 is above maxSize 2/.test(error.message),
  );
});
