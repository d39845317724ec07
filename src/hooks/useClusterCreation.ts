// Runs the create-and-watch flow for the screen and keeps what it reports as
// state: the store write, each reconcile task, the instances and nodes coming
// up, the validation attempts, elapsed time, and the outcome (ready, or what
// failed, with retry). Leaving the screen stops the flow (what exists stays).
// Also the review's other way out, the cluster written as Terraform.
import { useCallback, useEffect, useReducer, useRef, useState } from 'react';
import { runCreateFlow, type CreateEvent, type CreateFlowSettings, type CreatePhase } from '../engine/create/index.js';
import type { TaskRef } from '../engine/reconcile/apply-plan.js';
import type { ValidationAttempt } from '../engine/health/wait-for-validation.js';
import type { ModelSnapshot } from '../engine/live-model/types.js';
import type { ClusterBundle } from '../engine/spec/types.js';
import { writeNewClusterTerraform, type NewClusterTerraformResult } from '../engine/terraform/new-cluster-terraform.js';
import { useServices } from './services.js';

export type TaskState = 'pending' | 'running' | 'retrying' | 'done' | 'failed' | 'skipped';

export interface TaskProgress {
  ref: TaskRef;
  state: TaskState;
  /** Result or problem: the cloud id, the error, how long it took. */
  detail?: string;
}

export interface CreationState {
  status: 'idle' | 'running' | 'failed' | 'ready' | 'cancelled';
  phase?: CreatePhase;
  stored?: { storeUrl: string; alreadyThere: boolean };
  tasks: TaskProgress[];
  unchanged: number;
  snapshot?: ModelSnapshot;
  attempt?: ValidationAttempt;
  failure?: { phase: CreatePhase; message: string; details: string[] };
  ready?: { kubeconfigPath: string; context: string };
  /** Attempts so far (1 on the first run, 2 after one retry...). */
  runs: number;
}

const initial: CreationState = { status: 'idle', tasks: [], unchanged: 0, runs: 0 };

type Action = { type: 'start' } | { type: 'event'; event: CreateEvent } | { type: 'cancelled' };

const seconds = (ms: number) => `${(ms / 1000).toFixed(1)}s`;

function setTask(tasks: TaskProgress[], key: string, change: Partial<TaskProgress>): TaskProgress[] {
  return tasks.map((t) => (t.ref.key === key ? { ...t, ...change } : t));
}

export function creationReducer(state: CreationState, action: Action): CreationState {
  if (action.type === 'start') return { ...initial, stored: state.stored, status: 'running', runs: state.runs + 1 };
  if (action.type === 'cancelled') return { ...state, status: 'cancelled' };
  const event = action.event;
  switch (event.type) {
    case 'phase':
      return { ...state, phase: event.phase };
    case 'stored':
      return { ...state, stored: { storeUrl: event.storeUrl, alreadyThere: event.alreadyThere } };
    case 'planned':
      return { ...state, tasks: event.tasks.map((ref) => ({ ref, state: 'pending' })), unchanged: event.unchanged };
    case 'task': {
      const e = event.event;
      const key = e.task.key;
      const known = state.tasks.some((t) => t.ref.key === key);
      const tasks = known ? state.tasks : [...state.tasks, { ref: e.task, state: 'pending' as TaskState }];
      switch (e.type) {
        case 'task-started':
          return { ...state, tasks: setTask(tasks, key, { state: 'running', detail: e.attempt > 1 ? `attempt ${e.attempt}` : undefined }) };
        case 'task-done':
          return { ...state, tasks: setTask(tasks, key, { state: 'done', detail: `${e.id ? `${e.id} ` : ''}in ${seconds(e.durationMs)}` }) };
        case 'task-retrying':
          return { ...state, tasks: setTask(tasks, key, { state: 'retrying', detail: `${e.error.message}; retrying` }) };
        case 'task-failed':
          return { ...state, tasks: setTask(tasks, key, { state: 'failed', detail: e.error.message }) };
        case 'task-skipped':
          return { ...state, tasks: setTask(tasks, key, { state: 'skipped', detail: e.reason }) };
      }
      return state;
    }
    case 'cluster':
      return { ...state, snapshot: event.snapshot };
    case 'validation':
      return { ...state, attempt: event.attempt };
    case 'ready':
      return { ...state, status: 'ready', ready: { kubeconfigPath: event.kubeconfigPath, context: event.context } };
    case 'failed':
      return { ...state, status: 'failed', failure: { phase: event.phase, message: event.message, details: event.details } };
  }
}

export interface ClusterCreation {
  state: CreationState;
  /** Wall ms since the first start, frozen when it ends. */
  elapsedMs: number;
  /** True when the cloud can be reached (start does nothing otherwise). */
  available: boolean;
  start(): void;
  /** Runs the flow again: safe, the store write is skipped and only missing resources are made. */
  retry(): void;
  /** Stops watching; what exists stays. */
  stop(): void;
}

/** Snapshot events come as fast as the cluster changes; the screen needs a few per second. */
const SNAPSHOT_EVERY_MS = 150;

/** `sshPublicKey`: the path of the key the wizard was given, imported as the cluster's key pair. */
export function useClusterCreation(bundle: ClusterBundle | undefined, settings?: CreateFlowSettings, sshPublicKey?: string): ClusterCreation {
  const { store, access } = useServices();
  const [state, dispatch] = useReducer(creationReducer, initial);
  const controller = useRef<AbortController | undefined>(undefined);
  const startedAt = useRef<number | undefined>(undefined);
  const endedAt = useRef<number | undefined>(undefined);
  const [, tick] = useState(0);
  const pendingSnapshot = useRef<CreateEvent | undefined>(undefined);
  const snapshotTimer = useRef<NodeJS.Timeout | undefined>(undefined);
  /** Set once this screen's flow has written the spec: a retry then resumes from the store. */
  const wroteSpec = useRef(false);

  const run = useCallback(
    (resume: boolean) => {
      if (!bundle || !access) return;
      controller.current?.abort();
      const abort = new AbortController();
      controller.current = abort;
      startedAt.current ??= Date.now();
      endedAt.current = undefined;
      dispatch({ type: 'start' });
      const onEvent = (event: CreateEvent) => {
        if (abort.signal.aborted) return;
        if (event.type === 'stored') wroteSpec.current = true;
        if (event.type === 'cluster') {
          pendingSnapshot.current = event;
          snapshotTimer.current ??= setTimeout(() => {
            snapshotTimer.current = undefined;
            if (pendingSnapshot.current && !abort.signal.aborted) dispatch({ type: 'event', event: pendingSnapshot.current });
            pendingSnapshot.current = undefined;
          }, SNAPSHOT_EVERY_MS);
          return;
        }
        // Anything else comes after the latest snapshot, in order.
        clearTimeout(snapshotTimer.current);
        snapshotTimer.current = undefined;
        if (pendingSnapshot.current) dispatch({ type: 'event', event: pendingSnapshot.current });
        pendingSnapshot.current = undefined;
        dispatch({ type: 'event', event });
      };
      void runCreateFlow({ bundle, store, access, onEvent, resume, sshPublicKey, signal: abort.signal, settings }).then((outcome) => {
        if (abort.signal.aborted) return;
        endedAt.current = Date.now();
        if (!outcome.ok && 'cancelled' in outcome) dispatch({ type: 'cancelled' });
        tick((n) => n + 1);
      });
    },
    [bundle, store, access, settings, sshPublicKey],
  );

  const start = useCallback(() => run(false), [run]);
  const retry = useCallback(() => run(wroteSpec.current), [run]);
  const stop = useCallback(() => {
    controller.current?.abort();
    endedAt.current ??= Date.now();
    dispatch({ type: 'cancelled' });
  }, []);

  // Elapsed time moves while the flow runs.
  useEffect(() => {
    if (state.status !== 'running') return;
    const timer = setInterval(() => tick((n) => n + 1), 1000);
    return () => clearInterval(timer);
  }, [state.status]);

  useEffect(
    () => () => {
      controller.current?.abort();
      clearTimeout(snapshotTimer.current);
    },
    [],
  );

  const elapsedMs = startedAt.current === undefined ? 0 : (endedAt.current ?? Date.now()) - startedAt.current;
  return { state, elapsedMs, available: Boolean(access), start, retry, stop };
}

export interface TerraformWrite {
  status: 'idle' | 'running' | 'failed' | 'done';
  error?: string;
  result?: NewClusterTerraformResult;
  /** Writes the spec and secrets to the store and the module to `outDir`; nothing in the cloud. */
  write(outDir: string): void;
}

/** The review's "write as Terraform" (engine/terraform/new-cluster-terraform.ts), as state for the screen. */
export function useTerraformWrite(bundle: ClusterBundle | undefined, sshPublicKey?: string): TerraformWrite {
  const { store, access } = useServices();
  const [state, setState] = useState<Omit<TerraformWrite, 'write'>>({ status: 'idle' });
  const mounted = useRef(true);
  useEffect(
    () => () => {
      mounted.current = false;
    },
    [],
  );
  const write = useCallback(
    (outDir: string) => {
      if (!bundle || !access) return;
      setState({ status: 'running' });
      writeNewClusterTerraform({ bundle, store, access, sshPublicKey, outDir }).then(
        (result) => mounted.current && setState({ status: 'done', result }),
        (error: unknown) => mounted.current && setState({ status: 'failed', error: error instanceof Error ? error.message : String(error) }),
      );
    },
    [bundle, store, access, sshPublicKey],
  );
  return { ...state, write };
}
