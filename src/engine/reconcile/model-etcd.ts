// etcd's volumes, after kops' MasterVolumeBuilder (pkg/model/master_volumes.go):
// one EBS volume per member of each etcd cluster (main, events), in the zone
// of the member's control-plane instance group. The members come from
// spec.etcdClusters, or, in a spec without any, one per control-plane group
// as `create cluster` lays them out.
import type { Cluster, EtcdCluster, EtcdMember, InstanceGroup } from '../spec/types.js';
import { isControlPlaneRole } from '../spec/types.js';
import { defaultEtcdClusters } from '../spec/defaults.js';
import { TAG_CLUSTER, clusterOwnershipTag, type TagMap } from '../cloud/aws/tags.js';
import type { Task } from './task.js';
import { ebsVolumeTask, type EbsVolumeDesired } from './tasks/ebs-volume.js';

export const DEFAULT_ETCD_VOLUME_GIB = 20;
const GP3_IOPS = 3000;
const GP3_THROUGHPUT = 125;

/** The member fields kops reads for its volume (etcdMembers[].volumeSize etc.). */
type VolumeFields = EtcdMember & { volumeSize?: number; volumeType?: string; volumeIops?: number; volumeThroughput?: number; kmsKeyId?: string };

export function etcdClustersOf(cluster: Cluster, instanceGroups: InstanceGroup[]): EtcdCluster[] {
  const given = cluster.spec.etcdClusters ?? [];
  return given.length > 0 ? given : defaultEtcdClusters(instanceGroups.filter((ig) => isControlPlaneRole(ig.spec.role)));
}

function zonesOf(cluster: Cluster, ig: InstanceGroup): string[] {
  const zoneBySubnet = new Map(cluster.spec.subnets.map((s) => [s.name, s.zone]));
  return [...new Set((ig.spec.subnets ?? []).map((s) => zoneBySubnet.get(s)).filter((z): z is string => Boolean(z)))];
}

/** What kops refuses too: a member without its instance group, or in a group spanning several zones. */
export function checkEtcdVolumes(cluster: Cluster, instanceGroups: InstanceGroup[]): string[] {
  const problems: string[] = [];
  for (const etcd of etcdClustersOf(cluster, instanceGroups)) {
    for (const member of etcd.etcdMembers ?? []) {
      const ig = instanceGroups.find((g) => g.metadata.name === member.instanceGroup);
      const label = `etcd member ${etcd.name}/${member.name}`;
      if (!ig) problems.push(`${label}: instance group ${member.instanceGroup || '(none)'} does not exist`);
      else if (zonesOf(cluster, ig).length > 1) problems.push(`${label}: instance group ${ig.metadata.name} must be in exactly one zone, for the member's volume to be there`);
    }
  }
  return problems;
}

export function etcdVolumeTasks(cluster: Cluster, instanceGroups: InstanceGroup[]): Task[] {
  const name = cluster.metadata.name;
  const tasks: Task[] = [];
  for (const etcd of etcdClustersOf(cluster, instanceGroups)) {
    const members = etcd.etcdMembers ?? [];
    const all = members.map((m) => m.name).sort().join(',');
    for (const member of members as VolumeFields[]) {
      const ig = instanceGroups.find((g) => g.metadata.name === member.instanceGroup)!;
      const volumeName = `${member.name}.etcd-${etcd.name}.${name}`;
      tasks.push(ebsVolumeTask(volumeName, volumeOf(member, zonesOf(cluster, ig)[0], etcdVolumeTags(name, volumeName, etcd.name, `${member.name}/${all}`))));
    }
  }
  return tasks;
}

/** The tags etcd-manager finds its volume by, and the cluster's (kops: master_volumes.go addAWSVolume). */
export function etcdVolumeTags(cluster: string, volumeName: string, etcdName: string, memberSpec: string): TagMap {
  return {
    [TAG_CLUSTER]: cluster,
    Name: volumeName,
    [`k8s.io/etcd/${etcdName}`]: memberSpec,
    'k8s.io/role/control-plane': '1',
    'k8s.io/role/master': '1',
    [clusterOwnershipTag(cluster)]: 'owned',
  };
}

function volumeOf(member: VolumeFields, zone: string, tags: TagMap): EbsVolumeDesired {
  const volumeType = member.volumeType ?? 'gp3';
  const gp3 = volumeType === 'gp3';
  const provisioned = volumeType === 'io1' || volumeType === 'io2';
  return {
    zone,
    sizeGiB: member.volumeSize ?? DEFAULT_ETCD_VOLUME_GIB,
    volumeType,
    // kops raises IOPS and throughput below gp3's baseline to it.
    iops: gp3 ? Math.max(member.volumeIops ?? 0, GP3_IOPS) : provisioned ? Math.max(member.volumeIops ?? 0, 100) : undefined,
    throughput: gp3 ? Math.max(member.volumeThroughput ?? 0, GP3_THROUGHPUT) : undefined,
    // As kops: encrypted when the member says so (create cluster writes encryptedVolume: true).
    encrypted: member.encryptedVolume === true,
    kmsKeyId: member.encryptedVolume === true ? member.kmsKeyId : undefined,
    tags,
  };
}
