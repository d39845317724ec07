// EBS volumes: CreateVolume, DescribeVolumes, DeleteVolume, AttachVolume and
// DetachVolume, with EC2's checks and error codes (a volume in use cannot be
// deleted, a volume attaches only to a running or stopped instance in its own
// zone, on a free device). Timed states are volume-lifecycle.ts's.
import { AwsError } from '../aws-error.js';
import { ec2Tags, isoTime } from '../query-protocol.js';
import type { Params } from '../query-params.js';
import type { Fields } from '../world/filters.js';
import { ACCOUNT_ID, zonesOf } from '../world/regions.js';
import type { Volume } from '../world/volume-types.js';
import { describePage, ec2ResultReturn, findIn, tagSpecTags, type Ec2Context, type Ec2Handler } from './ec2-common.js';

const VOLUME_TYPES = ['standard', 'gp2', 'gp3', 'io1', 'io2', 'sc1', 'st1'];
/** Size bounds (GiB) per type, as EBS documents them. */
const SIZE_BOUNDS: Record<string, [number, number]> = {
  standard: [1, 1024],
  gp2: [1, 16384],
  gp3: [1, 16384],
  io1: [4, 16384],
  io2: [4, 65536],
  sc1: [125, 16384],
  st1: [125, 16384],
};

function attachmentXml(volume: Volume) {
  const a = volume.attachment;
  if (!a) return [];
  return [{ attachTime: isoTime(a.attachedAt), device: a.device, instanceId: a.instanceId, status: a.state, volumeId: volume.id, deleteOnTermination: a.deleteOnTermination }];
}

function volumeXml(volume: Volume) {
  return {
    volumeId: volume.id,
    size: volume.size,
    availabilityZone: volume.zone,
    status: volume.state,
    createTime: isoTime(volume.createdAt),
    attachmentSet: attachmentXml(volume),
    volumeType: volume.volumeType,
    iops: volume.iops,
    throughput: volume.throughput,
    encrypted: volume.encrypted,
    kmsKeyId: volume.kmsKeyId,
    multiAttachEnabled: false,
    tagSet: ec2Tags(volume.tags),
  };
}

const readVolume: Fields<Volume> = {
  'volume-id': (v) => [v.id],
  status: (v) => [v.state],
  'availability-zone': (v) => [v.zone],
  'volume-type': (v) => [v.volumeType],
  size: (v) => [String(v.size)],
  encrypted: (v) => [String(v.encrypted)],
  'attachment.instance-id': (v) => (v.attachment ? [v.attachment.instanceId] : []),
  'attachment.status': (v) => (v.attachment ? [v.attachment.state] : []),
  'attachment.device': (v) => (v.attachment ? [v.attachment.device] : []),
  'attachment.delete-on-termination': (v) => (v.attachment ? [String(v.attachment.deleteOnTermination)] : []),
};

const invalid = (message: string) => new AwsError('InvalidParameterValue', message);

function volumeNamed(ctx: Ec2Context, id: string): Volume {
  return findIn(ctx.world.state.volumes, id, ctx.region, 'InvalidVolume.NotFound', 'volume');
}

/** gp3: 3000-16000 IOPS (3000 by default), 125-1000 MiB/s (125); io1/io2 need IOPS; others take neither. */
function performanceOf(params: Params, volumeType: string): Pick<Volume, 'iops' | 'throughput'> {
  const iops = params.int('Iops');
  const throughput = params.int('Throughput');
  if (throughput !== undefined && volumeType !== 'gp3') throw invalid(`Throughput is only valid for gp3 volumes`);
  if (volumeType === 'gp3') {
    if (iops !== undefined && (iops < 3000 || iops > 16000)) throw invalid(`Volume iops of ${iops} is not in the range 3000-16000 for gp3 volumes`);
    if (throughput !== undefined && (throughput < 125 || throughput > 1000)) throw invalid(`Volume throughput of ${throughput} is not in the range 125-1000 for gp3 volumes`);
    return { iops: iops ?? 3000, throughput: throughput ?? 125 };
  }
  if (volumeType === 'io1' || volumeType === 'io2') {
    if (iops === undefined) throw new AwsError('MissingParameter', `The parameter iops must be specified for ${volumeType} volumes.`);
    return { iops };
  }
  if (iops !== undefined) throw invalid(`The parameter iops is not supported for ${volumeType} volumes.`);
  return {};
}

export const createVolume: Ec2Handler = (ctx) => {
  const { params, region, world } = ctx;
  const zone = params.required('AvailabilityZone');
  if (!zonesOf(region).includes(zone)) throw invalid(`Invalid availability zone: [${zone}]`);
  const volumeType = params.str('VolumeType') ?? 'gp2';
  if (!VOLUME_TYPES.includes(volumeType)) throw invalid(`Value (${volumeType}) for parameter volumeType is invalid. Valid values: ${VOLUME_TYPES.join(', ')}`);
  const size = params.int('Size');
  if (size === undefined) throw new AwsError('MissingParameter', 'The request must contain the parameter size/snapshot');
  const [min, max] = SIZE_BOUNDS[volumeType];
  if (size < min || size > max) throw invalid(`Volume of ${size}GiB is not in the range ${min}-${max} for ${volumeType} volumes`);
  const encrypted = params.bool('Encrypted') ?? false;
  const kmsKeyId = params.str('KmsKeyId');
  if (kmsKeyId && !encrypted) throw new AwsError('InvalidParameterDependency', 'The parameter KmsKeyId requires the parameter Encrypted to be set.');
  const volume = world.volumes.create({
    id: world.newId('vol'),
    region,
    zone,
    size,
    volumeType,
    ...performanceOf(params, volumeType),
    encrypted,
    kmsKeyId: encrypted ? (kmsKeyId ?? `arn:aws:kms:${region}:${ACCOUNT_ID}:alias/aws/ebs`) : undefined,
    tags: tagSpecTags(params, 'volume'),
  });
  return volumeXml(volume);
};

export const describeVolumes: Ec2Handler = (ctx) => {
  const lookup = { idParam: 'VolumeId', notFound: 'InvalidVolume.NotFound', kind: 'volume' };
  const { page, nextToken } = describePage(ctx, ctx.world.state.volumes, lookup, readVolume);
  return { volumeSet: page.map(volumeXml), nextToken };
};

export const deleteVolume: Ec2Handler = (ctx) => {
  const volume = volumeNamed(ctx, ctx.params.required('VolumeId'));
  if (volume.attachment) throw new AwsError('VolumeInUse', `Volume ${volume.id} is currently attached to ${volume.attachment.instanceId}`);
  if (volume.state !== 'available') throw new AwsError('IncorrectState', `The volume '${volume.id}' is '${volume.state}'.`);
  ctx.world.volumes.delete(volume);
  return ec2ResultReturn();
};

export const attachVolume: Ec2Handler = (ctx) => {
  const { params, region, world } = ctx;
  const volume = volumeNamed(ctx, params.required('VolumeId'));
  const instanceId = params.required('InstanceId');
  const device = params.required('Device');
  const instance = world.instances.visible(region).find((i) => i.id === instanceId);
  if (!instance) throw new AwsError('InvalidInstanceID.NotFound', `The instance ID '${instanceId}' does not exist`);
  if (volume.attachment) throw new AwsError('VolumeInUse', `${volume.id} is already attached to an instance`);
  if (volume.state !== 'available') throw new AwsError('IncorrectState', `${volume.id} is not 'available'.`);
  if (instance.state !== 'running') throw new AwsError('IncorrectInstanceState', `Instance '${instance.id}' is not 'running'.`);
  if (volume.zone !== instance.zone) {
    throw new AwsError('InvalidVolume.ZoneMismatch', `The volume '${volume.id}' is not in the same availability zone as instance '${instance.id}'`);
  }
  if (!/^\/dev\/(sd[b-z]|xvd[b-z]|sd[b-z][1-9]|xvd[b-z][a-z]?)$/.test(device)) throw invalid(`Value (${device}) for parameter device is invalid. ${device} is not a valid EBS device name.`);
  const taken = Object.values(world.state.volumes).some((v) => v.attachment?.instanceId === instance.id && v.attachment.device === device);
  if (taken) throw invalid(`Attachment point ${device} is already in use`);
  world.volumes.attach(volume, instance.id, device);
  return attachmentXml(volume)[0];
};

export const detachVolume: Ec2Handler = (ctx) => {
  const volume = volumeNamed(ctx, ctx.params.required('VolumeId'));
  const instanceId = ctx.params.str('InstanceId');
  const attachment = volume.attachment;
  if (!attachment) throw new AwsError('IncorrectState', `Volume '${volume.id}' is in the '${volume.state}' state.`);
  if (instanceId && instanceId !== attachment.instanceId) {
    throw new AwsError('InvalidAttachment.NotFound', `The volume ${volume.id} is not attached to instance ${instanceId}`);
  }
  if (attachment.state === 'detaching') throw new AwsError('IncorrectState', `Volume '${volume.id}' is already detaching.`);
  ctx.world.volumes.detach(volume);
  return attachmentXml(volume)[0];
};
