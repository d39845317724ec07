// The DNS kops prepares for a cluster whose API is reached by name: the
// records api, api.internal and kops-controller.internal hold the placeholder
// 203.0.113.123 until dns-controller (on the control plane) replaces them.
// The hosted zone is the user's (kops needs it to exist): created when missing.
import { ChangeResourceRecordSetsCommand, CreateHostedZoneCommand, ListHostedZonesByNameCommand, type Route53Client } from '@aws-sdk/client-route-53';
import type { KopsLayout } from './kops-layout.js';

export const PLACEHOLDER_IP = '203.0.113.123';

export async function createDnsRecords(route53: Route53Client, layout: KopsLayout): Promise<void> {
  const zoneName = `${layout.dnsZone!.replace(/\.$/, '')}.`;
  const found = await route53.send(new ListHostedZonesByNameCommand({ DNSName: zoneName, MaxItems: 1 }));
  let zoneId = found.HostedZones?.find((z) => z.Name === zoneName && !z.Config?.PrivateZone)?.Id;
  if (!zoneId) {
    const created = await route53.send(new CreateHostedZoneCommand({ Name: zoneName, CallerReference: `kops-${layout.cluster}-${Date.now()}` }));
    zoneId = created.HostedZone!.Id!;
  }
  const names = [`api.${layout.cluster}`, `api.internal.${layout.cluster}`, `kops-controller.internal.${layout.cluster}`];
  await route53.send(
    new ChangeResourceRecordSetsCommand({
      HostedZoneId: zoneId,
      ChangeBatch: {
        Changes: names.map((Name) => ({ Action: 'UPSERT', ResourceRecordSet: { Name, Type: 'A', TTL: 60, ResourceRecords: [{ Value: PLACEHOLDER_IP }] } })),
      },
    }),
  );
}
