// `kopsdeck get nodes|instances` and `kopsdeck validate cluster` against a
// simulated cluster made with `create cluster` + `update cluster --yes`:
// kops' columns and sections, the output formats, and the exit codes
// (0 valid, 2 validation failed, 1 for a cluster that does not exist).
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { startLiveFixture, type LiveFixture } from '../screens/live-fixture.js';
import { simAdminFetch } from '../../src/sim/admin-client.js';

let fx: LiveFixture;
before(async () => {
  fx = await startLiveFixture({ name: 'cli.k8s.local', workers: 2, speed: 100 });
});
after(async () => {
  await fx?.stop();
});

describe('get nodes and instances', () => {
  test('get nodes prints one row per node with kops-style columns; --pods adds PODS', async () => {
    const result = await fx.cli(['get', 'nodes', '--name', fx.name]);
    assert.equal(result.code, 0, result.stderr);
    const [header, ...rows] = result.stdout.trimEnd().split('\n');
    assert.match(header, /^NAME\s+STATUS\s+ROLE\s+INSTANCEGROUP\s+ZONE\s+VERSION\s+TAINTS\s+AGE\s+INSTANCE$/);
    assert.equal(rows.length, 3);
    for (const row of rows) assert.match(row, /^ip-\S+\s+Ready\s+(control-plane|node)\s+(control-plane|nodes)-us-east-1a\s+us-east-1a\s+v\S+\s+\S+\s+\d+[smhd]\s+i-[0-9a-f]+$/);
    assert.equal(rows.filter((r) => /\scontrol-plane\s/.test(r)).length, 1);

    const counted = await fx.cli(['get', 'nodes', '--name', fx.name, '--pods']);
    assert.equal(counted.code, 0, counted.stderr);
    const [podsHeader, ...podsRows] = counted.stdout.trimEnd().split('\n');
    assert.match(podsHeader, /^NAME\s+STATUS\s+ROLE\s+INSTANCEGROUP\s+ZONE\s+VERSION\s+PODS\s+TAINTS\s+AGE\s+INSTANCE$/);
    for (const row of podsRows) assert.match(row, /^ip-\S+\s+Ready\s+\S+\s+\S+\s+us-east-1a\s+v\S+\s+\d+\s+\S+\s+\d+[smhd]\s+i-[0-9a-f]+$/);
  });

  test('--pods is refused for what is not nodes, with nothing printed', async () => {
    const result = await fx.cli(['get', 'instances', '--name', fx.name, '--pods']);
    assert.equal(result.code, 1);
    assert.equal(result.stdout, '');
    assert.match(result.stderr, /--pods applies to `kopsdeck get nodes` only, not to instances/);
  });

  test('get nodes -o json and -o yaml carry the same nodes; pods only when counted', async () => {
    const json = await fx.cli(['get', 'nodes', fx.name, '-o', 'json']);
    assert.equal(json.code, 0, json.stderr);
    const nodes = JSON.parse(json.stdout) as { name: string; ready: boolean; instanceGroup: string; pods?: number }[];
    assert.equal(nodes.length, 3);
    assert.ok(nodes.every((n) => n.ready && n.instanceGroup.endsWith('-us-east-1a')));
    assert.ok(nodes.every((n) => !('pods' in n)), 'no pods field when they were not counted');
    const counted = JSON.parse((await fx.cli(['get', 'nodes', fx.name, '-o', 'json', '--pods'])).stdout) as { name: string; pods: number }[];
    assert.deepEqual(counted.map((n) => n.name), nodes.map((n) => n.name));
    assert.ok(counted.some((n) => n.pods > 0), 'pods are counted per node');
    const yaml = await fx.cli(['get', 'nodes', '--name', fx.name, '-o', 'yaml']);
    assert.equal(yaml.code, 0, yaml.stderr);
    for (const n of nodes) assert.ok(yaml.stdout.includes(`name: ${n.name}`));
  });

  test('get instances lists every instance with its node and update status', async () => {
    const result = await fx.cli(['get', 'instances', '--name', fx.name]);
    assert.equal(result.code, 0, result.stderr);
    const [header, ...rows] = result.stdout.trimEnd().split('\n');
    assert.match(header, /^ID\s+NODE-NAME\s+STATUS\s+ROLES\s+STATE\s+INTERNAL-IP\s+INSTANCE-GROUP\s+MACHINE-TYPE$/);
    assert.equal(rows.length, 3);
    for (const row of rows) assert.match(row, /^i-[0-9a-f]+\s+ip-\S+\s+UpToDate\s+(control-plane|node)\s+InService\s+\S+\s+\S+-us-east-1a\s+t3\.medium$/);
  });

  test('an unknown cluster is an error that says where it looked', async () => {
    const result = await fx.cli(['get', 'nodes', '--name', 'nope.k8s.local']);
    assert.equal(result.code, 1);
    assert.match(result.stderr, /Cluster "nope\.k8s\.local" was not found/);
  });
});

describe('validate cluster', () => {
  test('a healthy cluster passes with kops sections and exit code 0', async () => {
    const result = await fx.cli(['validate', 'cluster', fx.name]);
    assert.equal(result.code, 0, result.stdout + result.stderr);
    assert.match(result.stdout, /^INSTANCE GROUPS\nNAME\s+ROLE\s+MACHINETYPE\s+MIN\s+MAX\s+SUBNETS\n/);
    assert.match(result.stdout, /control-plane-us-east-1a\s+ControlPlane\s+t3\.medium\s+1\s+1\s+us-east-1a/);
    assert.match(result.stdout, /\nNODE STATUS\nNAME\s+ROLE\s+READY\n/);
    assert.equal((result.stdout.match(/^ip-\S+\s+(control-plane|node)\s+True$/gm) ?? []).length, 3);
    assert.ok(!result.stdout.includes('VALIDATION ERRORS'));
    assert.match(result.stdout, /Your cluster cli\.k8s\.local is ready\n$/);
  });

  test('--wait with --count needs consecutive passes; -o json is machine-readable', async () => {
    const result = await fx.cli(['validate', 'cluster', '--name', fx.name, '--wait', '2m', '--count', '2', '--interval', '5s', '-o', 'json']);
    assert.equal(result.code, 0, result.stderr);
    const parsed = JSON.parse(result.stdout) as { ok: boolean; cluster: string; nodes: unknown[]; failures: unknown[] };
    assert.equal(parsed.ok, true);
    assert.equal(parsed.cluster, fx.name);
    assert.equal(parsed.nodes.length, 3);
    assert.deepEqual(parsed.failures, []);
  });

  test('an API blackout fails validation with exit code 2 and the error listed', async () => {
    const health = (await (await simAdminFetch(fx.sim, '/sim/health')).json()) as { now: string };
    await fx.putFaults({ apiBlackoutUntil: Date.parse(health.now) + 60 * 60_000 });
    try {
      const result = await fx.cli(['validate', 'cluster', fx.name]);
      assert.equal(result.code, 2, result.stdout + result.stderr);
      assert.match(result.stdout, /\nVALIDATION ERRORS\nKIND\s+NAME\s+MESSAGE\n/);
      assert.match(result.stdout, /APIServer\s+readyz\s+the Kubernetes API server is not ready/);
      assert.match(result.stdout, /Validation Failed\n$/);
      assert.match(result.stderr, /cluster did not pass validation/);
    } finally {
      await fx.putFaults({ apiBlackoutUntil: 0 });
    }
  });

  test('bad flags and unknown clusters exit 1 with a sentence', async () => {
    for (const bad of ['-1', '1.5', 'two']) {
      const count = await fx.cli(['validate', 'cluster', fx.name, '--count', bad]);
      assert.equal(count.code, 1, bad);
      assert.match(count.stderr, /--count must be a whole number/);
    }
    const once = await fx.cli(['validate', 'cluster', fx.name, '--count', '0']);
    assert.equal(once.code, 0, `--count 0 is one pass, as kops takes it: ${once.stderr}`);
    assert.match(once.stdout, /Your cluster .* is ready/);
    const wait = await fx.cli(['validate', 'cluster', fx.name, '--wait', 'soon']);
    assert.equal(wait.code, 1);
    assert.match(wait.stderr, /--wait must be a duration/);
    const missing = await fx.cli(['validate', 'cluster', 'nope.k8s.local']);
    assert.equal(missing.code, 1);
    assert.match(missing.stderr, /Cluster "nope\.k8s\.local" was not found/);
  });
});

describe('terminal safety', () => {
  test('escape sequences in a node reach the terminal as visible text, never raw', async () => {
    const [node] = (await fx.nodes()).filter((n) => !n.metadata.name.includes('control'));
    const evil = 'evil\u001b]0;pwned\u0007\u001b[2J\u009b31m';
    await fx.kube.request('PATCH', `/api/v1/nodes/${node.metadata.name}`, {
      body: { spec: { taints: [{ key: evil, effect: 'PreferNoSchedule' }] } },
      contentType: 'application/strategic-merge-patch+json',
    });
    try {
      const result = await fx.cli(['get', 'nodes', '--name', fx.name]);
      assert.equal(result.code, 0, result.stderr);
      // eslint-disable-next-line no-control-regex -- no control character may reach the terminal
      assert.ok(!/[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/.test(result.stdout), JSON.stringify(result.stdout));
      assert.ok(result.stdout.includes('evil\\u001b]0;pwned\\u0007\\u001b[2J\\u009b31m'), result.stdout);
      // JSON keeps the value exactly, escaped by JSON itself.
      const json = await fx.cli(['get', 'nodes', fx.name, '-o', 'json']);
      assert.ok(!json.stdout.includes('\u001b'));
      assert.ok((JSON.parse(json.stdout) as { taints: string }[]).some((n) => n.taints.includes(evil)));
    } finally {
      await fx.kube.request('PATCH', `/api/v1/nodes/${node.metadata.name}`, { body: { spec: { taints: null } }, contentType: 'application/merge-patch+json' });
    }
  });
});
