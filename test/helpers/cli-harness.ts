// Runs the kopsdeck command line in-process against a fresh local state store
// (an empty directory: reading a store whose directory does not exist is an
// error), capturing what it prints.
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { runCli } from '../../src/commands/program.js';
import { tempDir } from './temp-dir.js';

export interface CliResult {
  code: number;
  stdout: string;
  stderr: string;
}

export interface CliHarness {
  home: string;
  stateUrl: string;
  run(args: string[], env?: NodeJS.ProcessEnv): Promise<CliResult>;
}

export function cliHarness(): CliHarness {
  const home = tempDir('kopsdeck-cli-');
  const stateUrl = 'file://' + join(home, 'state');
  mkdirSync(join(home, 'state'), { mode: 0o700 });
  return {
    home,
    stateUrl,
    async run(args, env = {}) {
      let stdout = '';
      let stderr = '';
      const code = await runCli(
        ['--state', stateUrl, ...args],
        {
          stdout: { write: (text: string) => (stdout += text) },
          stderr: { write: (text: string) => (stderr += text) },
          env: { ...process.env, KOPSDECK_HOME: home, KOPS_STATE_STORE: '', ...env },
        },
        { openConsole: async () => { throw new Error('the console is not opened in CLI tests'); } },
      );
      return { code, stdout, stderr };
    },
  };
}
