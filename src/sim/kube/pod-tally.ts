// Running counts of pods per controller (active, ready, and where they run),
// kept up to date from every store change, so controllers and status updates
// cost O(workloads) rather than O(pods) on a 150,000-pod cluster.
import type { ApiStore } from './api-store.js';
import { controllerOf, isPodActive, isPodReady, type KubeObject } from './types.js';

interface OwnerTally {
  active: number;
  ready: number;
  /** Active pods per node name. */
  nodes: Map<string, number>;
}

const EMPTY: OwnerTally = { active: 0, ready: 0, nodes: new Map() };

export class PodTally {
  private readonly owners = new Map<string, OwnerTally>();

  constructor(store: ApiStore) {
    store.observe('pods', (before, after) => {
      if (before) this.apply(before, -1);
      if (after) this.apply(after, 1);
    });
  }

  of(ownerUid: string): Readonly<OwnerTally> {
    return this.owners.get(ownerUid) ?? EMPTY;
  }

  private apply(pod: KubeObject, sign: 1 | -1): void {
    const owner = controllerOf(pod)?.uid;
    if (!owner || !isPodActive(pod)) return;
    let tally = this.owners.get(owner);
    if (!tally) this.owners.set(owner, (tally = { active: 0, ready: 0, nodes: new Map() }));
    tally.active += sign;
    if (isPodReady(pod)) tally.ready += sign;
    const node = pod.spec?.nodeName as string | undefined;
    if (node) {
      const count = (tally.nodes.get(node) ?? 0) + sign;
      if (count === 0) tally.nodes.delete(node);
      else tally.nodes.set(node, count);
    }
    if (tally.active === 0 && tally.nodes.size === 0) this.owners.delete(owner);
  }
}
