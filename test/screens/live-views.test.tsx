// The live screens against a simulated cluster made by `create cluster` and
// `update cluster --yes`: overview, instance groups, nodes (live additions,
// cordon through the API, filter and sort), node detail, and the states shown
// before data arrives or when the cluster cannot be reached.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { UpdateAutoScalingGroupCommand } from '@aws-sdk/client-auto-scaling';
import { cleanup } from 'ink-testing-library';
import { awsClientsFor } from '../../src/engine/cloud/aws/clients.js';
import type { KubeNode } from '../../src/engine/kube/types.js';
import type { Route } from '../../src/navigation/routes.js';
import type { Services } from '../../src/hooks/services.js';
import { liveSessionsFor } from '../../src/sessions/live-sessions.js';
import { journalKey, type JournalDocument } from '../../src/engine/rollout/journal.js';
import { openStateStore } from '../../src/engine/store/open-store.js';
import { keys, renderApp } from '../console/helpers.js';
import { startLiveFixture, type LiveFixture } from './live-fixture.js';

const size = { columns: 170, rows: 40 };
const LIVE_MS = 20_000;
let fx: LiveFixture;

before(async () => {
  fx = await startLiveFixture({ name: 'live.k8s.local', workers: 2, speed: 100 });
});
after(async () => {
  cleanup();
  await fx?.stop();
});

async function open(route: Route, services: Services = fx.services()) {
  // Sessions stop as soon as the test lets go of them.
  liveSessionsFor(services, { graceMs: 0, retryMs: 500 });
  const app = renderApp({ services, size, initialRoute: route });
  return {
    ...app,
    waitFor: (check: string | ((frame: string) => boolean), timeoutMs = LIVE_MS) => app.waitFor(check, timeoutMs),
    async close() {
      app.unmount();
      await liveSessionsFor(services).closeAll();
    },
  };
}

const lineOf = (frame: string, text: string) => frame.split('\n').find((line) => line.includes(text)) ?? '';
const nodeLines = (frame: string) => frame.split('\n').filter((line) => /^\s*ip-[\d-]+\.ec2\.internal/.test(line));

describe('live views on the simulator', () => {
  test('overview: validation passes, with counts, versions and nothing out of date', async () => {
    const app = await open({ name: 'cluster', cluster: fx.name });
    const frame = await app.waitFor('Validation passed');
    assert.match(frame, /Overview of live\.k8s\.local/);
    assert.match(frame, /Instance groups 2\s+Instances 3\s+Nodes 3\/3 Ready\s+Pods \d+/);
    assert.match(frame, /Kubernetes versions: v\d+\.\d+\.\d+ \(3 nodes\)/);
    assert.match(frame, /Out of date: none/);
    assert.match(frame, /API server ready/);
    assert.match(frame, /your cluster live\.k8s\.local is ready/);
    assert.doesNotMatch(frame, /did not finish|rolling update is running/, 'no rolling update to speak of');
    await app.close();
  });

  test('overview: a rolling update that did not finish is said, with the key that resumes it', async () => {
    const objects = openStateStore(fx.stateUrl).objects;
    const journal: JournalDocument = {
      kind: 'RolloutJournal',
      cluster: fx.name,
      runId: 'earlier',
      status: 'failed',
      reason: 'drain of node ip-10-0-0-1 did not finish within 15m',
      startedAt: 1,
      updatedAt: 2,
      entries: [
        { instance: 'i-0abc', group: 'nodes-us-east-1a', step: 'confirm', at: 1 },
        { instance: 'i-0abc', group: 'nodes-us-east-1a', step: 'cordon', at: 2 },
      ],
    };
    await objects.put(journalKey(fx.name), JSON.stringify(journal));
    try {
      const app = await open({ name: 'cluster', cluster: fx.name });
      const frame = await app.waitFor('did not finish');
      assert.match(frame.replace(/\s+/g, ' '), /The last rolling update did not finish: it failed: drain of node ip-10-0-0-1 did not finish within 15m\. 1 instance is part way through \(cordoned, drained or terminated, not yet replaced\)\. R resumes it\./);
      await app.close();
    } finally {
      await objects.delete(journalKey(fx.name));
    }
  });

  test('instance groups: one row per group with sizes and readiness, and :nodes from there', async () => {
    const app = await open({ name: 'clusters' });
    await app.waitFor(fx.name);
    app.press(':');
    await app.waitFor(':█');
    for (const ch of `ig ${fx.name}`) app.press(ch);
    app.press(keys.enter);
    const frame = await app.waitFor((f) => f.includes('nodes-us-east-1a') && f.includes('control-plane-us-east-1a'));
    assert.match(frame, /NAME\s+ROLE\s+MACHINETYPE\s+MIN\s+TARGET\s+MAX\s+READY\s+NEEDUPDATE\s+ZONES/);
    assert.match(lineOf(frame, 'control-plane-us-east-1a'), /ControlPlane\s+t3\.medium\s+1\s+1\s+1\s+1\s+0\s+us-east-1a/);
    assert.match(lineOf(frame, 'nodes-us-east-1a'), /Node\s+t3\.medium\s+2\s+2\s+2\s+2\s+0\s+us-east-1a/);
    // Enter lists the group's nodes (filtered by its name); Esc comes back.
    app.press('j');
    await app.waitFor('2/2');
    app.press(keys.enter);
    const nodes = await app.waitFor((f) => f.includes('filter: nodes-us-east-1a') && nodeLines(f).length === 2);
    assert.ok(nodeLines(nodes).every((line) => line.includes('nodes-us-east-1a')));
    app.press(keys.escape); // clears the filter first
    await app.waitFor((f) => nodeLines(f).length === 3);
    app.press(keys.escape);
    await app.waitFor('InstanceGroups(live.k8s.local)');
    await app.close();
  });

  test('nodes: a node added by raising desired capacity appears without a key pressed', async () => {
    const app = await open({ name: 'nodes', cluster: fx.name });
    const first = await app.waitFor((f) => nodeLines(f).length === 3);
    assert.match(first, /NAME\s+STATUS\s+ROLE\s+INSTANCEGROUP\s+ZONE\s+VERSION\s+PODS\s+TAINTS\s+AGE\s+INSTANCE/);
    assert.match(lineOf(first, 'control-plane'), /Ready\s+control-plane\s+control-plane-us-east-1a\s+us-east-1a\s+v[\d.]+\s+\d+\s+\S+\s+\d+[smhd]\s+i-[0-9a-f]+/);
    const clients = awsClientsFor(fx.access, 'us-east-1');
    try {
      await clients.autoscaling.send(
        new UpdateAutoScalingGroupCommand({ AutoScalingGroupName: `nodes-us-east-1a.${fx.name}`, MaxSize: 3, DesiredCapacity: 3 }),
      );
      const grown = await app.waitFor((f) => nodeLines(f).length === 4 && nodeLines(f).every((l) => / Ready /.test(l)));
      assert.match(grown, /Nodes\(live\.k8s\.local\)\[4\]\s+4 Ready/);
    } finally {
      await clients.autoscaling.send(
        new UpdateAutoScalingGroupCommand({ AutoScalingGroupName: `nodes-us-east-1a.${fx.name}`, MinSize: 2, MaxSize: 2, DesiredCapacity: 2 }),
      );
      clients.destroy();
    }
    await app.waitFor((f) => nodeLines(f).length === 3);
    await app.close();
  });

  test('nodes: a key typed in the same write as a move acts on the row moved to', async () => {
    const app = await open({ name: 'nodes', cluster: fx.name });
    await app.waitFor((f) => nodeLines(f).length === 3);
    app.press('g');
    const frame = await app.waitFor((f) => /^\s*1\/3\s*$/m.test(f));
    const second = nodeLines(frame)[1].trim().split(/\s+/)[0];
    app.press('jc'); // down, then cordon, in one write (fast typing, a paste)
    await app.waitFor(`Cordon node ${second}?`);
    app.press('n');
    await app.waitFor((f) => !f.includes('Cordon node'));
    await app.close();
  });

  test('nodes: c cordons the selected node after a confirmation, u uncordons it, both through the API', async () => {
    const app = await open({ name: 'nodes', cluster: fx.name });
    await app.waitFor((f) => nodeLines(f).length === 3);
    app.press('G'); // the last node, a worker
    const frame = await app.waitFor((f) => f.includes('3/3'));
    const name = nodeLines(frame)[2].trim().split(/\s+/)[0];
    const node = async () => (await fx.nodes()).find((n: KubeNode) => n.metadata.name === name);

    app.press('c');
    await app.waitFor(`Cordon node ${name}`);
    app.press('n'); // no is a no
    await app.waitFor((f) => !f.includes('Cordon node'));
    assert.equal((await node())?.spec?.unschedulable, undefined, 'answering no leaves the node alone');

    app.press('c');
    await app.waitFor(`Cordon node ${name}`);
    app.press('y');
    await app.waitFor((f) => lineOf(f, name).includes('Ready,SchedulingDisabled'));
    assert.equal((await node())?.spec?.unschedulable, true, 'the node is cordoned in the Kubernetes API');
    assert.match(app.lastFrame() ?? '', /1 cordoned/);

    app.press('u');
    await app.waitFor('Uncordon node');
    app.press('y');
    await app.waitFor((f) => !lineOf(f, name).includes('SchedulingDisabled'));
    assert.notEqual((await node())?.spec?.unschedulable, true, 'the node is schedulable again');
    await app.close();
  });

  test('nodes: / filters as you type, Esc clears, and sort keys order the rows', async () => {
    const app = await open({ name: 'nodes', cluster: fx.name });
    await app.waitFor((f) => nodeLines(f).length === 3);
    app.press('/');
    for (const ch of 'control') app.press(ch);
    let frame = await app.waitFor((f) => nodeLines(f).length === 1);
    assert.match(nodeLines(frame)[0], /control-plane-us-east-1a/);
    app.press(keys.enter);
    frame = await app.waitFor('filter: control');
    assert.match(frame, /1\/1 of 3/);
    app.press(keys.escape);
    await app.waitFor((f) => nodeLines(f).length === 3 && !f.includes('filter:'));

    // R sorts by ROLE: control-plane first ascending, last descending.
    app.press('R');
    frame = await app.waitFor('ROLE↑');
    assert.match(nodeLines(frame)[0], /control-plane-us-east-1a/);
    app.press('R');
    frame = await app.waitFor('ROLE↓');
    assert.match(nodeLines(frame)[2], /control-plane-us-east-1a/);
    await app.close();
  });

  test('node detail: conditions, labels, instance and launch template, pods with their budgets; Esc back', async () => {
    const app = await open({ name: 'nodes', cluster: fx.name });
    await app.waitFor((f) => nodeLines(f).length === 3);
    app.press('G');
    const list = await app.waitFor('3/3');
    const name = nodeLines(list)[2].trim().split(/\s+/)[0];
    app.press(keys.enter);
    const frame = await app.waitFor((f) => f.includes('Pods (') && f.includes('Launch template version'));
    assert.match(frame, new RegExp(`Node ${name.replace(/\./g, '\\.')} \\(live\\.k8s\\.local\\)`));
    assert.match(frame, /Status Ready\s+Role node\s+Instance group nodes-us-east-1a\s+Zone us-east-1a/);
    assert.match(frame, /Conditions\n\s+TYPE\s+STATUS\s+REASON\s+MESSAGE\n(.*\n)*\s+Ready\s+True/);
    assert.match(frame, /kubernetes\.io\/hostname=/);
    assert.match(frame, /Launch template version \d+; group nodes-us-east-1a\.live\.k8s\.local is at version \d+: up to date/);
    assert.match(frame, /NAMESPACE\s+NAME\s+OWNER\s+READY\s+PDB\s+ALLOWED/);
    app.press(keys.escape);
    await app.waitFor((f) => nodeLines(f).length === 3 && f.includes('Nodes(live.k8s.local)'));
    await app.close();
  });

  test('escape sequences in a node are shown as visible text in the table and the detail, never raw', async () => {
    const [worker] = (await fx.nodes()).filter((n) => !n.metadata.name.includes('control') && n.metadata.labels?.['node-role.kubernetes.io/node'] !== undefined);
    const path = `/api/v1/nodes/${worker.metadata.name}`;
    await fx.kube.request('PATCH', path, { body: { spec: { taints: [{ key: 'evil\u001b]0;pwned\u0007\u001b[2J', effect: 'PreferNoSchedule' }] } }, contentType: 'application/strategic-merge-patch+json' });
    // eslint-disable-next-line no-control-regex -- control characters (but Ink's own colour codes) are what this looks for
    const raw = /[\u0000-\u0008\u000b-\u001a\u001c-\u001f\u007f-\u009f]|\u001b(?!\[[0-9;]*m)/;
    try {
      const app = await open({ name: 'nodes', cluster: fx.name });
      const table = await app.waitFor((f) => f.includes('evil\\u001b'));
      assert.ok(!raw.test(table), 'no raw control sequence but styling in the nodes table');
      app.press('/');
      app.press(worker.metadata.name);
      app.press(keys.enter);
      await app.waitFor((f) => nodeLines(f).length === 1);
      app.press(keys.enter);
      const detail = await app.waitFor((f) => f.includes('Taints') && f.includes('evil\\u001b]0;pwned\\u0007\\u001b[2J:PreferNoSchedule'));
      assert.ok(!raw.test(detail), 'no raw control sequence but styling in the node detail');
      await app.close();
    } finally {
      await fx.kube.request('PATCH', path, { body: { spec: { taints: null } }, contentType: 'application/merge-patch+json' });
    }
  });

  test('clusters: Enter opens the overview and s the spec', async () => {
    const app = await open({ name: 'clusters' });
    await app.waitFor(fx.name);
    app.press(keys.enter);
    await app.waitFor('Validation passed');
    app.press('n');
    await app.waitFor((f) => nodeLines(f).length === 3);
    app.press(keys.escape);
    await app.waitFor('Validation passed');
    app.press(keys.escape);
    await app.waitFor('Clusters [1]');
    app.press('s');
    await app.waitFor('kind: Cluster');
    await app.close();
  });
});

describe('live views that cannot reach their cluster', () => {
  test('no kubeconfig context for a stored cluster: says so and what to run', async () => {
    const empty = join(fx.home, 'empty-kubeconfig');
    writeFileSync(empty, 'apiVersion: v1\nkind: Config\nclusters: []\ncontexts: []\nusers: []\n');
    const app = await open({ name: 'nodes', cluster: fx.name }, fx.services({ access: { ...fx.access, kubeconfigPath: empty } }));
    const frame = await app.waitFor(`No kubeconfig context for ${fx.name}`);
    assert.match(frame, /kopsdeck update cluster live\.k8s\.local --yes/);
    await app.close();
  });

  test('no cloud access: says how to start with one', async () => {
    const app = await open({ name: 'cluster', cluster: fx.name }, fx.services({ access: undefined }));
    const frame = await app.waitFor(`No cloud to read ${fx.name} from`);
    assert.match(frame, /--cloud sim/);
    await app.close();
  });

  test('a node that is gone says so', async () => {
    const app = await open({ name: 'node', cluster: fx.name, node: 'ip-10-9-9-9.ec2.internal' });
    await app.waitFor('is not in live.k8s.local');
    await app.close();
  });
});
