// openssl from the test machine, to check what kopsdeck makes with a tool that
// shares no code with it. Tests skip, saying why, where it is missing.
import { execFileSync, spawnSync } from 'node:child_process';

export const OPENSSL_MISSING: string | false = (() => {
  const probe = spawnSync('openssl', ['version'], { encoding: 'utf8' });
  return probe.error || probe.status !== 0 ? 'openssl is not installed here (.ci/run installs it): the openssl checks are skipped' : false;
})();

/** Runs openssl; stdin is given as `input`. Throws with openssl's stderr when it fails. */
export function openssl(args: string[], input?: string | Buffer): string {
  return execFileSync('openssl', args, { input, encoding: 'utf8', stdio: ['pipe', 'pipe', 'pipe'] });
}

/** Runs openssl for binary output (DER). */
export function opensslBytes(args: string[], input?: string | Buffer): Buffer {
  return execFileSync('openssl', args, { input, stdio: ['pipe', 'pipe', 'pipe'] });
}

/** openssl's verdict without throwing: its exit status and what it printed. */
export function opensslStatus(args: string[]): { status: number; output: string } {
  const result = spawnSync('openssl', args, { encoding: 'utf8' });
  return { status: result.status ?? -1, output: `${result.stdout}${result.stderr}` };
}
