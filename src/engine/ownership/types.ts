// Who manages a cluster, and why we think so. kopsdeck changes only what it
// made; a cluster built by kops is watched, validated and rolled, never
// rewritten or deleted (kops' own tools own it).

export type ClusterManager = 'kopsdeck' | 'kops';

export type EvidenceKind = 'state-store' | 'launch-template' | 'group-name' | 'instance-profile' | 'load-balancer' | 'target-group';

/** One fact that shows kops made the cluster, as a phrase a person can read. */
export interface OwnershipEvidence {
  kind: EvidenceKind;
  /** The resource (or store object) the fact is about. */
  resource: string;
  /** e.g. `launch template nodes.demo.example.com boots with nodeup, kops' bootstrap` */
  phrase: string;
}

export interface ClusterOwnership {
  cluster: string;
  /** kops as soon as there is one piece of evidence; kopsdeck otherwise. */
  manager: ClusterManager;
  evidence: OwnershipEvidence[];
}

/** A resource a plan would have touched and leaves as it is, because kopsdeck does not own it. */
export interface LeftAlone {
  kind: string;
  name: string;
  reason: string;
}
