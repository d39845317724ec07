// `update cluster --target terraform`: the cluster's plan, made as for a
// direct update (discovery only reads the cloud), rendered as a Terraform
// module instead of applied. Nothing here creates or changes anything in the
// cloud. As kops does with its keystore, the cluster's secrets live in the
// state store, never in the module: a cluster whose store has no CA yet gets
// one there first, since its machines' user-data names the CA's hash.
import { mkdirSync, readdirSync, statSync, unlinkSync } from 'node:fs';
import { join } from 'node:path';
import { planCluster, type ClusterInput, type ClusterPlan } from '../reconcile/cluster.js';
import { NotOwnedError } from '../ownership/decide.js';
import { ensureSecrets, type EnsureSecretsResult } from '../pki/ensure-secrets.js';
import { regionOfZone } from '../spec/regions.js';
import { writeFileAtomic } from '../fs/atomic-write.js';
import { buildTerraform, type TerraformModule } from './build.js';
import { moduleFiles, TERRAFORM_DATA_DIR } from './writer.js';

export interface ClusterTerraform {
  module: TerraformModule;
  /** Path relative to the output folder -> content. */
  files: Map<string, string>;
  planned: ClusterPlan;
  /** Planned tasks whose resources exist in the cloud already (a cluster once updated directly). */
  existing: { kind: string; name: string; id?: string }[];
  /** Secrets generated into the state store for this render (a cluster rendered for the first time). */
  secrets?: EnsureSecretsResult;
}

/** The cluster's region: its first subnet's, else the clients'. */
export function clusterRegionOf(input: ClusterInput): string {
  const zone = input.cluster.spec.subnets[0]?.zone ?? '';
  const region = regionOfZone(zone) ?? input.clients.region;
  if (!region) throw new Error(`the region of ${input.cluster.metadata.name} is unknown: its subnets name no zone`);
  return region;
}

/** Plans and renders; the spec and the render are checked before the state store is written. */
export async function clusterTerraform(input: ClusterInput): Promise<ClusterTerraform> {
  const region = clusterRegionOf(input);
  let planned = await planCluster(input);
  if (planned.ownership.manager !== 'kopsdeck') throw new NotOwnedError(planned.ownership, 'update');
  let module = buildTerraform(planned.plan, planned.context, region);
  let secrets: EnsureSecretsResult | undefined;
  if (planned.secrets && planned.secrets.plan.missing.length > 0) {
    secrets = await ensureSecrets(planned.secrets.store, planned.context.clusterName);
    // The CA exists only now: plan again so that the user-data carries its hash.
    planned = await planCluster(input);
    module = buildTerraform(planned.plan, planned.context, region);
  }
  // Resources the module makes that the cloud has already (an existing hosted zone is an input, not one of them).
  const rendered = new Set(module.resources.map((r) => r.taskKey));
  const existing = planned.plan.tasks.filter((p) => p.action !== 'create' && rendered.has(p.task.key)).map((p) => ({ kind: p.task.kind, name: p.task.name, id: p.id }));
  return { module, files: moduleFiles(module), planned, existing, secrets };
}

/**
 * Writes the files under `dir` (kubernetes.tf, data/...). Files of data/
 * this module no longer has (kops' `aws_...` names) are removed; anything
 * else in the folder (a backend.tf, a .terraform/) is left as it is.
 */
export function writeTerraformFiles(dir: string, files: Map<string, string>): { written: string[]; removed: string[] } {
  const dataDir = join(dir, TERRAFORM_DATA_DIR);
  checkOutputFolder(dir);
  mkdirSync(dataDir, { recursive: true });
  const written: string[] = [];
  for (const [path, content] of [...files].sort(([a], [b]) => (a < b ? -1 : 1))) {
    writeFileAtomic(join(dir, ...path.split('/')), content, 0o644);
    written.push(path);
  }
  const wanted = new Set([...files.keys()]);
  const removed: string[] = [];
  for (const name of readdirSync(dataDir)) {
    const path = `${TERRAFORM_DATA_DIR}/${name}`;
    if (name.startsWith('aws_') && !wanted.has(path)) {
      unlinkSync(join(dataDir, name));
      removed.push(path);
    }
  }
  return { written, removed };
}

/** Refuses a folder that cannot be one (a file is there): checked before anything is planned or written. */
export function checkOutputFolder(dir: string): void {
  if (existsAsFile(dir)) throw new Error(`${dir} is a file, not a folder: choose another --out`);
  if (existsAsFile(join(dir, TERRAFORM_DATA_DIR))) throw new Error(`${join(dir, TERRAFORM_DATA_DIR)} is a file, not a folder: choose another --out`);
}

function existsAsFile(path: string): boolean {
  try {
    return !statSync(path).isDirectory();
  } catch {
    return false;
  }
}
