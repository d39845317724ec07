// api.<cluster> as an alias to the API load balancer, A and AAAA, as kops
// makes them for a cluster with a DNS zone and an API load balancer
// (pkg/model/awsmodel/dns.go; complex/kubernetes.tf). The alias names the
// load balancer's DNS name and its canonical hosted zone, read from the load
// balancer when the record is written.
import { ChangeResourceRecordSetsCommand, type ResourceRecordSet, type RRType } from '@aws-sdk/client-route-53';
import { DescribeLoadBalancersCommand } from '@aws-sdk/client-elastic-load-balancing-v2';
import { apiRecordName, normalizeDnsName } from '../../cloud/aws/discovery.js';
import { compareFields, idOrPending, requireId, taskKey, type ReconcileContext, type Task } from '../task.js';
import { dnsZoneKey } from './dns.js';
import { blocks } from '../../terraform/hcl.js';

export interface AliasDesired {
  zoneId: string;
  name: string;
  type: 'A' | 'AAAA';
  /** The load balancer's DNS name, or a placeholder until it exists. */
  target: string;
}

/** Route 53 stores alias names lower-case with a trailing dot, and may prefix `dualstack.`. */
export const aliasName = (name: string | undefined): string | undefined =>
  name === undefined ? undefined : normalizeDnsName(name).replace(/^dualstack\./, '').replace(/\.$/, '');

export function apiAliasTask(cluster: string, zoneName: string, loadBalancerKey: string, type: 'A' | 'AAAA'): Task<AliasDesired, ResourceRecordSet> {
  const name = apiRecordName(cluster);
  const zoneKey = dnsZoneKey(zoneName);
  const taskName = `${name.replace(/\.$/, '')}${type === 'AAAA' ? '-AAAA' : ''}`;
  const desired = (ctx: ReconcileContext): AliasDesired => {
    const dnsName = ctx.snapshot.apiLoadBalancing?.loadBalancer?.description.DNSName;
    return { zoneId: idOrPending(ctx, zoneKey), name, type, target: dnsName ? aliasName(dnsName)! : idOrPending(ctx, loadBalancerKey) };
  };
  return {
    key: taskKey('DNSAlias', taskName),
    kind: 'DNSAlias',
    name: taskName,
    dependencies: [zoneKey, loadBalancerKey],
    desired,
    find: (ctx) => ctx.snapshot.apiRecords.find((r) => r.Type === type) ?? null,
    idOf: (r) => `${normalizeDnsName(r.Name ?? name)} ${type}`,
    // A plain record at that name (kops' dns-controller's, or an API switched to a load balancer) becomes the alias.
    diff: (d, actual) => compareFields([['AliasTarget', d.target, aliasName(actual.AliasTarget?.DNSName)]]),
    describe: (d) => ({ Zone: d.zoneId, Type: d.type, AliasTarget: d.target }),
    async apply(ctx) {
      const out = await ctx.clients.elbv2.send(new DescribeLoadBalancersCommand({ LoadBalancerArns: [requireId(ctx, loadBalancerKey)] }));
      const lb = out.LoadBalancers![0];
      await ctx.clients.route53.send(
        new ChangeResourceRecordSetsCommand({
          HostedZoneId: requireId(ctx, zoneKey),
          ChangeBatch: {
            Comment: `kopsdeck: api alias of ${cluster}`,
            Changes: [
              {
                Action: 'UPSERT',
                ResourceRecordSet: {
                  Name: name,
                  Type: type as RRType,
                  AliasTarget: { DNSName: lb.DNSName!, HostedZoneId: lb.CanonicalHostedZoneId!, EvaluateTargetHealth: false },
                },
              },
            ],
          },
        }),
      );
      return `${name} ${type}`;
    },
    terraform: (t) => [
      {
        type: 'aws_route53_record',
        name: taskName,
        body: {
          alias: blocks({ evaluate_target_health: false, name: t.ref(loadBalancerKey, 'dns_name'), zone_id: t.ref(loadBalancerKey, 'zone_id') }),
          name: name.replace(/\.$/, ''),
          type,
          zone_id: t.ref(zoneKey, 'zone_id'),
        },
      },
    ],
  };
}
