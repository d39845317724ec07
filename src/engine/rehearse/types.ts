// The rehearsal's data: what is read from the source cluster (only what
// scheduling and draining need: no secrets, no container commands, env or
// volumes beyond emptyDir markers), and the report a rehearsal produces.

export interface ShapeGroup {
  name: string;
  /** The cloud group's name (kops names control-plane groups `<ig>.masters.<cluster>`). */
  groupName: string;
  role: string;
  minSize: number;
  maxSize: number;
  desiredCapacity: number;
  /** Node names of the group's members, sorted. */
  nodes: string[];
}

/** A workload as scheduling sees it: the pod template stripped to scheduling fields. */
export interface ShapeWorkload {
  kind: 'Deployment' | 'DaemonSet';
  /** The source's kind when it is modelled as another (a StatefulSet or bare ReplicaSet as a Deployment). */
  sourceKind: string;
  namespace: string;
  name: string;
  replicas: number;
  labels: Record<string, string>;
  template: SchedulingTemplate;
  /** Source node name -> how many of its pods run there. */
  placement: Record<string, number>;
}

export interface SchedulingTemplate {
  priorityClassName?: string;
  priority?: number;
  terminationGracePeriodSeconds?: number;
  tolerations?: unknown[];
  nodeSelector?: Record<string, string>;
  /** The required (hard) parts of the template's affinity only: preferences do not decide where a pod can go. */
  affinity?: RequiredAffinity;
  /** Container names and resource requests only; the image is replaced by a pause image. */
  containers: { name: string; requests?: Record<string, string> }[];
  /** Names of emptyDir volumes (the drain treats their pods differently); other volumes are not copied. */
  emptyDirs: string[];
}

export interface NodeSelectorRequirement {
  key: string;
  operator: string;
  values?: string[];
}

export interface NodeSelectorTerm {
  matchExpressions?: NodeSelectorRequirement[];
  matchFields?: NodeSelectorRequirement[];
}

export interface PodAffinityTerm {
  labelSelector?: unknown;
  namespaces?: string[];
  topologyKey: string;
}

export interface RequiredAffinity {
  nodeAffinity?: { requiredDuringSchedulingIgnoredDuringExecution: { nodeSelectorTerms: NodeSelectorTerm[] } };
  podAffinity?: { requiredDuringSchedulingIgnoredDuringExecution: PodAffinityTerm[] };
  podAntiAffinity?: { requiredDuringSchedulingIgnoredDuringExecution: PodAffinityTerm[] };
}

export interface ShapePdb {
  namespace: string;
  name: string;
  selector: unknown;
  minAvailable?: number | string;
  maxUnavailable?: number | string;
}

export interface JoinTimes {
  /** Median ms from an instance's launch to its node's registration, from the cluster's own nodes; absent when not measured. */
  launchToRegisterMs?: number;
  /** Median ms from a node's registration to its Ready condition turning True. */
  registerToReadyMs?: number;
  /** How many nodes the figures come from. */
  samples: number;
}

export interface ClusterShape {
  cluster: string;
  groups: ShapeGroup[];
  /** Node name -> taints (copied to the node that stands for it). */
  taints: Record<string, unknown[]>;
  /** Node name -> its labels but its hostname (copied to the node that stands for it where that node lacks them). */
  nodeLabels: Record<string, Record<string, string>>;
  workloads: ShapeWorkload[];
  pdbs: ShapePdb[];
  /** Pods with no controller (they are not recreated when evicted); counted, not copied. */
  barePods: number;
  joinTimes: JoinTimes;
}

export interface GroupPrediction {
  group: string;
  instances: number;
  durationMs: number;
}

export interface WaveEntry {
  group: string;
  wave: number;
  waves: number;
  instances: number;
  /** Ms after the start of the rollout. */
  startMs: number;
  endMs?: number;
}

export interface BlockedDrain {
  /** The node in the source cluster that the blocked node stands for (when known). */
  node: string;
  pdbs: string[];
  pods: string[];
  blockedMs: number;
}

export interface StrandedPod {
  workload: string;
  message: string;
  /** Ms the workload had a pod that could not be scheduled. */
  forMs: number;
}

export interface WorkloadAvailability {
  workload: string;
  replicas: number;
  peakUnavailable: number;
}

export interface RehearsalReport {
  cluster: string;
  status: 'finished' | 'failed' | 'aborted' | 'interrupted';
  reason?: string;
  /** Simulated ms per wall-clock ms the rehearsal ran at. */
  speed: number;
  wallMs: number;
  totalMs: number;
  groups: GroupPrediction[];
  waves: WaveEntry[];
  blockedDrains: BlockedDrain[];
  stranded: StrandedPod[];
  availability: WorkloadAvailability[];
  joinTimes: JoinTimes;
  /** Simulated launch-to-Ready ms the rehearsal's machines took (the simulator's boot model). */
  simulatedJoinMs?: number;
  /** Things the rehearsal approximated, each a sentence. */
  notes: string[];
}
