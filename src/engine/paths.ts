// Where kopsdeck keeps its own files. KOPSDECK_HOME overrides everything, so a
// test or a second installation never touches the user's real data.
import envPaths from 'env-paths';
import { join } from 'node:path';

export function kopsdeckHome(env: NodeJS.ProcessEnv = process.env): string {
  return env.KOPSDECK_HOME || envPaths('kopsdeck', { suffix: '' }).data;
}

/** The local state store used when neither --state nor KOPS_STATE_STORE is given. */
export function defaultStateStoreUrl(env: NodeJS.ProcessEnv = process.env): string {
  return 'file://' + join(kopsdeckHome(env), 'state');
}

/** Where the embedded simulator saves its world between runs. */
export function defaultSimulatorDir(env: NodeJS.ProcessEnv = process.env): string {
  return join(kopsdeckHome(env), 'sim');
}
