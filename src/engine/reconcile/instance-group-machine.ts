// What an instance group's launch template gives each machine beyond image and
// type, with kops' defaults (kops pkg/model/awsmodel/autoscalinggroup.go,
// pkg/model/defaults/volumes.go): an encrypted gp3 root volume of 64 GiB on
// the control plane, 128 on nodes, 32 on bastions, at 3000 IOPS and 125 MiB/s;
// IMDSv2 required with a hop limit of 3 on the control plane (its pods on the
// host network reach the metadata service through one more hop) and 1
// elsewhere, as `kops create cluster` writes them into the spec.
import { isControlPlaneRole, type InstanceGroup } from '../spec/types.js';
import type { RootVolume } from './tasks/launch-template.js';

export interface Machine {
  rootVolume: RootVolume;
  httpTokens: 'required' | 'optional';
  httpPutResponseHopLimit: number;
  additionalSecurityGroups: string[];
  /** Undefined: the subnet decides (public subnets get addresses). */
  associatePublicIp?: boolean;
  /** What in the spec cannot be applied, each a sentence. */
  problems: string[];
}

const VOLUME_TYPES = ['gp3', 'gp2', 'io1', 'io2', 'st1', 'sc1', 'standard'];
const GP3_IOPS = 3000;
const GP3_THROUGHPUT = 125;
const IO_IOPS = 100;

function defaultRootSize(role: string): number {
  if (role === 'Bastion') return 32;
  return isControlPlaneRole(role) ? 64 : 128;
}

export function instanceGroupMachine(ig: InstanceGroup): Machine {
  const spec = ig.spec;
  const problems: string[] = [];
  const size = spec.rootVolumeSize ?? defaultRootSize(spec.role);
  const type = spec.rootVolumeType || 'gp3';
  if (!Number.isInteger(size) || size < 1) problems.push(`spec.rootVolumeSize must be a whole number of GiB, not ${String(spec.rootVolumeSize)}`);
  if (!VOLUME_TYPES.includes(type)) problems.push(`spec.rootVolumeType must be one of ${VOLUME_TYPES.join(', ')}, not "${type}"`);
  const hopLimit = spec.instanceMetadata?.httpPutResponseHopLimit ?? (isControlPlaneRole(spec.role) || spec.role === 'APIServer' ? 3 : 1);
  if (!Number.isInteger(hopLimit) || hopLimit < 1 || hopLimit > 64) problems.push(`spec.instanceMetadata.httpPutResponseHopLimit must be 1 to 64, not ${String(hopLimit)}`);
  const tokens = spec.instanceMetadata?.httpTokens ?? 'required';
  if (tokens !== 'required' && tokens !== 'optional') problems.push(`spec.instanceMetadata.httpTokens must be required or optional, not "${tokens}"`);
  const additional = spec.additionalSecurityGroups ?? [];
  for (const id of additional) if (!/^sg-[0-9a-f]+$/.test(id)) problems.push(`spec.additionalSecurityGroups: "${id}" is not a security group id (sg-...)`);
  return {
    rootVolume: { size, type, encrypted: spec.rootVolumeEncryption ?? true, ...performance(type, spec.rootVolumeIops, spec.rootVolumeThroughput) },
    httpTokens: tokens === 'optional' ? 'optional' : 'required',
    httpPutResponseHopLimit: hopLimit,
    additionalSecurityGroups: additional,
    associatePublicIp: spec.associatePublicIp,
    problems,
  };
}

/** kops' floors: gp3 at least 3000 IOPS and 125 MiB/s, io1/io2 at least 100 IOPS; other types take neither. */
function performance(type: string, iops: number | undefined, throughput: number | undefined): Pick<RootVolume, 'iops' | 'throughput'> {
  if (type === 'gp3') return { iops: Math.max(iops ?? 0, GP3_IOPS), throughput: Math.max(throughput ?? 0, GP3_THROUGHPUT) };
  if (type === 'io1' || type === 'io2') return { iops: Math.max(iops ?? 0, IO_IOPS) };
  return {};
}
