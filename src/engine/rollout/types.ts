// The rolling update's vocabulary: the steps an instance goes through, the
// settings of a group, the plan, what the confirm callback is asked, and the
// events the state machine emits (for the console screen and for -o json).
import type { PdbRef } from '../kube/node-pods.js';
import type { WorkloadReplicas } from '../kube/workload-replicas.js';
import type { DrainProgress, BlockedPod } from '../kube/node-ops.js';
import type { ValidationFailure } from '../health/validate-cluster-health.js';

/**
 * Per instance, in order. `detach` only when the instance surges; bastions skip cordon..post-drain.
 * `deregister`: the node is labelled excluded from load balancers and the instance taken out of them (connection draining waited for), as kops does before a drain.
 */
export const INSTANCE_STEPS = ['confirm', 'detach', 'cordon', 'deregister', 'drain', 'post-drain', 'terminate', 'join', 'validate'] as const;
export type InstanceStep = (typeof INSTANCE_STEPS)[number];

/** Journal-only outcomes besides a finished step. */
export type JournalMark = InstanceStep | 'skip' | 'uncordon';

export type GroupKind = 'Bastion' | 'ControlPlane' | 'APIServer' | 'Node';

export interface RollingSettings {
  /** Resolved to an instance count. */
  maxSurge: number;
  maxUnavailable: number;
  drainAndTerminate: boolean;
}

export interface PlannedInstance {
  id: string;
  group: string;
  nodeName?: string;
  /** Why it is replaced, e.g. "launch template version 3 -> 4; kubernetesVersion 1.31.9 -> 1.32.5". */
  reason: string;
  detached: boolean;
  /** Its node is Ready now (instances already broken go first). */
  ready: boolean;
}

export interface PlannedGroup {
  name: string;
  /** The cloud group, `<ig>.<cluster>`. */
  groupName: string;
  kind: GroupKind;
  /** As kops prints it: NeedsUpdate or Ready. */
  status: 'NeedsUpdate' | 'Ready';
  needUpdate: number;
  ready: number;
  min: number;
  target: number;
  max: number;
  nodes: number;
  settings: RollingSettings;
  /** The instances to replace, in the order they will go. */
  instances: PlannedInstance[];
  /** Instance ids per wave (a wave is replaced together). */
  waves: string[][];
  /**
   * Warm pool instances to terminate before the waves (out of date, or all
   * with --force), as kops deletes them: they are not nodes, so nothing is
   * drained, and the pool refills from the group's current template.
   */
  warm: string[];
  /**
   * No instance of the group runs the current spec yet: one instance goes
   * alone first and the cluster must validate before the rest (kops' noneReady),
   * in case the new spec does not make usable nodes.
   */
  canary: boolean;
}

export interface RolloutPlan {
  cluster: string;
  groups: PlannedGroup[];
  /** Group names in the order they will be rolled (only groups with work). */
  order: string[];
  totalInstances: number;
  /** Clock ms the whole rollout should take, from the step estimates. */
  estimatedMs: number;
  force: boolean;
  /**
   * Auto scaling groups tagged with the cluster that no instance group of the
   * spec names: never rolled, as kops skips them ("Found ASG with no
   * corresponding instance group"). Absent in plans of older versions.
   */
  unmatched?: string[];
  /** Instance groups Karpenter manages: their nodes are not rolled by kopsdeck (yet), and the plan says so. */
  karpenter?: string[];
}

export interface ConfirmPod {
  namespace: string;
  name: string;
  ownerKind: string;
  ownerName: string;
  /** evict, or left alone (DaemonSet, mirror, already finished). */
  disposition: string;
  emptyDir: boolean;
  pdb?: PdbRef;
  /** Its owner's replicas in all (and the Deployment behind a ReplicaSet), when known. */
  owner?: WorkloadReplicas;
}

export interface ConfirmRequest {
  cluster: string;
  instanceId: string;
  nodeName?: string;
  group: string;
  kind: GroupKind;
  reason: string;
  /** 1-based position among the instances of the whole rollout. */
  position: number;
  total: number;
  /** Pods the drain will evict (with the budget covering each, as allowed now). */
  evict: ConfirmPod[];
  /** DaemonSet and mirror pods the drain leaves alone. */
  leftAlone: ConfirmPod[];
  /** Set when an earlier run confirmed this instance and stopped before replacing it: what it had done, in a sentence. */
  earlierRun?: string;
  /**
   * Set when nothing is drained before the instance is replaced, and why: a
   * bastion registers no node (kops replaces it without a drain), and
   * --cloudonly leaves Kubernetes alone. Absent: its node is drained first.
   */
  noDrain?: 'bastion' | 'cloudonly';
}

export type ConfirmAnswer = 'yes' | 'skip' | 'abort';
export type ConfirmFn = (request: ConfirmRequest) => Promise<ConfirmAnswer>;

/** What to do, on abort, with a node that is cordoned but not drained. */
export type AbortCordoned = 'uncordon' | 'leave-cordoned';

export interface RolloutTimings {
  /** Clock ms; kops defaults. */
  drainTimeoutMs: number;
  postDrainDelayMs: number;
  validationTimeoutMs: number;
  validateCount: number;
  validateIntervalMs: number;
  nodeIntervalMs: number;
  controlPlaneIntervalMs: number;
  bastionIntervalMs: number;
  /** Clock ms between looks while waiting for a replacement to join. */
  joinPollMs: number;
}

export const DEFAULT_TIMINGS: RolloutTimings = {
  drainTimeoutMs: 15 * 60_000,
  postDrainDelayMs: 5_000,
  validationTimeoutMs: 15 * 60_000,
  validateCount: 2,
  validateIntervalMs: 10_000,
  nodeIntervalMs: 15_000,
  controlPlaneIntervalMs: 15_000,
  bastionIntervalMs: 15_000,
  joinPollMs: 5_000,
};

export type RolloutStatus = 'running' | 'paused' | 'finished' | 'failed' | 'aborted';

/** What happened, as an engine part says it; startRollout stamps each with its time (RolloutEvent). */
export type RolloutEventBody =
  /** The lock of a run that is gone (its process died on this host) was taken over. */
  | { type: 'lock-taken-over'; holder: string; pid: number; host: string; runId: string; reason: string }
  /** finishedEarlier: instances a resumed rollout's earlier runs replaced (no longer in the plan; counted in "N of M"). */
  | { type: 'plan'; plan: RolloutPlan; resumed: boolean; finishedEarlier?: number }
  | { type: 'group-started'; group: string; kind: GroupKind; settings: RollingSettings; instances: number }
  | { type: 'group-finished'; group: string; durationMs: number }
  | { type: 'wave-started'; group: string; wave: number; waves: number; instances: string[] }
  | { type: 'step-started'; instanceId: string; group: string; nodeName?: string; step: InstanceStep; resumed?: boolean }
  | { type: 'step-finished'; instanceId: string; group: string; nodeName?: string; step: InstanceStep; durationMs: number }
  | { type: 'confirm'; request: ConfirmRequest }
  | { type: 'confirmed'; instanceId: string; answer: ConfirmAnswer }
  | { type: 'skipped'; instanceId: string; group: string; reason: string }
  /**
   * The user asked to skip an instance whose drain is in progress: the drain is cancelled, the node uncordoned
   * (left cordoned when it was cordoned before the rollout: keepsCordon).
   */
  | { type: 'skip-requested'; instanceId: string; nodeName: string; keepsCordon?: boolean }
  /** Its node was cordoned before the rollout's cordon step, by someone else: the rollout will never uncordon it. */
  | { type: 'cordoned-before'; instanceId: string; group: string; nodeName: string }
  /**
   * What the deregister step does for a wave's instances: draining from these load balancers (for at most timeoutMs),
   * in none, or kept in them (`reason`, e.g. the only control-plane node, as kops).
   */
  | { type: 'load-balancers'; group: string; instanceIds: string[]; action: 'draining' | 'none' | 'kept'; names: string[]; timeoutMs?: number; reason?: string }
  | { type: 'drain-progress'; instanceId: string; nodeName: string; progress: DrainProgress }
  | { type: 'drain-blocked'; instanceId: string; nodeName: string; blocked: BlockedPod[]; message: string }
  | { type: 'waiting-for-replacement'; group: string; want: number; ready: number; joining: number }
  | { type: 'validation-attempt'; group: string; attempt: number; ok: boolean; consecutivePasses: number; required: number; failures: ValidationFailure[] }
  | { type: 'interval'; group: string; ms: number }
  /** Something the run went on past, as the user asked (--fail-on-validate-error=false, --fail-on-drain-error=false, --validate-count 0). */
  | { type: 'warning'; group: string; message: string }
  /** Warm pool instances of the group terminated before its waves (out of date, or all with --force; not nodes, so not drained). */
  | { type: 'warm-pool-terminated'; group: string; instanceIds: string[] }
  /** Nodes of the group tainted kops.k8s.io/scheduled-for-update:PreferNoSchedule before its first wave. */
  | { type: 'tainted'; group: string; nodes: string[] }
  /** After a control-plane replacement is running: api.<cluster> now lists these addresses. */
  | { type: 'api-record'; group: string; record: string; previous: string[]; values: string[]; changed: boolean }
  /** remainingMs: clock ms of work left (waits for a person not counted); nextWaveMs: the part of it the next wave should take. */
  | { type: 'eta'; remainingMs: number; nextWaveMs: number; doneInstances: number; totalInstances: number }
  /** at: a step boundary (pause), or before the next instance (a pause scheduled after the current one). */
  | { type: 'paused'; at?: 'step' | 'instance' }
  /** A pause after the instance(s) in progress was scheduled (or cancelled): it holds before the next one starts. */
  | { type: 'pause-after-current'; scheduled: boolean }
  | { type: 'resumed' }
  | { type: 'aborting'; reason: string }
  | { type: 'uncordoned'; instanceId: string; nodeName: string; reason?: string }
  /** As `uncordoned` (given back, not replaced), but the node stays cordoned: it was cordoned before the rollout. */
  | { type: 'left-cordoned'; instanceId: string; nodeName: string; reason?: string }
  | { type: 'finished'; status: RolloutResult['status']; reason?: string; durationMs: number; replaced: number; skipped: number };

/** An event as a run sends it to listeners: with the rollout clock's ms when it happened, so folding it needs no clock. */
export type RolloutEvent = RolloutEventBody & { time: number };

export interface RolloutResult {
  /** interrupted: stopped by the caller's signal (as a crash would), the journal left as it was. */
  status: Exclude<RolloutStatus, 'running' | 'paused'> | 'interrupted';
  reason?: string;
  replaced: string[];
  skipped: string[];
  durationMs: number;
  /** Set when the run did not start because another run holds the cluster's lock. */
  locked?: { holder: string; pid: number; host: string; stale: boolean };
}
