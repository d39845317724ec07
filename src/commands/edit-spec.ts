// `kopsdeck edit cluster NAME` and `kopsdeck edit ig NAME --name C`: the YAML
// opened in $EDITOR (or changed with --set), validated with the whole cluster
// before saving; on errors the editor reopens with them as comments; nothing is
// saved on abort; a conflicting save is refused and the edit kept aside.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseCluster, parseInstanceGroup, serialiseResource } from '../engine/spec/parse.js';
import { applySettings } from '../engine/spec/set-path.js';
import { formatSpecErrors, type SpecError, type SpecResult } from '../engine/spec/spec-error.js';
import type { Cluster, InstanceGroup } from '../engine/spec/types.js';
import { checkCluster, storedContext, type SpecCheck } from '../engine/spec/check-cluster-spec.js';
import { ConflictError } from '../engine/store/object-store.js';
import type { Versioned } from '../engine/store/cluster-store.js';
import { refuseSpecChangeOfKopsCluster } from './kops-spec-guard.js';
import { CliError, specInvalid } from './cli-error.js';
import type { CommandContext } from './command-context.js';
import { requireCluster } from './get-spec.js';
import { channelForWarnings, printSpecWarnings } from './spec-warnings.js';

const ERROR_MARK = '# kopsdeck: ';

/** One editable document and how to check and save it. */
interface EditTarget<T extends Cluster | InstanceGroup> {
  label: string;
  current: Versioned<T>;
  parse(text: string): SpecResult<T>;
  /** Problems of the whole cluster with this document in place. */
  validate(edited: T): Promise<SpecCheck>;
  save(edited: T, version: string): Promise<void>;
}

export async function editCluster(ctx: CommandContext, clusterName: string, settings: string[]): Promise<void> {
  const store = ctx.store();
  const current = await store.getCluster(clusterName);
  if (!current) throw new CliError(`Cluster "${clusterName}" was not found in ${store.url}; list clusters with \`kopsdeck get clusters\`.`);
  await refuseSpecChangeOfKopsCluster(ctx, current.value, `kops edit cluster ${clusterName}`);
  const groups = (await store.listInstanceGroups(clusterName)).map((g) => g.value);
  // What the store already holds (version, zones) only warns; what the edit sets is checked in full.
  const stored = storedContext(current.value);
  await edit(ctx, settings, {
    label: `Cluster "${clusterName}"`,
    current,
    parse: parseCluster,
    validate: async (edited) =>
      renamed(edited.metadata?.name, clusterName) ??
      checkCluster(edited, groups, { channel: await channelForWarnings(ctx, edited.spec?.channel), ...stored }),
    save: async (edited, version) => void (await store.updateCluster(edited, version)),
  });
}

export async function editInstanceGroup(ctx: CommandContext, igName: string, clusterName: string | undefined, settings: string[]): Promise<void> {
  const cluster = await requireCluster(ctx, clusterName);
  const name = cluster.metadata.name;
  await refuseSpecChangeOfKopsCluster(ctx, cluster, `kops edit ig ${igName} --name ${name}`);
  const store = ctx.store();
  const current = await store.getInstanceGroup(name, igName);
  if (!current) throw new CliError(`Instance group "${igName}" was not found in cluster ${name}; list them with \`kopsdeck get ig --name ${name}\`.`);
  const others = (await store.listInstanceGroups(name)).map((g) => g.value).filter((g) => g.metadata.name !== igName);
  // Editing a group never fails on what the cluster's stored spec holds (it is not being changed here).
  const context = { channel: await channelForWarnings(ctx, cluster.spec?.channel), ...storedContext(cluster) };
  await edit(ctx, settings, {
    label: `Instance group "${igName}"`,
    current,
    parse: parseInstanceGroup,
    validate: async (edited) => renamed(edited.metadata?.name, igName) ?? checkCluster(cluster, [...others, edited], context),
    save: async (edited, version) => void (await store.putInstanceGroup(name, edited, version)),
  });
}

async function edit<T extends Cluster | InstanceGroup>(ctx: CommandContext, settings: string[], target: EditTarget<T>): Promise<void> {
  const edited = settings.length > 0 ? await editWithSettings(settings, target) : await editInEditor(ctx, target);
  if (edited === null) return ctx.print('Edit cancelled: no changes were saved.');
  printSpecWarnings(ctx, edited.warnings);
  await save(ctx, target, edited.value);
}

async function save<T extends Cluster | InstanceGroup>(ctx: CommandContext, target: EditTarget<T>, edited: T): Promise<void> {
  try {
    await target.save(edited, target.current.version);
  } catch (error) {
    if (!(error instanceof ConflictError)) throw error;
    const aside = keepAside(serialiseResource(edited));
    throw new CliError(`${error.message}.`, 1, [`  Your version was kept in ${aside}.`]);
  }
  ctx.print(`${target.label} saved to ${ctx.store().url}.`);
}

interface Edited<T> {
  value: T;
  warnings: SpecError[];
}

async function editWithSettings<T extends Cluster | InstanceGroup>(settings: string[], target: EditTarget<T>): Promise<Edited<T>> {
  const result = applySettings(target.current.value, settings);
  if (!result.ok) throw specInvalid(`The setting`, result.errors);
  const { errors, warnings } = await target.validate(result.value);
  if (errors.length > 0) throw specInvalid(target.label, errors);
  return { value: result.value, warnings };
}

/** Loops editor -> parse -> validate until the document is valid or the user gives up. */
async function editInEditor<T extends Cluster | InstanceGroup>(ctx: CommandContext, target: EditTarget<T>): Promise<Edited<T> | null> {
  const original = serialiseResource(target.current.value);
  const dir = mkdtempSync(join(tmpdir(), 'kopsdeck-edit-'));
  try {
    return await editLoop(ctx, target, original, join(dir, 'spec.yaml'));
  } finally {
    // The spec (and the user's edit of it) does not stay in the temporary directory.
    rmSync(dir, { recursive: true, force: true });
  }
}

async function editLoop<T extends Cluster | InstanceGroup>(ctx: CommandContext, target: EditTarget<T>, original: string, file: string): Promise<Edited<T> | null> {
  let presented = original;
  let problems: SpecError[] = [];
  for (;;) {
    writeFileSync(file, withErrorComments(presented, problems), { mode: 0o600 });
    runEditor(ctx, file);
    const text = stripErrorComments(readFileSync(file, 'utf8'));
    if (text.trim() === '' || text === original) return null;
    if (problems.length > 0 && text === presented) {
      throw specInvalid(target.label, problems);
    }
    const parsed = target.parse(text);
    const checked = parsed.ok ? await target.validate(parsed.value) : { errors: parsed.errors, warnings: [] };
    problems = checked.errors;
    if (parsed.ok && problems.length === 0) return { value: parsed.value, warnings: checked.warnings };
    presented = text;
  }
}

function runEditor(ctx: CommandContext, file: string): void {
  const editor = ctx.io.env.KUBE_EDITOR || ctx.io.env.EDITOR || 'vi';
  const result = spawnSync(`${editor} '${file.replaceAll("'", "'\\''")}'`, { shell: true, stdio: 'inherit', env: ctx.io.env });
  if (result.error || result.status !== 0) {
    throw new CliError(`The editor "${editor}" did not finish cleanly; nothing was saved. Set EDITOR to the editor you use.`);
  }
}

function withErrorComments(text: string, problems: SpecError[]): string {
  if (problems.length === 0) return text;
  const lines = [
    `${ERROR_MARK}this document is not valid; fix the problems below and save, or save it unchanged to give up.`,
    ...formatSpecErrors(problems).map((line) => `${ERROR_MARK}  ${line}`),
  ];
  return lines.join('\n') + '\n' + text;
}

function stripErrorComments(text: string): string {
  return text
    .split('\n')
    .filter((line) => !line.startsWith(ERROR_MARK))
    .join('\n');
}

function renamed(name: unknown, expected: string): SpecCheck | null {
  return name === expected ? null : { errors: [{ path: 'metadata.name', message: `renaming is not supported; keep the name "${expected}"` }], warnings: [] };
}

function keepAside(text: string): string {
  const file = join(mkdtempSync(join(tmpdir(), 'kopsdeck-unsaved-')), 'spec.yaml');
  writeFileSync(file, text, { mode: 0o600 });
  return file;
}
