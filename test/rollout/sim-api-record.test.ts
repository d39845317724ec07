// A cluster that uses DNS (not gossip): replacing the control plane points
// api.<cluster> at the new control-plane instance, once it is running, through
// the same record the reconcile engine writes.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { DescribeInstancesCommand } from '@aws-sdk/client-ec2';
import { findHostedZone, listRecordsNamed } from '../../src/engine/cloud/aws/discovery.js';
import { startRollout } from '../../src/engine/rollout/run-rollout.js';
import type { RolloutEvent } from '../../src/engine/rollout/types.js';
import { startRolloutHarness, type RolloutHarness } from '../helpers/sim-rollout.js';

let h: RolloutHarness;
before(async () => {
  h = await startRolloutHarness({ speed: 200, name: 'dns.example.com', zones: ['us-east-1a'], controlPlaneCount: 1, nodeCount: 1, dnsZone: 'example.com' });
});
after(async () => h?.close());

async function apiRecord(): Promise<string[]> {
  const zone = await findHostedZone(h.clients, 'example.com', false);
  assert.ok(zone?.Id, 'update cluster created the zone');
  const records = await listRecordsNamed(h.clients, zone.Id, ['api.dns.example.com']);
  return (records.find((r) => r.Type === 'A')?.ResourceRecords ?? []).map((r) => r.Value ?? '').sort();
}

async function controlPlaneAddresses(): Promise<{ id: string; ip: string }[]> {
  const out = await h.clients.ec2.send(
    new DescribeInstancesCommand({ Filters: [{ Name: 'tag-key', Values: ['k8s.io/role/control-plane'] }, { Name: 'instance-state-name', Values: ['running'] }] }),
  );
  return (out.Reservations ?? []).flatMap((r) => r.Instances ?? []).map((i) => ({ id: i.InstanceId!, ip: i.PublicIpAddress ?? i.PrivateIpAddress! }));
}

test('replacing the control plane points api.<cluster> at the new control-plane instance', async () => {
  // update cluster ran before the instance existed: refresh once so the record starts from the real address.
  await h.update();
  const [old] = await controlPlaneAddresses();
  assert.deepEqual(await apiRecord(), [old.ip]);
  const connected = await h.connect();
  const events: RolloutEvent[] = [];
  try {
    const run = startRollout(connected.deps, { cluster: h.name, force: true, roles: ['ControlPlane'] });
    run.subscribe((e) => events.push(e));
    const result = await run.done;
    assert.equal(result.status, 'finished', result.reason);
    assert.deepEqual(result.replaced, [old.id]);
  } finally {
    await connected.close();
  }
  const now = await controlPlaneAddresses();
  assert.equal(now.length, 1);
  assert.notEqual(now[0].id, old.id);
  assert.deepEqual(await apiRecord(), [now[0].ip], 'the record holds the new instance only');
  const updated = events.find((e) => e.type === 'api-record');
  assert.ok(updated?.type === 'api-record');
  assert.deepEqual(updated.previous, [old.ip]);
  assert.deepEqual(updated.values, [now[0].ip]);
  assert.equal(updated.changed, true);
  // Refreshed during the join step, after terminate, before the join finished.
  const index = (p: (e: RolloutEvent) => boolean) => events.findIndex(p);
  assert.ok(index((e) => e.type === 'step-finished' && e.step === 'terminate') < index((e) => e.type === 'api-record'));
  assert.ok(index((e) => e.type === 'api-record') < index((e) => e.type === 'step-finished' && e.step === 'join'));
});
