// A pod's READY, STATUS and RESTARTS as `kubectl get pods` prints them: STATUS
// is the phase unless something says more (the pod's reason, a container that
// waits or stopped, a pod being deleted), so a user sees the same word here
// as in kubectl.
import type { KubePod } from './types.js';

/** The reason the node controller gives pods of an unreachable node. */
const NODE_UNREACHABLE = 'NodeLost';

export interface PodSummary {
  /** Containers ready, of those in the spec (kubectl's READY, e.g. 1/2). */
  ready: number;
  total: number;
  restarts: number;
  status: string;
}

export function summarizePod(pod: KubePod): PodSummary {
  const statuses = pod.status?.containerStatuses ?? [];
  const total = pod.spec?.containers?.length ?? statuses.length;
  let reason = pod.status?.reason || pod.status?.phase || 'Unknown';
  let ready = 0;
  let restarts = 0;
  let running = false;
  // The last container with something to say wins, as in kubectl (it reads them from the end).
  for (let i = statuses.length - 1; i >= 0; i--) {
    const status = statuses[i];
    restarts += status.restartCount ?? 0;
    const { waiting, terminated } = status.state ?? {};
    if (waiting?.reason) reason = waiting.reason;
    else if (terminated?.reason) reason = terminated.reason;
    else if (terminated) reason = terminated.signal ? `Signal:${terminated.signal}` : `ExitCode:${terminated.exitCode ?? 0}`;
    else if (status.ready) {
      running = true;
      ready += 1;
    }
  }
  // A container that completed while another still runs does not make the pod Completed.
  if (reason === 'Completed' && running) reason = podReadyCondition(pod) ? 'Running' : 'NotReady';
  if (pod.metadata.deletionTimestamp) reason = pod.status?.reason === NODE_UNREACHABLE ? 'Unknown' : 'Terminating';
  return { ready, total, restarts, status: reason };
}

function podReadyCondition(pod: KubePod): boolean {
  return pod.status?.conditions?.some((c) => c.type === 'Ready' && c.status === 'True') ?? false;
}
