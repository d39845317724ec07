// The CLI as users run it: dist/cli.js, the bundle `npm run build` writes.
// Tests that run kopsdeck as its own process run this rather than
// `node --import tsx src/cli.tsx`: it is what a pipeline runs, and it starts in
// a fraction of the time (tsx compiles and resolves every module of the
// unbundled tree in each child, seconds of CPU per command).
import assert from 'node:assert/strict';
import { execFileSync, spawn } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { simulatorCredentials } from '../../src/startup/cloud-session.js';

export const BUILT_CLI = 'dist/cli.js';

/** dist/cli.js as built from src/ now: the suite builds before the tests run; a lone test run builds here. */
export function builtCli(): string {
  ensureBuiltFrom(BUILT_CLI, ['src']);
  return BUILT_CLI;
}

export interface CliRun {
  code: number | null;
  stdout: string;
  stderr: string;
}

/**
 * `kopsdeck ARGS` as its own process, the built CLI, with `env` over this
 * process's environment (the kops variables cleared unless given). Killed after
 * `timeoutMs`.
 */
export function runBuiltCli(args: string[], env: NodeJS.ProcessEnv, timeoutMs = 60_000): Promise<CliRun> {
  const child = spawn(process.execPath, [builtCli(), ...args], {
    env: { ...process.env, KOPS_STATE_STORE: '', KOPS_CLUSTER_NAME: '', KOPSDECK_CLOUD: '', NODE_NO_WARNINGS: '1', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
  child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
  const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
  return new Promise((resolve) =>
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    }),
  );
}

/**
 * The environment of a kopsdeck run against real AWS (`--cloud aws`) whose AWS
 * is the simulator: its endpoint, and its token as the key id, as for any client of it.
 */
export function awsAtSimulator(sim: { url: string; token: string }): NodeJS.ProcessEnv {
  const { accessKeyId, secretAccessKey } = simulatorCredentials(sim.token);
  return { AWS_ENDPOINT_URL: sim.url, AWS_REGION: 'us-east-1', AWS_ACCESS_KEY_ID: accessKeyId, AWS_SECRET_ACCESS_KEY: secretAccessKey };
}

/**
 * dist/ must hold `built` as it is in the `sources` folders (the suite builds
 * first; a lone run of a test builds here when dist/ is older than the sources).
 */
export function ensureBuiltFrom(built: string, sources: string[]): void {
  const stale = !existsSync(built) || statSync(built).mtimeMs < Math.max(...sources.map(newestMtime));
  if (!stale) return;
  try {
    execFileSync('npm', ['run', 'build', '--silent'], { stdio: 'pipe' });
  } catch {
    // Type errors elsewhere in a shared tree still emit JavaScript; what matters is below.
  }
  assert.ok(existsSync(built), `${built} was not built`);
}

function newestMtime(dir: string): number {
  let newest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    newest = Math.max(newest, entry.isDirectory() ? newestMtime(path) : statSync(path).mtimeMs);
  }
  return newest;
}
