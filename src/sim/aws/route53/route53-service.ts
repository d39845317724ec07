// Route 53 over REST-XML: hosted zones, record sets and changes. Changes are
// PENDING for a short simulated while, then INSYNC.
import { AwsError } from '../aws-error.js';
import { tryDecodeUri } from '../../uri.js';
import { sendXml, type AwsRequest, type AwsService } from '../aws-service.js';
import { isoTime } from '../query-protocol.js';
import { escapeXml, xmlBlocks, xmlDocument, xmlElement, xmlText, type XmlValue } from '../xml.js';
import type { AwsWorld } from '../world/aws-world.js';
import type { HostedZone } from '../world/types.js';
import { applyChanges, InvalidChangeBatchError, normaliseName, parseChanges, recordOrder, recordXml } from './route53-records.js';

const XMLNS = 'https://route53.amazonaws.com/doc/2013-04-01/';
const CHANGE_PROPAGATION_MS = 10_000;
const ITEMS: Record<string, string> = { HostedZones: 'HostedZone', ResourceRecordSets: 'ResourceRecordSet', ResourceRecords: 'ResourceRecord', NameServers: 'NameServer', VPCs: 'VPC', Messages: 'Message' };
const itemName = (list: string) => ITEMS[list] ?? 'member';

interface Route {
  action: string;
  method: string;
  pattern: RegExp;
}

const ROUTES: Route[] = [
  { action: 'CreateHostedZone', method: 'POST', pattern: /^\/2013-04-01\/hostedzone\/?$/ },
  { action: 'ListHostedZones', method: 'GET', pattern: /^\/2013-04-01\/hostedzone\/?$/ },
  { action: 'ListHostedZonesByName', method: 'GET', pattern: /^\/2013-04-01\/hostedzonesbyname\/?$/ },
  { action: 'ChangeResourceRecordSets', method: 'POST', pattern: /^\/2013-04-01\/hostedzone\/([^/]+)\/rrset\/?$/ },
  { action: 'ListResourceRecordSets', method: 'GET', pattern: /^\/2013-04-01\/hostedzone\/([^/]+)\/rrset\/?$/ },
  { action: 'GetHostedZone', method: 'GET', pattern: /^\/2013-04-01\/hostedzone\/([^/]+)$/ },
  { action: 'DeleteHostedZone', method: 'DELETE', pattern: /^\/2013-04-01\/hostedzone\/([^/]+)$/ },
  { action: 'GetChange', method: 'GET', pattern: /^\/2013-04-01\/change\/([^/]+)$/ },
];

function zoneXml(zone: HostedZone): { [key: string]: XmlValue } {
  return {
    Id: `/hostedzone/${zone.id}`,
    Name: zone.name,
    CallerReference: zone.callerReference,
    Config: { Comment: zone.comment, PrivateZone: zone.privateZone },
    ResourceRecordSetCount: zone.records.length,
  };
}

function delegationXml(zone: HostedZone): { [key: string]: XmlValue } {
  return { NameServers: nameServers(zone) };
}

function nameServers(zone: HostedZone): string[] {
  const n = parseInt(zone.id.slice(-3), 36) % 2000;
  return [`ns-${n}.awsdns-01.com.`, `ns-${n + 1}.awsdns-02.net.`, `ns-${n + 2}.awsdns-03.org.`, `ns-${n + 3}.awsdns-04.co.uk.`];
}

export class Route53Service implements AwsService {
  readonly name = 'route53';
  readonly throttleError = { code: 'Throttling', status: 400 };

  action(request: AwsRequest): string {
    const route = ROUTES.find((r) => r.method === request.method && r.pattern.test(request.url.pathname));
    if (!route) throw new AwsError('InvalidAction', `No Route 53 operation for ${request.method} ${request.url.pathname}`, 404);
    return route.action;
  }

  handle(request: AwsRequest, action: string): void {
    const route = ROUTES.find((r) => r.action === action)!;
    const id = tryDecodeUri(route.pattern.exec(request.url.pathname)?.[1] ?? '');
    if (id === undefined) throw new AwsError('InvalidInput', 'The request path has a malformed percent escape', 400);
    const { world } = request;
    const body = request.body.toString('utf8');
    const q = request.url.searchParams;
    const respond = (root: string, value: { [key: string]: XmlValue }, status = 200, headers: Record<string, string> = {}) =>
      sendXml(request, status, xmlDocument(root, value, itemName, XMLNS), headers);
    switch (action) {
      case 'CreateHostedZone': {
        const zone = this.createZone(world, body);
        return respond('CreateHostedZoneResponse', { HostedZone: zoneXml(zone), ChangeInfo: this.newChange(world), DelegationSet: delegationXml(zone), VPC: zone.vpcs[0] ? { VPCRegion: zone.vpcs[0].region, VPCId: zone.vpcs[0].id } : undefined }, 201, { location: `https://route53.amazonaws.com/2013-04-01/hostedzone/${zone.id}` });
      }
      case 'GetHostedZone': {
        const zone = zoneOf(world, id);
        return respond('GetHostedZoneResponse', { HostedZone: zoneXml(zone), DelegationSet: zone.privateZone ? undefined : delegationXml(zone), VPCs: zone.privateZone ? zone.vpcs.map((v) => ({ VPCRegion: v.region, VPCId: v.id })) : undefined });
      }
      case 'ListHostedZones': {
        const zones = Object.values(world.state.hostedZones).sort((a, b) => a.id.localeCompare(b.id));
        const max = Number(q.get('maxitems') ?? 100);
        const marker = q.get('marker');
        const start = marker ? Math.max(0, zones.findIndex((z) => z.id === marker)) : 0;
        const page = zones.slice(start, start + max);
        const next = zones[start + max];
        return respond('ListHostedZonesResponse', { HostedZones: page.map(zoneXml), Marker: marker ?? '', IsTruncated: !!next, NextMarker: next?.id, MaxItems: max });
      }
      case 'ListHostedZonesByName': {
        const zones = Object.values(world.state.hostedZones).sort((a, b) => recordOrder({ name: a.name, type: a.id }, { name: b.name, type: b.id }));
        const dnsName = q.get('dnsname');
        const max = Number(q.get('maxitems') ?? 100);
        const start = dnsName ? zones.findIndex((z) => recordOrder({ name: z.name, type: '' }, { name: normaliseName(dnsName), type: '' }) >= 0) : 0;
        const from = start < 0 ? zones.length : start;
        const page = zones.slice(from, from + max);
        const next = zones[from + max];
        return respond('ListHostedZonesByNameResponse', { HostedZones: page.map(zoneXml), DNSName: dnsName ?? undefined, HostedZoneId: q.get('hostedzoneid') ?? undefined, IsTruncated: !!next, NextDNSName: next?.name, NextHostedZoneId: next?.id, MaxItems: max });
      }
      case 'DeleteHostedZone': {
        const zone = zoneOf(world, id);
        if (zone.records.some((r) => r.type !== 'SOA' && !(r.type === 'NS' && r.name === zone.name))) {
          throw new AwsError('HostedZoneNotEmpty', 'The specified hosted zone contains non-required resource record sets and so cannot be deleted.', 400);
        }
        delete world.state.hostedZones[zone.id];
        world.changed();
        return respond('DeleteHostedZoneResponse', { ChangeInfo: this.newChange(world) });
      }
      case 'ChangeResourceRecordSets': {
        const zone = zoneOf(world, id);
        const { comment, changes } = parseChanges(body);
        applyChanges(zone, changes);
        world.changed();
        return respond('ChangeResourceRecordSetsResponse', { ChangeInfo: this.newChange(world, comment) });
      }
      case 'ListResourceRecordSets': {
        const zone = zoneOf(world, id);
        const max = Number(q.get('maxitems') ?? 300);
        const name = q.get('name');
        const type = q.get('type');
        const start = name ? zone.records.findIndex((r) => recordOrder(r, { name: normaliseName(name), type: type ?? '' }) >= 0) : 0;
        const from = start < 0 ? zone.records.length : start;
        const page = zone.records.slice(from, from + max);
        const next = zone.records[from + max];
        return respond('ListResourceRecordSetsResponse', { ResourceRecordSets: page.map(recordXml), IsTruncated: !!next, NextRecordName: next?.name, NextRecordType: next?.type, MaxItems: max });
      }
      case 'GetChange': {
        const change = world.state.changes[id];
        if (!change) throw new AwsError('NoSuchChange', `A change with the specified change ID does not exist: ${id}`, 404);
        const status = world.now() - change.submittedAt >= CHANGE_PROPAGATION_MS ? 'INSYNC' : 'PENDING';
        return respond('GetChangeResponse', { ChangeInfo: { Id: `/change/${change.id}`, Status: status, SubmittedAt: isoTime(change.submittedAt), Comment: change.comment } });
      }
    }
  }

  sendError(request: AwsRequest, error: AwsError): void {
    const messages = error instanceof InvalidChangeBatchError ? xmlElement('Messages', error.messages, itemName) : '';
    const type = error.status >= 500 ? 'Receiver' : 'Sender';
    const xml =
      `<?xml version="1.0" encoding="UTF-8"?>\n<ErrorResponse xmlns="${XMLNS}"><Error><Type>${type}</Type><Code>${escapeXml(error.code)}</Code>` +
      `<Message>${escapeXml(error.message)}</Message>${messages}</Error><RequestId>${request.requestId}</RequestId></ErrorResponse>`;
    sendXml(request, error.status, xml);
  }

  private createZone(world: AwsWorld, body: string): HostedZone {
    const rawName = xmlText(body, 'Name');
    const callerReference = xmlText(body, 'CallerReference');
    if (!rawName || !callerReference) throw new AwsError('InvalidInput', 'Name and CallerReference are required');
    if (Object.values(world.state.hostedZones).some((z) => z.callerReference === callerReference)) {
      throw new AwsError('HostedZoneAlreadyExists', `A hosted zone has already been created with the specified caller reference.`, 409);
    }
    const name = normaliseName(rawName);
    if (!/^([a-z0-9_*]([a-z0-9-_]*[a-z0-9_])?\.)+$/.test(name)) throw new AwsError('InvalidDomainName', `${rawName} is not a valid domain name`);
    const config = xmlBlocks(body, 'HostedZoneConfig')[0] ?? '';
    const vpc = xmlBlocks(body, 'VPC')[0];
    const id = 'Z' + world.deps.random.hex(20).toUpperCase();
    const zone: HostedZone = {
      id,
      name,
      callerReference,
      comment: xmlText(config, 'Comment'),
      privateZone: !!vpc || xmlText(config, 'PrivateZone') === 'true',
      vpcs: vpc ? [{ region: xmlText(vpc, 'VPCRegion') ?? 'us-east-1', id: xmlText(vpc, 'VPCId') ?? '' }] : [],
      records: [],
      createdAt: world.now(),
    };
    zone.records = [
      { name, type: 'NS', ttl: 172800, values: nameServers(zone) },
      { name, type: 'SOA', ttl: 900, values: [`${nameServers(zone)[0]} awsdns-hostmaster.amazon.com. 1 7200 900 1209600 86400`] },
    ];
    world.state.hostedZones[id] = zone;
    world.changed();
    return zone;
  }

  private newChange(world: AwsWorld, comment?: string): { [key: string]: XmlValue } {
    const id = 'C' + world.deps.random.hex(20).toUpperCase();
    const now = world.now();
    world.state.changes[id] = { id, submittedAt: now, comment };
    return { Id: `/change/${id}`, Status: 'PENDING', SubmittedAt: isoTime(now), Comment: comment };
  }
}

function zoneOf(world: AwsWorld, id: string): HostedZone {
  const zone = world.state.hostedZones[id.replace(/^\/?hostedzone\//, '')];
  if (!zone) throw new AwsError('NoSuchHostedZone', `No hosted zone found with ID: ${id}`, 404);
  return zone;
}
