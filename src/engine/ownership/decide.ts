// From evidence to a decision, and the one sentence a refusal prints.
import type { ClusterOwnership, OwnershipEvidence } from './types.js';

export function decideOwnership(cluster: string, evidence: OwnershipEvidence[]): ClusterOwnership {
  return { cluster, manager: evidence.length > 0 ? 'kops' : 'kopsdeck', evidence };
}

export type RefusedCommand = 'update' | 'delete';

/**
 * Why kopsdeck will not change the cluster and what to run instead, as one
 * sentence: `Cluster "x" was made by kops (its state store holds
 * kops-version.txt, and 6 more signs), so kopsdeck changes nothing in it: run
 * `kops update cluster x --yes` instead.`
 */
export function refusalSentence(ownership: ClusterOwnership, command: RefusedCommand): string {
  const [first, ...rest] = ownership.evidence;
  const why = first ? ` (${first.phrase}${rest.length ? `, and ${rest.length} more ${rest.length === 1 ? 'sign' : 'signs'}` : ''})` : '';
  const verb = command === 'update' ? 'changes nothing in it' : 'deletes nothing of it';
  return `Cluster "${ownership.cluster}" was made by kops${why}, so kopsdeck ${verb}: run \`kops ${command} cluster ${ownership.cluster} --yes\` instead.`;
}

/** Thrown when something would change a cluster kopsdeck does not manage. */
export class NotOwnedError extends Error {
  constructor(
    readonly ownership: ClusterOwnership,
    command: RefusedCommand,
  ) {
    super(refusalSentence(ownership, command));
    this.name = 'NotOwnedError';
  }
}
