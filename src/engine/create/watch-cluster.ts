// Watching a new cluster come up: wait for its Kubernetes API to appear in the
// kubeconfig (context named after the cluster), then follow the live model
// (instances, nodes) and validate it, as kops validate does, until it passes
// or the wait runs out.
import type { AwsClients } from '../cloud/aws/clients.js';
import type { CloudAccess } from '../cloud/access.js';
import { liveValidator } from '../health/live-validator.js';
import { waitForValidation, type ValidationAttempt } from '../health/wait-for-validation.js';
import { createKubeClient, type KubeClient } from '../kube/client.js';
import { awsCloudInventory } from '../live-model/aws-inventory.js';
import { startLiveCluster } from '../live-model/live-cluster.js';
import type { ModelSnapshot } from '../live-model/types.js';
import type { InstanceGroup } from '../spec/types.js';
import { errorMessage } from '../error-message.js';
import { cloudGroupsOfSpec } from '../health/validate-cluster-health.js';

export interface WatchInput {
  cluster: string;
  instanceGroups: InstanceGroup[];
  clients: AwsClients;
  access: CloudAccess;
  /** Clock ms for the whole watch. */
  waitMs: number;
  validationIntervalMs?: number;
  cloudIntervalMs?: number;
  signal?: AbortSignal;
  onPhase(phase: 'connect' | 'boot'): void;
  onSnapshot(snapshot: ModelSnapshot): void;
  onAttempt(attempt: ValidationAttempt): void;
}

export type WatchResult = { ok: true } | { ok: false; reason: string; details: string[] };

const CONNECT_POLL_MS = 2_000;
const DEFAULT_INTERVAL_MS = 10_000;

export async function watchClusterUntilValid(input: WatchInput): Promise<WatchResult> {
  const { access, signal } = input;
  const clock = access.clock;
  const deadline = clock.now() + input.waitMs;

  input.onPhase('connect');
  const kube = await connect(input, deadline);
  if ('reason' in kube) return kube;

  input.onPhase('boot');
  const live = startLiveCluster({
    cluster: input.cluster,
    kube: kube.client,
    cloud: awsCloudInventory(input.clients),
    clock,
    cloudIntervalMs: input.cloudIntervalMs ?? DEFAULT_INTERVAL_MS,
    watchPods: true,
  });
  const unsubscribe = live.model.subscribe(input.onSnapshot);
  try {
    const validate = liveValidator({
      live,
      kube: kube.client,
      clock,
      specInstanceGroups: cloudGroupsOfSpec(input.instanceGroups),
    });
    const outcome = await waitForValidation({
      validate,
      clock,
      waitMs: Math.max(0, deadline - clock.now()),
      intervalMs: input.validationIntervalMs ?? DEFAULT_INTERVAL_MS,
      onAttempt: input.onAttempt,
      signal,
    });
    if (outcome.ok) return { ok: true };
    return { ok: false, reason: outcome.reason ?? 'the cluster did not validate', details: outcome.result.failures.map((f) => f.message) };
  } finally {
    // The model notifies on the next tick; the last word must not be lost when the watch ends.
    input.onSnapshot(live.model.snapshot());
    unsubscribe();
    await live.stop();
    kube.client.close();
  }
}

/** The cluster's context appears in the kubeconfig once its API exists; poll for it until the deadline. */
async function connect(input: WatchInput, deadline: number): Promise<{ client: KubeClient } | { ok: false; reason: string; details: string[] }> {
  const { access, signal } = input;
  let last = '';
  for (;;) {
    signal?.throwIfAborted();
    try {
      return { client: await createKubeClient({ cluster: input.cluster, kubeconfigPath: access.kubeconfigPath }) };
    } catch (error) {
      last = errorMessage(error);
    }
    if (access.clock.now() >= deadline) {
      return { ok: false, reason: `the Kubernetes API of ${input.cluster} could not be reached`, details: [last] };
    }
    await access.clock.sleep(CONNECT_POLL_MS, signal);
  }
}
