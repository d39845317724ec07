// A child signal that aborts with its parent (the run's signal) or on its own
// abort(), and lets go of the parent when done. AbortSignal.any keeps a
// listener on the parent for as long as the parent lives in Node 20, so a long
// rollout that links a child per step piles up listeners (and
// MaxListenersExceededWarning); dispose() removes ours.
export interface LinkedSignal {
  signal: AbortSignal;
  abort(reason?: unknown): void;
  /** Stop following the parent; call once the child's work has ended. */
  dispose(): void;
}

export function linkedSignal(parent: AbortSignal): LinkedSignal {
  const controller = new AbortController();
  const follow = () => controller.abort(parent.reason);
  if (parent.aborted) follow();
  else parent.addEventListener('abort', follow, { once: true });
  return {
    signal: controller.signal,
    abort: (reason) => controller.abort(reason),
    dispose: () => parent.removeEventListener('abort', follow),
  };
}
