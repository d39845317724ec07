// The exit codes a pipeline acts on (README "In pipelines"), table-driven: the
// real kopsdeck CLI as its own process against a simulator started here (and
// recorded in KOPSDECK_HOME/sim, where every child finds it). One cluster goes
// through what a CI job does: bad input, plan, apply, plan again, validate,
// change an instance group, plan and apply that, plan the roll, roll, and a
// validation that fails. Each row runs after the one before it.
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import {
  EXIT_CHANGES_PENDING,
  EXIT_ERROR,
  EXIT_OK,
  EXIT_ROLLOUT_PENDING,
  EXIT_VALIDATION_FAILED,
} from '../../src/commands/cli-error.js';
import type { PlanJson } from '../../src/engine/reconcile/plan-json.js';
import type { RolloutPlan } from '../../src/engine/rollout/types.js';
import { simAdminFetch } from '../../src/sim/admin-client.js';
import { startRecordedSimulator, type SimulatorConnection } from '../../src/startup/simulator-connection.js';
import { putSimFaults } from '../helpers/sim-cluster.js';
import { runBuiltCli, type CliRun } from '../helpers/built-cli.js';

const NAME = 'exits.k8s.local';
const WORKERS = 'nodes-us-east-1a';
let home: string;
let stateDir: string;
let sim: SimulatorConnection;


before(async () => {
  home = mkdtempSync(join(tmpdir(), 'kopsdeck-exits-'));
  stateDir = join(home, 'state');
  mkdirSync(stateDir, { mode: 0o700 });
  sim = await startRecordedSimulator({ dir: join(home, 'sim'), speed: 200, seed: 11 });
});
after(async () => {
  await sim?.release();
  if (home) rmSync(home, { recursive: true, force: true });
});

/** `kopsdeck ARGS` as a process, as a pipeline runs it. */
function kopsdeck(args: string[]): Promise<CliRun> {
  return runBuiltCli(['--state', 'file://' + stateDir, ...args], { KOPSDECK_HOME: home, KOPSDECK_CLOUD: 'sim', FORCE_COLOR: '0' }, 180_000);
}

/** Every file of the state store with its content: "nothing written" is this, unchanged. */
function stateSnapshot(dir = stateDir): Map<string, string> {
  const files = new Map<string, string>();
  for (const entry of readdirSync(dir)) {
    const path = join(dir, entry);
    if (statSync(path).isDirectory()) for (const [p, c] of stateSnapshot(path)) files.set(p, c);
    else files.set(path, readFileSync(path, 'utf8'));
  }
  return files;
}

interface Row {
  what: string;
  args: string[];
  code: number;
  /** Runs before the command (a fault switched on, say); `undo` runs after it, whatever happened. */
  setup?: () => Promise<void>;
  undo?: () => Promise<void>;
  check?: (run: CliRun) => void;
  /** The state store must be byte for byte as before the command. */
  writesNothing?: boolean;
}

const json = <T>(run: CliRun): T => JSON.parse(run.stdout) as T;

const rows: Row[] = [
  {
    what: 'bad input: update of a cluster that does not exist',
    args: ['update', 'cluster', 'absent.k8s.local'],
    code: EXIT_ERROR,
    writesNothing: true,
    check: (run) => assert.match(run.stderr, /^Error: .*absent\.k8s\.local/m),
  },
  {
    what: 'create the spec',
    args: ['create', 'cluster', NAME, '--zones', 'us-east-1a', '--control-plane-count', '1', '--node-count', '1'],
    code: EXIT_OK,
  },
  {
    what: 'update without --yes, everything to create: changes pending, nothing applied',
    args: ['update', 'cluster', NAME],
    code: EXIT_CHANGES_PENDING,
    writesNothing: true,
    check: (run) => {
      assert.match(run.stdout, /^Will create resources:/m);
      assert.match(run.stdout, /Must specify --yes to apply changes/);
      assert.doesNotMatch(run.stderr, /Error/, 'a pending plan is not an error');
    },
  },
  {
    what: 'update -o json without --yes: the plan document, changes pending',
    args: ['update', 'cluster', NAME, '-o', 'json'],
    code: EXIT_CHANGES_PENDING,
    writesNothing: true,
    check: (run) => {
      const plan = json<PlanJson>(run);
      assert.equal(plan.formatVersion, 1);
      assert.equal(plan.cluster, NAME);
      assert.equal(plan.changesPending, true);
      const entries = Object.entries(plan.changes);
      assert.equal(plan.summary.create, entries.length, 'every create is listed by its key');
      assert.equal(plan.summary.modify + plan.summary.delete + plan.summary.unchanged, 0, 'nothing exists yet');
      for (const [key, change] of entries) {
        assert.equal(key, `${change.kind}/${change.name}`);
        assert.equal(change.action, 'create');
        assert.equal(change.id, null);
        assert.deepEqual(change.changes, []);
      }
      assert.equal(plan.changes[`VPC/${NAME}`]?.action, 'create', Object.keys(plan.changes).join(', '));
      assert.ok(plan.changes[`AutoscalingGroup/${WORKERS}.${NAME}`], 'the worker group is planned');
      assert.deepEqual(plan.deletions, []);
      assert.ok(plan.secrets.toGenerate.includes('ca'));
      assert.equal(plan.summary.secretsToGenerate, plan.secrets.toGenerate.length);
      assert.equal(plan.ownership.manager, 'kopsdeck');
      assert.match(run.stderr, /Must specify --yes/, 'the hint is on stderr, stdout is only the document');
    },
  },
  { what: 'update --yes applies: 0', args: ['update', 'cluster', NAME, '--yes'], code: EXIT_OK, check: (run) => assert.match(run.stdout, /changes applied/) },
  {
    what: 'update without --yes after the apply: nothing to change, 0',
    args: ['update', 'cluster', NAME],
    code: EXIT_OK,
    check: (run) => {
      assert.match(run.stdout, /^No changes need to be applied/);
      assert.doesNotMatch(run.stdout, /Must specify --yes/);
    },
  },
  {
    what: 'update -o json with nothing to change: changesPending false, an empty changes map',
    args: ['update', 'cluster', NAME, '-o', 'json'],
    code: EXIT_OK,
    check: (run) => {
      const plan = json<PlanJson>(run);
      assert.equal(plan.changesPending, false);
      assert.deepEqual(plan.changes, {});
      assert.deepEqual({ ...plan.summary, unchanged: 0 }, { create: 0, modify: 0, delete: 0, unchanged: 0, leftAlone: 0, secretsToGenerate: 0 });
      assert.ok(plan.summary.unchanged > 0);
      assert.doesNotMatch(run.stderr, /Must specify --yes/);
    },
  },
  {
    what: 'validate a healthy cluster (waiting for it to boot): 0',
    args: ['validate', 'cluster', NAME, '--wait', '10m', '--interval', '5s', '-o', 'json'],
    code: EXIT_OK,
    check: (run) => {
      const report = json<Record<string, unknown>>(run);
      assert.deepEqual(Object.keys(report), ['cluster', 'ok', 'failures', 'tolerated', 'instanceGroups', 'nodes'], 'the documented fields, in order');
      assert.equal(report.ok, true);
      const nodes = report.nodes as Record<string, unknown>[];
      assert.equal(nodes.length, 2);
      assert.deepEqual(Object.keys(nodes[0]), ['name', 'role', 'status', 'zone', 'hostname', 'instanceGroup']);
      const groups = report.instanceGroups as Record<string, unknown>[];
      assert.deepEqual(Object.keys(groups[0]), ['name', 'role', 'machineType', 'min', 'max', 'target', 'zones']);
    },
  },
  {
    what: 'rolling-update without --yes, every instance up to date: 0',
    args: ['rolling-update', 'cluster', NAME],
    code: EXIT_OK,
    check: (run) => assert.match(run.stdout, /No rolling-update required\./),
  },
  {
    what: 'bad input: a bad flag value refuses the roll before anything is done',
    args: ['rolling-update', 'cluster', NAME, '--yes', '--force', '--validate-count=-1'],
    code: EXIT_ERROR,
    writesNothing: true,
    check: (run) => assert.match(run.stderr, /--validate-count must be a whole number/),
  },
  {
    what: 'change the worker group machine type in the spec',
    args: ['edit', 'ig', WORKERS, '--name', NAME, '--set', 'spec.machineType=t3.large'],
    code: EXIT_OK,
  },
  {
    what: 'update -o json after the edit: one modify, with its field change, by task key',
    args: ['update', 'cluster', NAME, '-o', 'json'],
    code: EXIT_CHANGES_PENDING,
    writesNothing: true,
    check: (run) => {
      const plan = json<PlanJson>(run);
      assert.equal(plan.changesPending, true);
      assert.equal(plan.summary.create + plan.summary.delete, 0);
      const modifies = Object.entries(plan.changes);
      assert.equal(plan.summary.modify, modifies.length);
      assert.ok(modifies.length >= 1);
      const template = plan.changes[`LaunchTemplate/${WORKERS}.${NAME}`];
      assert.equal(template?.action, 'modify', JSON.stringify(plan.changes));
      assert.match(template.id ?? '', /^lt-/);
      assert.deepEqual(template.fields, {});
      assert.ok(template.changes.some((c) => c.old.includes('t3.') && c.new.includes('t3.large')), JSON.stringify(template.changes));
    },
  },
  { what: 'update --yes after the edit: 0', args: ['update', 'cluster', NAME, '--yes'], code: EXIT_OK },
  {
    what: 'rolling-update without --yes, the worker out of date: rollout pending',
    args: ['rolling-update', 'cluster', NAME],
    code: EXIT_ROLLOUT_PENDING,
    check: (run) => {
      assert.match(run.stdout, new RegExp(`^${WORKERS}\\s+NeedsUpdate\\s+1\\s`, 'm'));
      assert.match(run.stdout, /^control-plane-us-east-1a\s+Ready\s+0\s/m);
      assert.match(run.stdout, /\nMust specify --yes to rolling-update\.\n$/);
      assert.doesNotMatch(run.stderr, /Error/, 'a pending roll is not an error');
    },
  },
  {
    what: 'rolling-update -o json without --yes: one JSON line, the plan, hint on stderr',
    args: ['rolling-update', 'cluster', NAME, '-o', 'json'],
    code: EXIT_ROLLOUT_PENDING,
    check: (run) => {
      const lines = run.stdout.trimEnd().split('\n');
      assert.equal(lines.length, 1, run.stdout);
      const { type, plan } = JSON.parse(lines[0]) as { type: string; plan: RolloutPlan };
      assert.equal(type, 'plan');
      assert.equal(plan.totalInstances, 1);
      assert.deepEqual(plan.order, [WORKERS]);
      assert.equal(plan.groups.find((g) => g.name === WORKERS)?.instances[0]?.group, WORKERS);
      assert.match(run.stderr, /Must specify --yes to rolling-update\./);
    },
  },
  {
    what: 'rolling-update --yes rolls the worker: 0',
    args: ['rolling-update', 'cluster', NAME, '--yes', '--post-drain-delay', '1s', '--node-interval', '1s'],
    code: EXIT_OK,
    check: (run) => assert.match(run.stdout, /Rolling update finished in .*: 1 replaced, 0 skipped\./),
  },
  {
    what: 'rolling-update without --yes after the roll: 0',
    args: ['rolling-update', 'cluster', NAME],
    code: EXIT_OK,
    check: (run) => assert.match(run.stdout, /No rolling-update required\./),
  },
  {
    what: 'validate while the Kubernetes API is down: validation failed, ok false in the JSON',
    args: ['validate', 'cluster', NAME, '-o', 'json'],
    code: EXIT_VALIDATION_FAILED,
    setup: async () => {
      const health = (await (await simAdminFetch(sim, '/sim/health')).json()) as { now: string };
      await putSimFaults(sim, { apiBlackoutUntil: Date.parse(health.now) + 60 * 60_000 });
    },
    undo: () => putSimFaults(sim, { apiBlackoutUntil: 0 }),
    check: (run) => {
      const report = json<{ ok: boolean; failures: { kind: string; message: string; instanceGroup: string | null }[] }>(run);
      assert.equal(report.ok, false);
      assert.ok(report.failures.some((f) => f.kind === 'APIServer'), JSON.stringify(report.failures));
      assert.ok(report.failures.every((f) => 'instanceGroup' in f), 'every failure has the same fields');
      assert.match(run.stderr, /^Error: /m);
    },
  },
  {
    what: 'bad input: --count that is not a number',
    args: ['validate', 'cluster', NAME, '--count', 'many'],
    code: EXIT_ERROR,
    writesNothing: true,
    check: (run) => assert.match(run.stderr, /--count must be a whole number/),
  },
];

for (const row of rows) {
  test(`${row.what}: kopsdeck ${row.args.join(' ')} -> ${row.code}`, async () => {
    const before = row.writesNothing ? stateSnapshot() : undefined;
    await row.setup?.();
    let run: CliRun;
    try {
      run = await kopsdeck(row.args);
    } finally {
      await row.undo?.();
    }
    assert.equal(run.code, row.code, `exit ${run.code}\nstdout:\n${run.stdout}\nstderr:\n${run.stderr}`);
    row.check?.(run);
    if (before) assert.deepEqual(stateSnapshot(), before, 'the state store is unchanged');
  });
}
