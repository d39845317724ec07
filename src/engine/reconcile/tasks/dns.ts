// Route 53: the cluster's DNS zone (created when missing, never deleted: it
// may hold other records) and the api.<cluster> record. As in kops, the record
// holds the placeholder 203.0.113.123 until a control-plane instance runs,
// then the control-plane addresses (public ones for a public cluster).
import { ChangeResourceRecordSetsCommand, CreateHostedZoneCommand, type HostedZone, type ResourceRecordSet } from '@aws-sdk/client-route-53';
import type { Instance } from '@aws-sdk/client-ec2';
import { apiRecordName, normalizeDnsName } from '../../cloud/aws/discovery.js';
import { compareFields, idOrPending, requireId, taskKey, type ReconcileContext, type Task } from '../task.js';
import { vpcKey } from './vpc.js';
import { blocks } from '../../terraform/hcl.js';

export const PLACEHOLDER_IP = '203.0.113.123';
export const API_RECORD_TTL = 60;

export const dnsZoneKey = (zone: string): string => taskKey('DNSZone', normalizeDnsName(zone).replace(/\.$/, ''));

export const zoneIdOf = (zone: HostedZone): string => (zone.Id ?? '').replace(/^\/hostedzone\//, '');

export function dnsZoneTask(cluster: string, zoneName: string, privateZone: boolean): Task<{ name: string; private: boolean }, HostedZone> {
  const name = normalizeDnsName(zoneName).replace(/\.$/, '');
  return {
    key: dnsZoneKey(zoneName),
    kind: 'DNSZone',
    name,
    dependencies: privateZone ? [vpcKey(cluster)] : [],
    desired: () => ({ name, private: privateZone }),
    find: (ctx) => ctx.snapshot.hostedZone,
    idOf: zoneIdOf,
    diff: (desired, actual) => compareFields([['Private', desired.private, Boolean(actual.Config?.PrivateZone)]]),
    describe: (d) => ({ Name: d.name, Private: String(d.private) }),
    async apply(ctx, change) {
      if (change.actual) throw new Error(`DNSZone/${name}: a ${change.actual.Config?.PrivateZone ? 'private' : 'public'} zone exists; it is not changed by kopsdeck`);
      const out = await ctx.clients.route53.send(
        new CreateHostedZoneCommand({
          Name: name,
          CallerReference: `kopsdeck-${cluster}-${ctx.clock.now()}`,
          HostedZoneConfig: { Comment: `Created by kopsdeck for ${cluster}`, PrivateZone: privateZone },
          ...(privateZone ? { VPC: { VPCId: requireId(ctx, vpcKey(cluster)), VPCRegion: ctx.clients.region as never } } : {}),
        }),
      );
      return zoneIdOf(out.HostedZone!);
    },
    // A zone that exists is the module's input, as in kops (records name it by id); a missing one is made.
    terraform: (t, d) => {
      if (t.existing(dnsZoneKey(zoneName))) return [];
      return [
        {
          type: 'aws_route53_zone',
          name,
          body: { comment: `Created by kopsdeck for ${cluster}`, name: d.name, vpc: d.private ? blocks({ vpc_id: t.ref(vpcKey(cluster), 'id') }) : undefined },
        },
      ];
    },
  };
}

export interface DnsNameDesired {
  zoneId: string;
  name: string;
  ttl: number;
  values: string[];
}

export function apiAddresses(instances: Instance[], usePrivate: boolean): string[] {
  const addresses = instances
    .map((i) => (usePrivate ? i.PrivateIpAddress : i.PublicIpAddress ?? i.PrivateIpAddress))
    .filter((ip): ip is string => Boolean(ip));
  return addresses.length ? [...new Set(addresses)].sort() : [PLACEHOLDER_IP];
}

export function apiDnsNameTask(cluster: string, zoneName: string, usePrivateAddresses: boolean): Task<DnsNameDesired, ResourceRecordSet> {
  const name = apiRecordName(cluster);
  const zoneKey = dnsZoneKey(zoneName);
  const desired = (ctx: ReconcileContext): DnsNameDesired => ({
    zoneId: idOrPending(ctx, zoneKey),
    name,
    ttl: API_RECORD_TTL,
    values: apiAddresses(ctx.snapshot.controlPlaneInstances, usePrivateAddresses),
  });
  return {
    key: taskKey('DNSName', name.replace(/\.$/, '')),
    kind: 'DNSName',
    name: name.replace(/\.$/, ''),
    dependencies: [zoneKey],
    desired,
    find: (ctx) => ctx.snapshot.apiRecords.find((r) => r.Type === 'A') ?? null,
    idOf: (r) => normalizeDnsName(r.Name ?? name),
    diff: (d, actual) =>
      compareFields([
        ['ResourceRecords', d.values, (actual.ResourceRecords ?? []).map((r) => r.Value ?? '').sort()],
        ['TTL', d.ttl, actual.TTL],
      ]),
    describe: (d) => ({ Zone: d.zoneId, Type: 'A', TTL: String(d.ttl), ResourceRecords: d.values.join(', ') }),
    async apply(ctx, change) {
      await ctx.clients.route53.send(
        new ChangeResourceRecordSetsCommand({
          HostedZoneId: requireId(ctx, zoneKey),
          ChangeBatch: {
            Comment: `kopsdeck: api record of ${cluster}`,
            Changes: [
              {
                Action: 'UPSERT',
                ResourceRecordSet: { Name: name, Type: 'A', TTL: change.desired.ttl, ResourceRecords: change.desired.values.map((Value) => ({ Value })) },
              },
            ],
          },
        }),
      );
      return name;
    },
    terraform: (t, d) => [
      {
        type: 'aws_route53_record',
        name: name.replace(/\.$/, ''),
        body: { name: name.replace(/\.$/, ''), records: d.values, ttl: d.ttl, type: 'A', zone_id: t.ref(zoneKey, 'zone_id') },
      },
    ],
  };
}
