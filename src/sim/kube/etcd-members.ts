// etcd's members as kopsdeck's machines leave them, and as real etcd keeps
// them: `kubeadm init` starts a one-member etcd; a joining control plane adds
// itself; a one-node control plane coming back on its volume is the same
// member on a new machine, which publishes its new client address on start
// but keeps the peer address it was first given (only `etcdctl member
// update` changes that). The control plane's upkeep (bootstrap/
// kopsdeck-upkeep.sh) then corrects such a member's peer address and removes
// members no live machine has; etcd refuses to remove its last member.
import type { BootstrapAction } from '../contracts.js';

export interface EtcdMember {
  id: string;
  instanceId: string;
  peerUrl: string;
  /** Absent in worlds saved before it was kept. */
  clientUrl?: string;
}

const hostOf = (url: string): string => new URL(url).hostname;

export function membersAfterBoot(members: EtcdMember[], action: BootstrapAction, self: { instanceId: string; ip: string }, newId: () => string): EtcdMember[] {
  const fresh = (): EtcdMember => ({ id: newId(), instanceId: self.instanceId, peerUrl: `https://${self.ip}:2380`, clientUrl: `https://${self.ip}:2379` });
  if (action === 'init') return [fresh()];
  if (action === 'restore') {
    const [member] = members;
    return [member ? { ...member, instanceId: self.instanceId, clientUrl: `https://${self.ip}:2379` } : fresh()];
  }
  return [...members, fresh()];
}

/** One round of the upkeep, given the addresses of the live control-plane machines (none: nothing changes). */
export function upkeepMembers(members: EtcdMember[], live: ReadonlySet<string>): EtcdMember[] {
  if (live.size === 0) return members;
  const answersOnLiveMachine = (m: EtcdMember) => m.clientUrl !== undefined && live.has(hostOf(m.clientUrl));
  const corrected = members.map((m) => (live.has(hostOf(m.peerUrl)) || !answersOnLiveMachine(m) ? m : { ...m, peerUrl: m.peerUrl.replace(hostOf(m.peerUrl), hostOf(m.clientUrl!)) }));
  const kept = corrected.filter((m) => live.has(hostOf(m.peerUrl)) || answersOnLiveMachine(m));
  return kept.length > 0 ? kept : corrected.slice(-1);
}
