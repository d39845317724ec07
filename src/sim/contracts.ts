// The seams inside the simulator. The AWS side (src/sim/aws) owns auto scaling
// groups and instances; the Kubernetes side (src/sim/kube) owns API servers,
// nodes and pods. They meet only here, wired together by src/sim/simulator.ts.

/**
 * The simulator's own node image, for its tests and benchmarks: its bootstrap
 * is baked in and reads the `export CLUSTER_NAME=...` lines of the user-data.
 * Real clusters boot Ubuntu, with nodeup or kopsdeck's cloud-config.
 */
export const PREBAKED_NODE_IMAGE_ID = 'ami-0fab0000000000001';

/** Simulated time: runs `speed` times faster than the wall clock; timers fire on it. */
export interface SimClock {
  readonly speed: number;
  /** Simulated epoch milliseconds. */
  now(): number;
  /** Runs `fn` once `delayMs` of simulated time has passed. Returns a cancel function. */
  after(delayMs: number, fn: () => void): () => void;
}

/** A deterministic random source (seeded), so a run can be repeated. */
export interface SimRandom {
  /** A float in [0, 1). */
  next(): number;
  /** `length` lowercase hex characters. */
  hex(length: number): string;
}

/** What the Kubernetes side needs to know about an EC2 instance. */
export interface SimInstanceInfo {
  instanceId: string;
  zone: string;
  instanceType: string;
  imageId: string;
  privateIp: string;
  privateDnsName: string;
  launchTemplateId?: string;
  launchTemplateVersion?: string;
  /** Decoded user-data text (see engine/bootstrap: lines `export NAME=value`). */
  userData: string;
  tags: Record<string, string>;
  launchTime: number;
}

/** Called by the AWS side as instances come and go; implemented by the Kubernetes side. */
export interface NodeLifecycle {
  /** The instance finished booting (state running): it may register a Node. */
  instanceRunning(instance: SimInstanceInfo): void;
  /** The instance was terminated: its Node goes NotReady and is then removed. */
  instanceTerminated(instanceId: string): void;
  /**
   * An auto scaling group tagged KubernetesCluster=<name> exists: the cluster's
   * API server is served (not ready until a control-plane node is) and it gets
   * a context in the simulator's kubeconfig.
   */
  clusterSeen(clusterName: string): void;
}

/**
 * What a booting machine reaches in the AWS world besides its own user-data,
 * implemented by the AWS side (src/sim/instance-environment.ts): nodeup reads
 * its configuration from the state store in S3 (ConfigBase), or asks
 * kops-controller, served by the cluster's running control plane, which reads
 * the same store.
 */
export interface InstanceEnvironment {
  /** An object at `s3://bucket/key`, or why it cannot be read (S3's error code and message). */
  readObject(url: string): { body: string } | { error: string };
  /** The ConfigBase a running control-plane instance of `cluster` was booted with (kops-controller serves it); undefined while none runs. */
  kopsControllerConfigBase(cluster: string): string | undefined;
  /** What the machine `instanceId` reaches as itself; undefined when no such instance exists. */
  machine(instanceId: string): MachineReach | undefined;
  /** Private addresses of the cluster's pending or running control-plane instances (DescribeInstances, as the upkeep asks). */
  liveControlPlaneIps(cluster: string): string[];
}

/**
 * One machine's reach into the AWS world, as itself: S3 through its instance
 * profile's role (IAM decides), its etcd volume, DNS, its serial console.
 * Errors read as the machine would see them (e.g. `AccessDenied (403): ...`).
 */
export interface MachineReach {
  readonly instanceId: string;
  /** Its instance profile's role, or why it has no credentials. */
  role(): { role: string } | { error: string };
  /** GET of `s3://bucket/key` (or a file:// object of a local store). */
  read(url: string): { body: string } | { error: string };
  /** HEAD: whether the object exists, or why the machine cannot tell. */
  exists(url: string): boolean | { error: string };
  /** A create-only PUT (If-None-Match: *): `exists` when another machine wrote it first. */
  create(url: string, body: string): 'created' | 'exists' | { error: string };
  /** A PUT over an existing object (the If-Match of what was just read). */
  overwrite(url: string, body: string): 'written' | { error: string };
  /** Whether an instance is pending or running (DescribeInstances). */
  instanceAlive(instanceId: string): boolean;
  /** The cluster's etcd volume (k8s.io/etcd/main) attached to it, and whether etcd's data is on it. */
  etcdVolume(): { id: string; hasData: boolean } | undefined;
  /**
   * The script's claim_etcd_volume: attaches an available etcd main volume of
   * its cluster in its zone, as its instance profile allows. Undefined when
   * none is free; an error when the attach is refused.
   */
  claimEtcdVolume(): { id: string; hasData: boolean } | { volumeId: string; error: string } | undefined;
  /** The instance's availability zone. */
  readonly zone: string;
  /** The region of the bucket an s3:// URL names; undefined for a file:// store or a bucket that does not exist. */
  bucketRegion(url: string): string | undefined;
  markEtcdData(volumeId: string): void;
  /** Whether a host name resolves: a load balancer's DNS name or a Route 53 record. */
  resolves(host: string): boolean;
  /** Appends a line to its serial console (GetConsoleOutput). */
  console(line: string): void;
}

/** How a machine of a kopsdeck cluster came up: the first control plane, a further one, a one-node control plane on its old data, a worker. */
export type BootstrapAction = 'init' | 'join-control-plane' | 'restore' | 'join';

export interface BootstrapRecord {
  cluster: string;
  instanceId: string;
  instanceGroup: string;
  action: BootstrapAction;
  /** Simulated epoch ms. */
  at: number;
}

/** A machine that booted but could not join, and why (as its boot log would say). */
export interface BootFailure {
  cluster: string;
  instanceId: string;
  instanceGroup: string;
  /** Simulated epoch ms. */
  at: number;
  reason: string;
}

/** A PodDisruptionBudget-protected workload fell below what its budget allows. */
export interface PdbViolation {
  cluster: string;
  namespace: string;
  pdb: string;
  /** Simulated epoch ms. */
  at: number;
  healthy: number;
  desiredHealthy: number;
}

/** Accounting served under /sim/stats. */
export interface SimStats {
  countAwsCall(service: string, action: string): void;
  recordPdbViolation(violation: PdbViolation): void;
  /** Optional: stands that do not report boot failures (benchmarks, the Kubernetes-only test stand) leave it out. */
  recordBootFailure?(failure: BootFailure): void;
  /** Optional, as recordBootFailure: a machine that bootstrapped, and how. */
  recordBootstrap?(record: BootstrapRecord): void;
}

/** Switchable faults, read by both sides; changed at start or through /sim/faults. */
export interface SimFaults {
  /** Share (0..1) of AWS calls answered with a throttling error. */
  throttleRate: number;
  /** Share (0..1) of AWS calls answered with a 5xx error. */
  serverErrorRate: number;
  /** The next N launches fail with InsufficientInstanceCapacity. */
  failLaunches: number;
  /** Instances whose Node never becomes Ready: ids, or the next N instances launched. */
  neverReadyInstances: string[];
  neverReadyNext: number;
  /** Until this simulated epoch millisecond, every Kubernetes API request gets 503. */
  apiBlackoutUntil: number;
}

export function noFaults(): SimFaults {
  return {
    throttleRate: 0,
    serverErrorRate: 0,
    failLaunches: 0,
    neverReadyInstances: [],
    neverReadyNext: 0,
    apiBlackoutUntil: 0,
  };
}

/** One part of the world that is saved to the simulator's directory and restored. */
export interface Persistent {
  snapshot(): unknown;
  restore(data: unknown): void;
}
