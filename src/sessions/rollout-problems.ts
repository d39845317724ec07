// What the rolling-update screen shows when it cannot plan or start: a title,
// the underlying message and what the user can do next (the lock's holder,
// and whether it may be broken).
import { KubeConfigError } from '../engine/kube/client.js';
import type { LockBody } from '../engine/rollout/index.js';
import { errorMessage } from '../engine/error-message.js';

export class NoCloudError extends Error {
  constructor() {
    super('This console was started without cloud access (endpoints, credentials, kubeconfig).');
    this.name = 'NoCloudError';
  }
}


export interface RolloutProblem {
  title: string;
  message: string;
  hint: string;
  /** A lock left by a run that stopped answering: it can be broken (with confirmation). */
  staleLock?: LockBody;
}

export function planProblem(cluster: string, error: unknown): RolloutProblem {
  if (error instanceof NoCloudError) {
    return { title: `No cloud to roll ${cluster} in`, message: error.message, hint: 'Start kopsdeck with --cloud sim (the simulator) or --cloud aws.' };
  }
  if (error instanceof KubeConfigError) {
    return {
      title: `No kubeconfig context for ${cluster}`,
      message: error.message,
      hint: `A rolling update drains nodes through the Kubernetes API: run \`kopsdeck update cluster ${cluster} --yes\` (or export the kubeconfig), then press r.`,
    };
  }
  return { title: `Could not plan the rolling update of ${cluster}`, message: errorMessage(error), hint: 'Press r to try again, or Esc to go back.' };
}

export function lockProblem(cluster: string, lock: LockBody, stale: boolean): RolloutProblem {
  const age = Math.round((Date.now() - lock.heartbeatAt) / 1000);
  const who = `${lock.holder} (pid ${lock.pid} on ${lock.host})`;
  if (lock.damaged) {
    return {
      title: `The rollout lock of ${cluster} is damaged`,
      message: `The lock object in the state store is ${lock.damaged}: a write was cut short, or it was edited.`,
      hint: 'Press b to take the lock over and resume from the journal (only if no rolling update of this cluster is running), or Esc to go back.',
      staleLock: lock,
    };
  }
  if (stale) {
    return {
      title: `A rolling update of ${cluster} stopped answering`,
      message: `Its lock is held by ${who}, whose last heartbeat was ${age}s ago: that run crashed or was closed.`,
      hint: 'Press b to break its lock and resume from its journal (only if that run is really gone), or Esc to go back.',
      staleLock: lock,
    };
  }
  return {
    title: `A rolling update of ${cluster} is already running`,
    message: `${who} holds the rollout lock (last heartbeat ${age}s ago). Only one rollout runs per cluster.`,
    hint: 'Wait for it to finish, then press r to plan again.',
  };
}


