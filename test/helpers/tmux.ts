// Drives the built kopsdeck in a real terminal: a detached tmux session of a
// fixed size, keys sent with send-keys, the screen read with capture-pane.
import { execFileSync, spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { waitFor } from './wait.js';

export function tmuxAvailable(): boolean {
  return spawnSync('tmux', ['-V']).status === 0;
}

export class TmuxSession {
  readonly name = `kopsdeck-test-${randomBytes(4).toString('hex')}`;
  /** Every distinct screen captured so far, in order: what a user could have seen. */
  readonly seen: string[] = [];

  constructor(options: { columns?: number; rows?: number; env?: Record<string, string> } = {}) {
    const env = Object.entries(options.env ?? {}).flatMap(([key, value]) => ['-e', `${key}=${value}`]);
    // A plain shell with a known prompt, so the test can tell when it is back.
    this.tmux('new-session', '-d', '-s', this.name, '-x', String(options.columns ?? 120), '-y', String(options.rows ?? 40), ...env, 'env PS1="PROMPT$ " bash --norc --noprofile');
  }

  /** Types text followed by Enter. */
  type(text: string): void {
    this.tmux('send-keys', '-t', this.name, '-l', text);
    this.tmux('send-keys', '-t', this.name, 'Enter');
  }

  /** Sends tmux key names: 'q', 'Escape', 'Enter', 'Down', 'C-c', '/'. */
  keys(...keys: string[]): void {
    for (const key of keys) this.tmux('send-keys', '-t', this.name, key);
  }

  screen(): string {
    const screen = this.tmux('capture-pane', '-p', '-t', this.name);
    if (this.seen.at(-1) !== screen) this.seen.push(screen);
    return screen;
  }

  alternateScreenOn(): boolean {
    return this.tmux('display-message', '-p', '-t', this.name, '#{alternate_on}').trim() === '1';
  }

  /** Polls the screen until `pattern` shows up; fails with the last screen after `timeoutMs`. */
  async waitFor(pattern: RegExp, timeoutMs = 20_000): Promise<string> {
    let last = '';
    return waitFor(() => ((last = this.screen()), pattern.test(last) ? last : undefined), { describe: `${pattern} on the screen`, timeoutMs, intervalMs: 100 }).catch(() => {
      throw new Error(`timed out waiting for ${pattern} on the screen:\n${last}`);
    });
  }

  /** Polls until `pattern` is no longer on the screen. */
  async waitForGone(pattern: RegExp, timeoutMs = 20_000): Promise<string> {
    let last = '';
    return waitFor(() => ((last = this.screen()), pattern.test(last) ? undefined : last), { describe: `${pattern} to leave the screen`, timeoutMs, intervalMs: 100 }).catch(() => {
      throw new Error(`timed out waiting for ${pattern} to leave the screen:\n${last}`);
    });
  }

  close(): void {
    spawnSync('tmux', ['-L', this.name, 'kill-server']);
  }

  /**
   * Each session has a tmux server of its own (-L): with one shared server, a
   * test whose last session closes stops the server while another test's
   * new-session is connecting to it ("server exited unexpectedly").
   */
  private tmux(...args: string[]): string {
    return execFileSync('tmux', ['-L', this.name, ...args], { encoding: 'utf8' });
  }
}
