// Validation against a live cluster: refresh the cloud view, ask /readyz, and
// judge the model. Used by `validate cluster` and by the rollout between nodes.
import type { Clock } from '../clock.js';
import type { KubeClient } from '../kube/client.js';
import { checkReadyz } from '../kube/readyz.js';
import type { LiveCluster } from '../live-model/live-cluster.js';
import { validateClusterHealth, type ValidateOptions, type ValidationResult } from './validate-cluster-health.js';

export interface LiveValidatorOptions extends ValidateOptions {
  live: LiveCluster;
  kube: KubeClient;
  clock: Clock;
  /** Clock ms to wait for the caches' first sync before judging anyway; default 30 s. */
  syncTimeoutMs?: number;
}

export function liveValidator(opts: LiveValidatorOptions): (signal?: AbortSignal) => Promise<ValidationResult> {
  return async (signal) => {
    // Until the caches are synced the model is incomplete; an unreachable API
    // must still produce a verdict (the readyz failure), so the wait is bounded.
    await Promise.race([opts.live.synced, opts.clock.sleep(opts.syncTimeoutMs ?? 30_000, signal).catch(() => undefined)]);
    await opts.live.refreshCloud().catch(() => undefined);
    const readyz = await checkReadyz(opts.kube, signal);
    const result = validateClusterHealth(opts.live.model.cluster, opts.live.model, readyz, opts);
    if (!opts.live.isSynced()) {
      result.failures.push({ kind: 'APIServer', name: 'watch', message: 'the node and pod caches have not synced with the Kubernetes API yet' });
      result.ok = false;
    }
    return result;
  };
}
