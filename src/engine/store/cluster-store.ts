// The state store in kops' layout on top of any ObjectStore:
//   <cluster>/config                 the Cluster (YAML)
//   <cluster>/instancegroup/<name>   each InstanceGroup (YAML)
// Other engine parts keep their own objects under <cluster>/ (journals,
// locks) through `.objects`. Every write is conditional on the version read.
import { clusterNameProblem, instanceGroupNameProblem } from '../spec/names.js';
import { asCluster, asInstanceGroup, parseYamlDocuments, serialiseResource } from '../spec/parse.js';
import { formatSpecErrors, type SpecError, type SpecResult } from '../spec/spec-error.js';
import type { Cluster, InstanceGroup } from '../spec/types.js';
import { ConflictError, type ObjectStore, type ObjectVersion } from './object-store.js';

export interface Versioned<T> {
  value: T;
  version: ObjectVersion;
}

/** A stored document that no longer parses as the resource it should be. */
export class StoredSpecError extends Error {
  constructor(
    readonly key: string,
    readonly errors: SpecError[],
    storeUrl: string,
  ) {
    super(`${storeUrl}/${key} is not a valid spec: ${formatSpecErrors(errors).join('; ')}`);
    this.name = 'StoredSpecError';
  }
}

/** The cluster (or group) a call names is not in the store. */
export class NotFoundError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'NotFoundError';
  }
}

export const clusterConfigKey = (cluster: string): string => `${cluster}/config`;
export const instanceGroupPrefix = (cluster: string): string => `${cluster}/instancegroup/`;
/**
 * What kopsdeck keeps about a cluster beside kops' layout (a rollout's journal
 * and lock): outside the cluster's folder, which kops' delete refuses to clear
 * when it holds files kops does not know. `kopsdeck` has no dot, so it is
 * never a cluster's name.
 */
export const kopsdeckStatePrefix = (cluster: string): string => `kopsdeck/${cluster}/`;
export const instanceGroupKey = (cluster: string, ig: string): string => `${instanceGroupPrefix(cluster)}${ig}`;

export class ClusterStore {
  constructor(readonly objects: ObjectStore) {}

  get url(): string {
    return this.objects.url;
  }

  /** Names of the clusters that have a config, sorted. */
  async listClusters(): Promise<string[]> {
    const keys = await this.objects.list('');
    return keys
      .map((key) => /^([^/]+)\/config$/.exec(key)?.[1])
      .filter((name): name is string => name !== undefined)
      .sort();
  }

  async getCluster(name: string): Promise<Versioned<Cluster> | null> {
    const key = clusterConfigKey(checkClusterName(name));
    return this.read(key, asCluster);
  }

  /**
   * Writes a new cluster and its groups. The config goes first and only if no
   * cluster of that name exists; that claims the name, so the groups after it
   * are this writer's to write.
   */
  async createCluster(cluster: Cluster, instanceGroups: InstanceGroup[]): Promise<void> {
    const name = checkClusterName(cluster.metadata.name);
    instanceGroups.forEach((ig) => checkGroupName(ig.metadata.name));
    try {
      await this.objects.put(clusterConfigKey(name), serialiseResource(cluster), { ifVersion: null });
    } catch (error) {
      if (error instanceof ConflictError) {
        throw new ConflictError(error.key, `cluster ${name} already exists in ${this.url}; pick another name or delete it first`);
      }
      throw error;
    }
    for (const ig of instanceGroups) {
      await this.objects.put(instanceGroupKey(name, ig.metadata.name), serialiseResource(ig));
    }
  }

  async updateCluster(cluster: Cluster, version: ObjectVersion): Promise<ObjectVersion> {
    const name = checkClusterName(cluster.metadata.name);
    try {
      return await this.objects.put(clusterConfigKey(name), serialiseResource(cluster), { ifVersion: version });
    } catch (error) {
      if (error instanceof ConflictError) {
        throw new ConflictError(
          error.key,
          `cluster ${name} was changed by someone else since you read it; your edit was not saved. Open it again and reapply your change`,
        );
      }
      throw error;
    }
  }

  /** The cluster's groups, sorted by name. */
  async listInstanceGroups(cluster: string): Promise<Versioned<InstanceGroup>[]> {
    const keys = await this.objects.list(instanceGroupPrefix(checkClusterName(cluster)));
    const groups = await Promise.all(keys.map((key) => this.read(key, asInstanceGroup)));
    return groups
      .filter((g): g is Versioned<InstanceGroup> => g !== null)
      .sort((a, b) => a.value.metadata.name.localeCompare(b.value.metadata.name));
  }

  async getInstanceGroup(cluster: string, ig: string): Promise<Versioned<InstanceGroup> | null> {
    return this.read(instanceGroupKey(checkClusterName(cluster), checkGroupName(ig)), asInstanceGroup);
  }

  /** ifVersion null creates (refused if it exists); a version updates (refused if changed since). */
  async putInstanceGroup(cluster: string, ig: InstanceGroup, ifVersion: ObjectVersion | null): Promise<ObjectVersion> {
    const name = checkClusterName(cluster);
    const igName = checkGroupName(ig.metadata.name);
    if ((await this.objects.get(clusterConfigKey(name))) === null) {
      throw new NotFoundError(`cluster ${name} does not exist in ${this.url}`);
    }
    try {
      return await this.objects.put(instanceGroupKey(name, igName), serialiseResource(ig), { ifVersion });
    } catch (error) {
      if (!(error instanceof ConflictError)) throw error;
      const message =
        ifVersion === null
          ? `instance group ${igName} already exists in cluster ${name}; edit it instead, or pick another name`
          : `instance group ${igName} of cluster ${name} was changed by someone else since you read it; your edit was not saved. Open it again and reapply your change`;
      throw new ConflictError(error.key, message);
    }
  }

  async deleteInstanceGroup(cluster: string, ig: string, ifVersion?: ObjectVersion): Promise<void> {
    const key = instanceGroupKey(checkClusterName(cluster), checkGroupName(ig));
    await this.objects.delete(key, ifVersion === undefined ? {} : { ifVersion });
  }

  /** Removes everything under <cluster>/ and kopsdeck/<cluster>/, the config last so a half-done delete still lists the cluster. */
  async deleteCluster(name: string): Promise<void> {
    checkClusterName(name);
    const config = clusterConfigKey(name);
    const keys = [...(await this.objects.list(kopsdeckStatePrefix(name))), ...(await this.objects.list(`${name}/`))];
    for (const key of keys.filter((k) => k !== config)) await this.objects.delete(key);
    await this.objects.delete(config);
  }

  private async read<T>(key: string, check: (value: unknown) => SpecResult<T>): Promise<Versioned<T> | null> {
    const stored = await this.objects.get(key);
    if (!stored) return null;
    const docs = parseYamlDocuments(stored.body);
    const result = docs.ok
      ? docs.value.length === 1
        ? check(docs.value[0])
        : { ok: false as const, errors: [{ path: '', message: `expected one document, found ${docs.value.length}` }] }
      : docs;
    if (!result.ok) throw new StoredSpecError(key, result.errors, this.url);
    return { value: result.value, version: stored.version };
  }
}

function checkClusterName(name: string): string {
  const problem = typeof name === 'string' ? clusterNameProblem(name) : 'the cluster name is missing';
  if (problem) throw new Error(problem);
  return name;
}

function checkGroupName(name: string): string {
  const problem = typeof name === 'string' ? instanceGroupNameProblem(name) : 'the instance group name is missing';
  if (problem) throw new Error(problem);
  return name;
}
