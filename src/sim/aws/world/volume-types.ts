// EBS volumes as the simulated world keeps them: plain JSON, saved with the
// rest of the world. Times are simulated epoch ms.
import type { Tags } from './types.js';

export type VolumeState = 'creating' | 'available' | 'in-use';
export type AttachmentState = 'attaching' | 'attached' | 'detaching';

export interface VolumeAttachment {
  instanceId: string;
  device: string;
  state: AttachmentState;
  attachedAt: number;
  deleteOnTermination: boolean;
}

export interface Volume {
  id: string;
  region: string;
  zone: string;
  /** GiB. */
  size: number;
  volumeType: string;
  iops?: number;
  throughput?: number;
  encrypted: boolean;
  kmsKeyId?: string;
  state: VolumeState;
  createdAt: number;
  /** When the pending transition (creating, attaching, detaching) is due. */
  transitionAt?: number;
  attachment?: VolumeAttachment;
  tags: Tags;
  /** etcd has written its data here (a control-plane node initialised or joined with it). */
  holdsEtcdData?: boolean;
}
