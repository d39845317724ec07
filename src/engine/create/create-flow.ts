// Create and watch: write the spec to the state store, plan and apply the
// cloud resources (what `update cluster --yes` does), then watch the cluster
// come up (instances launching, nodes joining and turning Ready) until it
// validates. Every step reports events; a failure says which step failed and
// why. Running it again is safe: the store write is skipped when the cluster
// is already there, and the reconcile only makes what is missing.
import { setMaxListeners } from 'node:events';
import type { ApplyEvent, TaskRef } from '../reconcile/apply-plan.js';
import { applyClusterPlan, planCluster } from '../reconcile/cluster.js';
import { ReconcileSpecError } from '../reconcile/model.js';
import { createAwsClients, type AwsClients } from '../cloud/aws/clients.js';
import { clusterRegion, type CloudAccess } from '../cloud/access.js';
import { storeUnreachableByMachines } from '../bootstrap/store-reach.js';
import type { ClusterBundle } from '../spec/types.js';
import type { ClusterStore } from '../store/cluster-store.js';
import { ConflictError } from '../store/object-store.js';
import type { ModelSnapshot } from '../live-model/types.js';
import type { ValidationAttempt } from '../health/wait-for-validation.js';
import { kubeconfigPaths } from '../kube/client.js';
import { watchClusterUntilValid } from './watch-cluster.js';
import { readSshPublicKeyFile, SshKeyError, type SshPublicKey } from '../ssh/public-key.js';
import { storeSshPublicKey } from '../ssh/key-store.js';
import { errorMessage } from '../error-message.js';

export type CreatePhase = 'store' | 'plan' | 'apply' | 'connect' | 'boot';

export type CreateEvent =
  | { type: 'phase'; phase: CreatePhase }
  | { type: 'stored'; storeUrl: string; alreadyThere: boolean }
  | { type: 'planned'; tasks: TaskRef[]; unchanged: number }
  | { type: 'task'; event: ApplyEvent }
  | { type: 'cluster'; snapshot: ModelSnapshot }
  | { type: 'validation'; attempt: ValidationAttempt }
  | { type: 'ready'; kubeconfigPath: string; context: string }
  | { type: 'failed'; phase: CreatePhase; message: string; details: string[] };

export interface CreateFlowSettings {
  /** SDK attempts per AWS call (default: the clients' own). */
  awsMaxAttempts?: number;
  /** Clock ms to wait for the cluster to validate after the apply; default 20 minutes. */
  waitMs?: number;
  /** Clock ms between validations; default 10 s. */
  validationIntervalMs?: number;
  /** Clock ms between cloud polls while watching; default 10 s. */
  cloudIntervalMs?: number;
}

export interface CreateFlowInput {
  bundle: ClusterBundle;
  store: ClusterStore;
  access: CloudAccess;
  onEvent(event: CreateEvent): void;
  /** True on a retry: the cluster in the store is this flow's own from an earlier attempt. */
  resume?: boolean;
  /** Path of the SSH public key to import as the cluster's key pair; checked before anything is written. */
  sshPublicKey?: string;
  signal?: AbortSignal;
  settings?: CreateFlowSettings;
}

export type CreateOutcome =
  | { ok: true; kubeconfigPath: string; context: string }
  | { ok: false; phase: CreatePhase; message: string; details: string[]; stored: boolean }
  | { ok: false; phase: CreatePhase; cancelled: true; stored: boolean };

class StepFailure extends Error {
  constructor(
    readonly phase: CreatePhase,
    message: string,
    readonly details: string[] = [],
  ) {
    super(message);
  }
}

const DEFAULT_WAIT_MS = 20 * 60_000;

export async function runCreateFlow(input: CreateFlowInput): Promise<CreateOutcome> {
  const { access, onEvent, signal } = input;
  // One signal reaches every concurrent AWS call and wait of the apply.
  if (signal) setMaxListeners(0, signal);
  const name = input.bundle.cluster.metadata.name;
  let phase: CreatePhase = 'store';
  let stored = Boolean(input.resume);
  const enter = (next: CreatePhase) => {
    phase = next;
    onEvent({ type: 'phase', phase: next });
  };
  let clients: AwsClients | undefined;
  try {
    enter('store');
    // Refused before anything is written: machines that cannot read their secrets would never join.
    const unreachable = storeUnreachableByMachines(input.store.url, access);
    if (unreachable) throw new StepFailure('store', `${unreachable}; nothing was created`);
    const sshKey = input.sshPublicKey ? readKeyOrFail(input.sshPublicKey) : undefined;
    const spec = await storeSpec(input);
    stored = true;
    // Where kops keeps it; the plan reads it from there.
    if (sshKey) await storeSshPublicKey(input.store.objects, name, sshKey);

    enter('plan');
    clients = createAwsClients({
      region: clusterRegion(spec.cluster, access),
      endpoint: access.awsEndpoint,
      credentials: access.awsCredentials,
      maxAttempts: input.settings?.awsMaxAttempts,
    });
    const planned = await planCluster({ ...spec, clients, store: input.store.objects, clock: access.clock, signal }).catch((error: unknown) => {
      if (error instanceof ReconcileSpecError) throw new StepFailure('plan', 'the spec cannot be built in the cloud', error.message.split('\n'));
      throw error;
    });
    const changed = planned.plan.tasks.filter((p) => p.action !== 'unchanged');
    onEvent({
      type: 'planned',
      tasks: changed.map((p) => ({ key: p.task.key, kind: p.task.kind, name: p.task.name, action: p.action === 'create' ? 'create' : 'modify' })),
      unchanged: planned.plan.unchanged.length,
    });

    enter('apply');
    const applied = await applyClusterPlan(planned, { onEvent: (event) => onEvent({ type: 'task', event }) });
    signal?.throwIfAborted();
    if (!applied.ok) {
      const details = applied.failed.map((f) => `${f.key}: ${f.error.message}`);
      if (applied.skipped.length) details.push(`${applied.skipped.length} dependent change(s) were not attempted`);
      throw new StepFailure('apply', `${applied.failed.length} of the cluster's cloud changes failed; what was made is kept`, details);
    }

    const kubeconfigPath = access.kubeconfigPath ?? kubeconfigPaths()[0];
    const watched = await watchClusterUntilValid({
      cluster: name,
      instanceGroups: spec.instanceGroups,
      clients,
      access,
      signal,
      waitMs: input.settings?.waitMs ?? DEFAULT_WAIT_MS,
      validationIntervalMs: input.settings?.validationIntervalMs,
      cloudIntervalMs: input.settings?.cloudIntervalMs,
      onPhase: enter,
      onSnapshot: (snapshot) => onEvent({ type: 'cluster', snapshot }),
      onAttempt: (attempt) => onEvent({ type: 'validation', attempt }),
    });
    if (!watched.ok) throw new StepFailure(phase, watched.reason, watched.details);
    onEvent({ type: 'ready', kubeconfigPath, context: name });
    return { ok: true, kubeconfigPath, context: name };
  } catch (error) {
    if (signal?.aborted) return { ok: false, phase, cancelled: true, stored };
    const failure = error instanceof StepFailure ? error : new StepFailure(phase, errorMessage(error));
    onEvent({ type: 'failed', phase: failure.phase, message: failure.message, details: failure.details });
    return { ok: false, phase: failure.phase, message: failure.message, details: failure.details, stored };
  } finally {
    clients?.destroy();
  }
}

/** Writes the spec (unless this flow wrote it before) and returns what the store holds. */
async function storeSpec(input: CreateFlowInput): Promise<ClusterBundle> {
  const { store, bundle, onEvent } = input;
  const name = bundle.cluster.metadata.name;
  let alreadyThere = false;
  try {
    await store.createCluster(bundle.cluster, bundle.instanceGroups);
  } catch (error) {
    if (!(error instanceof ConflictError)) throw error;
    if (!input.resume) {
      throw new StepFailure('store', `a cluster named ${name} is already in ${store.url}; nothing was changed`, [
        'Choose another name, or delete the other cluster first (kopsdeck delete cluster NAME --yes).',
      ]);
    }
    alreadyThere = true;
  }
  onEvent({ type: 'stored', storeUrl: store.url, alreadyThere });
  // Apply what the store holds, as `update cluster` does.
  const found = await store.getCluster(name);
  if (!found) throw new StepFailure('store', `the cluster ${name} was written to ${store.url} but cannot be read back`);
  const instanceGroups = (await store.listInstanceGroups(name)).map((entry) => entry.value);
  return { cluster: found.value, instanceGroups };
}

function readKeyOrFail(path: string): SshPublicKey {
  try {
    return readSshPublicKeyFile(path);
  } catch (error) {
    if (error instanceof SshKeyError) throw new StepFailure('store', `the SSH public key cannot be used: ${error.message}; nothing was written`);
    throw error;
  }
}
