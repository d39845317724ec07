// EBS volumes over time, as on AWS: created `creating`, available after a
// moment; an attachment is `attaching`, then `attached`; a detachment is
// `detaching`, then the volume is available again. When an instance
// terminates, its volumes are detached (or deleted, for those marked
// DeleteOnTermination), so a replacement can attach them. On a kops
// control-plane machine, etcd-manager attaches its etcd volumes as it starts:
// one available volume per etcd cluster in the machine's zone, found by the
// cluster's tags. A kopsdeck machine's bootstrap attaches its own, later.
import type { AwsWorld } from './aws-world.js';
import type { Instance } from './types.js';
import type { Volume } from './volume-types.js';
import { userDataText } from './user-data-text.js';

export const VOLUME_CREATE_DELAY_MS = 3_000;
export const VOLUME_ATTACH_DELAY_MS = 2_000;
export const VOLUME_DETACH_DELAY_MS = 2_000;
/** The devices kops' etcd-manager attaches etcd volumes at, in order. */
const ETCD_DEVICES = ['/dev/xvdu', '/dev/xvdv', '/dev/xvdw', '/dev/xvdx'];
const ETCD_TAG_PREFIX = 'k8s.io/etcd/';
const CONTROL_PLANE_TAGS = ['k8s.io/role/control-plane', 'k8s.io/role/master'];

/** A machine whose user-data is kopsdeck's cloud-config (bootstrap/kopsdeck-bootstrap.sh attaches its etcd volume). */
function bootsWithKopsdeck(instance: Instance): boolean {
  const userData = userDataText(instance.userData);
  return userData.startsWith('#cloud-config') && userData.includes('/etc/kopsdeck/bootstrap.env');
}

export class VolumeLifecycle {
  constructor(private readonly world: AwsWorld) {}

  get table(): Record<string, Volume> {
    return this.world.state.volumes;
  }

  create(volume: Omit<Volume, 'state' | 'createdAt'>): Volume {
    const created: Volume = { ...volume, state: 'creating', createdAt: this.world.now() };
    this.table[created.id] = created;
    this.schedule(created, VOLUME_CREATE_DELAY_MS);
    this.world.changed();
    return created;
  }

  attach(volume: Volume, instanceId: string, device: string): void {
    volume.state = 'in-use';
    volume.attachment = { instanceId, device, state: 'attaching', attachedAt: this.world.now(), deleteOnTermination: false };
    this.schedule(volume, VOLUME_ATTACH_DELAY_MS);
    this.world.changed();
  }

  detach(volume: Volume): void {
    if (!volume.attachment) return;
    volume.attachment.state = 'detaching';
    this.schedule(volume, VOLUME_DETACH_DELAY_MS);
    this.world.changed();
  }

  delete(volume: Volume): void {
    delete this.table[volume.id];
    this.world.changed();
  }

  /**
   * etcd-manager starting on a control-plane instance (tagged for its cluster
   * and role, as its group's tags propagate): for each etcd cluster (main,
   * events), an available volume of that cluster in the instance's zone is
   * attached to it. A replacement thus gets the volumes of the machine it
   * replaces, and with them etcd's data.
   */
  attachEtcdVolumes(instance: Instance): Volume[] {
    const cluster = instance.tags.KubernetesCluster;
    if (!cluster || !CONTROL_PLANE_TAGS.some((tag) => instance.tags[tag])) return [];
    // kopsdeck's bootstrap attaches its volume itself, as its instance profile allows (MachineReach.claimEtcdVolume).
    if (bootsWithKopsdeck(instance)) return [];
    const claimedClusters = new Set<string>();
    const attached: Volume[] = [];
    const candidates = Object.values(this.table).sort((a, b) => a.id.localeCompare(b.id));
    for (const volume of candidates) {
      if (volume.zone !== instance.zone || volume.state !== 'available' || volume.tags.KubernetesCluster !== cluster) continue;
      const etcdTag = Object.keys(volume.tags).find((key) => key.startsWith(ETCD_TAG_PREFIX));
      if (!etcdTag || claimedClusters.has(etcdTag) || attached.length >= ETCD_DEVICES.length) continue;
      claimedClusters.add(etcdTag);
      this.attach(volume, instance.id, ETCD_DEVICES[attached.length]);
      attached.push(volume);
    }
    return attached;
  }

  /** Available etcd main volumes of the instance's cluster in its zone: what the bootstrap script's claim_etcd_volume finds. */
  freeEtcdMainVolumes(instance: Instance): Volume[] {
    const cluster = instance.tags.KubernetesCluster;
    return Object.values(this.table)
      .filter((v) => v.zone === instance.zone && v.state === 'available' && v.tags.KubernetesCluster === cluster && v.tags['k8s.io/etcd/main'] !== undefined)
      .sort((a, b) => a.id.localeCompare(b.id));
  }

  /** Attaches a volume at the instance's first free etcd device (AttachVolume). */
  attachAtFreeDevice(volume: Volume, instance: Instance): void {
    const taken = new Set(Object.values(this.table).filter((v) => v.attachment?.instanceId === instance.id).map((v) => v.attachment!.device));
    this.attach(volume, instance.id, ETCD_DEVICES.find((device) => !taken.has(device)) ?? ETCD_DEVICES[0]);
  }

  /** The instance is gone: its volumes are let go at once (DeleteOnTermination ones deleted). */
  instanceTerminated(instance: Instance): void {
    for (const volume of Object.values(this.table)) {
      if (volume.attachment?.instanceId !== instance.id) continue;
      if (volume.attachment.deleteOnTermination) {
        delete this.table[volume.id];
        continue;
      }
      this.release(volume);
    }
    this.world.changed();
  }

  /** After a restore: timers do not survive a restart, so re-arm them from the saved due times. */
  resumeTransitions(): void {
    for (const volume of Object.values(this.table)) {
      if (volume.transitionAt !== undefined) this.arm(volume.id, volume.transitionAt);
    }
  }

  private release(volume: Volume): void {
    volume.attachment = undefined;
    volume.state = 'available';
    volume.transitionAt = undefined;
  }

  private schedule(volume: Volume, delayMs: number): void {
    volume.transitionAt = this.world.now() + delayMs;
    this.arm(volume.id, volume.transitionAt);
  }

  private arm(id: string, at: number): void {
    this.world.clock.after(at - this.world.now(), () => this.advance(id, at));
  }

  /** A transition fires only if it is still the one due (a later call may have replaced it). */
  private advance(id: string, due: number): void {
    const volume = this.table[id];
    if (!volume || volume.transitionAt !== due) return;
    volume.transitionAt = undefined;
    if (volume.state === 'creating') volume.state = 'available';
    else if (volume.attachment?.state === 'attaching') volume.attachment.state = 'attached';
    else if (volume.attachment?.state === 'detaching') this.release(volume);
    this.world.changed();
  }
}
