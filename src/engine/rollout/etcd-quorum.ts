// A control-plane node runs a member of the cluster's etcd (kubeadm's stacked
// etcd, and kops' etcd-manager alike), so the control-plane nodes stand for
// etcd's members: a Ready one for a healthy member, a NotReady one (its
// instance gone or failing) for a member that does not vote. Replacing a
// control-plane node takes its member away for a while; the rollout refuses
// when that would leave fewer healthy members than etcd's quorum, because the
// cluster's API would stop with it. A one-node control plane is the exception
// kops makes too: its etcd data is on an EBS volume the replacement attaches.
import type { RolloutNode } from './deps.js';

/** etcd's quorum: a majority of its members. */
export const quorumOf = (members: number): number => Math.floor(members / 2) + 1;

/** Why replacing these instances now would break etcd's quorum; undefined when it would not. */
export function etcdQuorumRefusal(nodes: Iterable<RolloutNode>, leaving: readonly string[]): string | undefined {
  const members = [...nodes].filter((n) => n.controlPlane);
  if (members.length <= 1) return undefined;
  const healthy = members.filter((n) => n.ready);
  const going = healthy.filter((n) => leaving.includes(n.instanceId));
  if (going.length === 0) return undefined;
  const left = healthy.length - going.length;
  const quorum = quorumOf(members.length);
  if (left >= quorum) return undefined;
  const down = members.filter((n) => !n.ready).map((n) => n.name);
  return (
    `not replacing control-plane node ${going.map((n) => n.name).join(', ')}: etcd would be left with ${left} healthy of ${members.length} members, ` +
    `below its quorum of ${quorum}, and the cluster's API would stop` +
    (down.length ? ` (${down.join(', ')} ${down.length === 1 ? 'is' : 'are'} not Ready: bring ${down.length === 1 ? 'it' : 'them'} back, or remove ${down.length === 1 ? 'its' : 'their'} etcd member, first)` : '')
  );
}
