// A pod's containers as the logs view offers them: the spec's containers then
// its init containers (both have logs), each with its image, readiness,
// restarts and state, from a pod read fresh from the API.
import type { ContainerState } from './types.js';

interface WireContainer {
  name: string;
  image?: string;
}

interface WireStatus {
  name: string;
  ready?: boolean;
  restartCount?: number;
  state?: ContainerState;
}

/** The parts of a full pod (as GET returns it) this module reads. */
export interface PodWithContainers {
  metadata: { name: string; namespace?: string };
  spec?: { containers?: WireContainer[]; initContainers?: WireContainer[] };
  status?: { containerStatuses?: WireStatus[]; initContainerStatuses?: WireStatus[] };
}

export interface ContainerInfo {
  name: string;
  image: string;
  init: boolean;
  ready: boolean;
  restarts: number;
  /** running, waiting (reason), terminated (reason), or unknown before the kubelet reports it. */
  state: string;
}

function stateText(state: ContainerState | undefined): string {
  if (state?.running) return 'running';
  if (state?.waiting) return `waiting (${state.waiting.reason ?? 'no reason given'})`;
  if (state?.terminated) return `terminated (${state.terminated.reason ?? `exit code ${state.terminated.exitCode ?? '?'}`})`;
  return 'not reported yet';
}

export function containersOf(pod: PodWithContainers): ContainerInfo[] {
  const describe = (containers: WireContainer[] | undefined, statuses: WireStatus[] | undefined, init: boolean) =>
    (containers ?? []).map((container) => {
      const status = statuses?.find((s) => s.name === container.name);
      return {
        name: container.name,
        image: container.image ?? '',
        init,
        ready: status?.ready ?? false,
        restarts: status?.restartCount ?? 0,
        state: stateText(status?.state),
      };
    });
  return [...describe(pod.spec?.containers, pod.status?.containerStatuses, false), ...describe(pod.spec?.initContainers, pod.status?.initContainerStatuses, true)];
}
