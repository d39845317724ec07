// An etcd member's EBS volume, as kops makes it (pkg/model/master_volumes.go):
// `<member>.etcd-<cluster>.<name>` in the member's zone, gp3 at 3000 IOPS and
// 125 MiB/s unless the member says otherwise, 20 GiB by default, tagged so the
// control-plane instance that replaces a terminated one finds and attaches it
// (`k8s.io/etcd/<etcd cluster>: <member>/<all members>`, the control-plane
// role tags). Zone and encryption cannot change; size, type and performance
// are not changed here either (kops would call ModifyVolume): the plan says so.
import { CreateVolumeCommand, type Volume, type VolumeType } from '@aws-sdk/client-ec2';
import type { TagMap } from '../../cloud/aws/tags.js';
import { compareFields, compareTags, taskKey, type Task } from '../task.js';
import { applyTagChanges, nonTagChanges, tagSpecification, tagsOf } from './ec2-tags.js';

export interface EbsVolumeDesired {
  zone: string;
  sizeGiB: number;
  volumeType: string;
  iops?: number;
  throughput?: number;
  encrypted: boolean;
  kmsKeyId?: string;
  tags: TagMap;
}

export const ebsVolumeKey = (name: string): string => taskKey('EBSVolume', name);

export function ebsVolumeTask(name: string, desired: EbsVolumeDesired): Task<EbsVolumeDesired, Volume> {
  return {
    key: ebsVolumeKey(name),
    kind: 'EBSVolume',
    name,
    dependencies: [],
    desired: () => desired,
    find: (ctx) => ctx.snapshot.volumes?.find((v) => tagsOf(v).Name === name && v.State !== 'deleting' && v.State !== 'deleted') ?? null,
    idOf: (v) => v.VolumeId!,
    diff: (d, actual) => [
      ...compareFields([
        ['AvailabilityZone', d.zone, actual.AvailabilityZone],
        ['Encrypted', d.encrypted, actual.Encrypted],
        ['Size', d.sizeGiB, actual.Size],
        ['VolumeType', d.volumeType, actual.VolumeType],
        ['Iops', d.iops, d.iops === undefined ? undefined : actual.Iops],
        ['Throughput', d.throughput, d.throughput === undefined ? undefined : actual.Throughput],
      ]),
      ...compareTags(d.tags, tagsOf(actual)),
    ],
    describe: (d) => ({
      AvailabilityZone: d.zone,
      Size: `${d.sizeGiB} GiB`,
      VolumeType: d.volumeType,
      ...(d.iops !== undefined ? { Iops: String(d.iops) } : {}),
      ...(d.throughput !== undefined ? { Throughput: `${d.throughput} MiB/s` } : {}),
      Encrypted: String(d.encrypted),
    }),
    async apply(ctx, change) {
      const d = change.desired;
      if (!change.actual) {
        const out = await ctx.clients.ec2.send(
          new CreateVolumeCommand({
            AvailabilityZone: d.zone,
            Size: d.sizeGiB,
            VolumeType: d.volumeType as VolumeType,
            Iops: d.iops,
            Throughput: d.throughput,
            Encrypted: d.encrypted,
            KmsKeyId: d.kmsKeyId,
            TagSpecifications: tagSpecification('volume', d.tags),
          }),
        );
        return out.VolumeId!;
      }
      const fixed = nonTagChanges(change.changes);
      if (fixed.length) {
        // Never "delete and re-create": the volume holds etcd's data.
        const what = fixed.map((c) => `${c.field} ${c.old} -> ${c.new}`).join(', ');
        throw new Error(`EBSVolume/${name}: ${what} is not changed by kopsdeck, as the volume holds etcd's data; change it with \`aws ec2 modify-volume\` (size, type, performance) or put the spec back as it was`);
      }
      await applyTagChanges(ctx, change.actual.VolumeId!, d.tags, change.changes);
      return change.actual.VolumeId!;
    },
    terraform: (_t, d) => [
      {
        type: 'aws_ebs_volume',
        name,
        body: { availability_zone: d.zone, encrypted: d.encrypted, iops: d.iops, kms_key_id: d.kmsKeyId, size: d.sizeGiB, tags: d.tags, throughput: d.throughput, type: d.volumeType },
      },
    ],
  };
}
