// One simulator per world directory, and a world file that is never silently
// lost: a second simulator on a directory is refused (and a second kopsdeck
// process connects to the first), a lock left by a killed process is taken
// over, and a damaged world file is kept aside with a message.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import { CreateVpcCommand, DescribeVpcsCommand, EC2Client } from '@aws-sdk/client-ec2';
import { startSimulator } from '../../src/sim/simulator.js';
import { SimulatorBusyError, WORLD_LOCK_FILE } from '../../src/sim/world-lock.js';
import { WORLD_FILE } from '../../src/sim/persistence.js';
import { connectOrStartSimulator } from '../../src/startup/simulator-connection.js';
import { CommandContext } from '../../src/commands/command-context.js';
import { simulatorCredentials } from '../../src/startup/cloud-session.js';
import { processSpaceId } from '../../src/engine/process-space.js';

const freshDir = () => mkdtempSync(join(tmpdir(), 'kopsdeck-world-lock-'));

function ec2Of(sim: { url: string; token: string }): EC2Client {
  return new EC2Client({ endpoint: sim.url, region: 'us-east-1', credentials: simulatorCredentials(sim.token) });
}

/** A process id that no process has any more. */
function deadPid(): number {
  const child = spawnSync(process.execPath, ['-e', 'console.log(process.pid)'], { encoding: 'utf8' });
  return Number(child.stdout.trim());
}

test('a second simulator on the same directory is refused; the first keeps the world and saves it', async () => {
  const dir = freshDir();
  const first = await startSimulator({ dir });
  try {
    await assert.rejects(startSimulator({ dir }), (error: unknown) => {
      assert.ok(error instanceof SimulatorBusyError);
      assert.match((error as Error).message, new RegExp(`another simulator \\(process ${process.pid} on .*\\) serves the world in ${dir}`));
      return true;
    });
    const ec2 = ec2Of(first);
    await ec2.send(new CreateVpcCommand({ CidrBlock: '10.9.0.0/16' }));
    ec2.destroy();
  } finally {
    await first.stop();
  }
  assert.equal(existsSync(join(dir, WORLD_LOCK_FILE)), false, 'the lock goes with the simulator');
  const again = await startSimulator({ dir });
  const ec2 = ec2Of(again);
  try {
    const vpcs = (await ec2.send(new DescribeVpcsCommand({}))).Vpcs ?? [];
    assert.ok(vpcs.some((vpc) => vpc.CidrBlock === '10.9.0.0/16'), 'the VPC made before is in the saved world');
  } finally {
    ec2.destroy();
    await again.stop();
    rmSync(dir, { recursive: true, force: true });
  }
});

test('two kopsdeck sessions opening at the same moment share one simulator', async () => {
  const dir = freshDir();
  const [a, b] = await Promise.all([connectOrStartSimulator({ dir }), connectOrStartSimulator({ dir })]);
  try {
    assert.equal(a.url, b.url);
    assert.equal(readdirSync(dir).filter((name) => name === WORLD_LOCK_FILE).length, 1);
  } finally {
    await a.release();
    await b.release();
    rmSync(dir, { recursive: true, force: true });
  }
});

test('a lock left by a process that is gone is taken over', async () => {
  const dir = freshDir();
  writeFileSync(join(dir, WORLD_LOCK_FILE), JSON.stringify({ pid: deadPid(), host: hostname(), space: processSpaceId(), startedAt: '2026-01-01T00:00:00.000Z' }));
  const sim = await startSimulator({ dir });
  try {
    assert.equal(JSON.parse(readFileSync(join(dir, WORLD_LOCK_FILE), 'utf8')).pid, process.pid);
  } finally {
    await sim.stop();
    rmSync(dir, { recursive: true, force: true });
  }
});

test('a lock held in another process table (a container with this host name) is not taken over, whatever its pid', async () => {
  const dir = freshDir();
  writeFileSync(join(dir, WORLD_LOCK_FILE), JSON.stringify({ pid: deadPid(), host: hostname(), space: 'another-container', startedAt: '2026-01-01T00:00:00.000Z' }));
  try {
    await assert.rejects(startSimulator({ dir }), (error: unknown) => error instanceof SimulatorBusyError);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('a truncated world file is kept aside, said, and not overwritten', async () => {
  const dir = freshDir();
  const truncated = '{"version":1,"savedAt":1790000000000,"parts":{"aws":{"vpcs":{"vpc-1":';
  writeFileSync(join(dir, WORLD_FILE), truncated);
  const sim = await startSimulator({ dir });
  await sim.stop();
  const aside = readdirSync(dir).filter((name) => name.startsWith(`${WORLD_FILE}.damaged-`));
  assert.equal(aside.length, 1);
  assert.equal(readFileSync(join(dir, aside[0]), 'utf8'), truncated, 'the damaged file is kept byte for byte');
  assert.equal(sim.notices.length, 1);
  assert.match(sim.notices[0], new RegExp(`world file .*${WORLD_FILE} could not be read \\(it is not complete JSON: .*\\); it was kept as .*${aside[0]}, and the simulator starts with an empty world\\.`));
  assert.equal(JSON.parse(readFileSync(join(dir, WORLD_FILE), 'utf8')).version, 1, 'a new, whole world was saved beside it');
  rmSync(dir, { recursive: true, force: true });
});

test('the command line says so on stderr when the world file was kept aside', async () => {
  const dir = freshDir();
  writeFileSync(join(dir, WORLD_FILE), '');
  let stderr = '';
  const ctx = new CommandContext({ stdout: { write: () => true }, stderr: { write: (text: string) => (stderr += text) }, env: { ...process.env, KOPSDECK_SIM_DIR: dir, KOPSDECK_CLOUD: 'sim' } }, () => ({}));
  try {
    await ctx.cloud();
    assert.match(stderr, /could not be read \(it is empty\); it was kept as .*world\.json\.damaged-/);
  } finally {
    await ctx.close();
    rmSync(dir, { recursive: true, force: true });
  }
});
