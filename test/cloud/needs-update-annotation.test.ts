// kops' kops.k8s.io/needs-update node annotation against the simulator: an
// up-to-date instance whose node is annotated (any value) needs an update, in
// the rollout's node data and in the console model, with the annotation as the
// reason; removing it makes the instance up to date again.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { createAwsClients, type AwsClients } from '../../src/engine/cloud/aws/clients.js';
import { NEEDS_UPDATE_ANNOTATION } from '../../src/engine/kube/needs-update-annotation.js';
import { startLiveCluster, type LiveCluster } from '../../src/engine/live-model/live-cluster.js';
import type { InstanceRow } from '../../src/engine/live-model/types.js';
import { awsRolloutCloud } from '../../src/engine/rollout/aws-rollout-cloud.js';
import { kubeRollout } from '../../src/engine/rollout/kube-rollout.js';
import { annotationReason, instanceNeedsUpdate } from '../../src/engine/rollout/needs-update.js';
import { startSimCluster, until, type SimCluster } from '../helpers/sim-cluster.js';

const REASON = 'node annotated kops.k8s.io/needs-update';

describe('the kops.k8s.io/needs-update node annotation', () => {
  let cluster: SimCluster;
  let clients: AwsClients;
  let live: LiveCluster;
  let worker: { node: string; instance: string };

  const annotate = (value: string | null) =>
    cluster.kube.request('PATCH', `/api/v1/nodes/${worker.node}`, {
      body: { metadata: { annotations: { [NEEDS_UPDATE_ANNOTATION]: value } } },
      contentType: 'application/merge-patch+json',
    });

  /** The model's row for the worker's instance once `accept` holds (the informer follows the API a moment behind). */
  const workerRow = (what: string, accept: (row: InstanceRow) => boolean) =>
    until(what, () => live.model.snapshot().instances.find((r) => r.id === worker.instance && accept(r)), 10_000);

  before(async () => {
    cluster = await startSimCluster({ name: 'annotated.k8s.local', workers: 1, speed: 50 });
    const { sim } = cluster;
    clients = createAwsClients({ region: sim.env.AWS_REGION, endpoint: sim.url, credentials: { accessKeyId: sim.env.AWS_ACCESS_KEY_ID, secretAccessKey: sim.env.AWS_SECRET_ACCESS_KEY } });
    // One cloud poll: the instance rows must follow the node's annotation, not a later poll.
    live = startLiveCluster({ cluster: cluster.name, kube: cluster.kube, cloud: cluster.inventory, clock: cluster.clock, cloudIntervalMs: 24 * 3600_000 });
    await live.synced;
    const row = await until('the worker joined to its instance', () => live.model.snapshot().nodes.find((n) => n.instanceGroup === cluster.nodesIg && n.instanceId));
    worker = { node: row.name, instance: row.instanceId };
  });
  after(async () => {
    await live?.stop();
    clients?.destroy();
    await cluster?.stop();
  });

  it('an up-to-date instance starts up to date in the model', async () => {
    const row = await workerRow('the worker instance row', () => true);
    assert.deepEqual([row.status, row.updateReason], ['UpToDate', undefined]);
  });

  it('annotated with an empty value, its instance needs an update in the rollout, the cloud alone saying it is up to date', async () => {
    await annotate('');
    const nodes = await kubeRollout(cluster.kube, cluster.clock).nodesByInstance();
    const groups = await awsRolloutCloud(clients).listGroups(cluster.name);
    const instances = groups.flatMap((g) => g.instances);
    assert.equal(instances.length, 2);
    for (const instance of instances) {
      const node = nodes.get(instance.id);
      const annotated = instance.id === worker.instance;
      assert.equal(instance.needsUpdate, false, 'the launch template is current');
      assert.equal(node?.needsUpdateAnnotation, annotated);
      assert.equal(instanceNeedsUpdate(instance, node), annotated);
      assert.equal(annotationReason(node), annotated ? REASON : undefined);
    }
  });

  it('the console model marks the instance, its group and its node, with the annotation as the reason', async () => {
    const row = await workerRow('the instance marked NeedsUpdate', (r) => r.status === 'NeedsUpdate');
    assert.equal(row.updateReason, REASON);
    const snapshot = live.model.snapshot();
    assert.deepEqual(snapshot.instanceGroups.map((g) => [g.name, g.needUpdate]), [
      [cluster.controlPlaneIg, 0],
      [cluster.nodesIg, 1],
    ]);
    assert.equal(snapshot.counts.outOfDate, 1);
    const node = snapshot.nodes.find((n) => n.name === worker.node)!;
    assert.deepEqual([node.needsUpdate, node.needsUpdateAnnotation], [true, true]);
  });

  it('without the annotation the instance is up to date again', async () => {
    await annotate(null);
    const row = await workerRow('the instance back to UpToDate', (r) => r.status === 'UpToDate');
    assert.equal(row.updateReason, undefined);
    assert.equal(live.model.snapshot().counts.outOfDate, 0);
  });
});
