// Route 53 record sets: names normalised to lower case with a trailing dot,
// AWS's listing order, and ChangeResourceRecordSets applied all-or-nothing.
import { AwsError } from '../aws-error.js';
import { unescapeXml, xmlBlocks, xmlText, type XmlValue } from '../xml.js';
import type { HostedZone, ResourceRecordSet } from '../world/types.js';

export function normaliseName(name: string): string {
  const lower = name.trim().toLowerCase().replace(/\\052/g, '*');
  return lower.endsWith('.') ? lower : lower + '.';
}

/** Route 53 sorts by name with labels reversed (com.example.www), then by type. */
export function recordOrder(a: { name: string; type: string }, b: { name: string; type: string }): number {
  const key = (name: string) => name.split('.').reverse().join('.');
  return key(a.name).localeCompare(key(b.name)) || a.type.localeCompare(b.type);
}

export function recordXml(record: ResourceRecordSet): { [key: string]: XmlValue } {
  return {
    Name: record.name,
    Type: record.type,
    TTL: record.aliasTarget ? undefined : record.ttl,
    ResourceRecords: record.aliasTarget ? undefined : record.values.map((Value) => ({ Value })),
    AliasTarget: record.aliasTarget
      ? { HostedZoneId: record.aliasTarget.hostedZoneId, DNSName: record.aliasTarget.dnsName, EvaluateTargetHealth: record.aliasTarget.evaluateTargetHealth }
      : undefined,
  };
}

interface RequestedChange {
  action: string;
  record: ResourceRecordSet;
}

export function parseChanges(body: string): { comment?: string; changes: RequestedChange[] } {
  const changes = xmlBlocks(body, 'Change').map((block) => {
    const set = xmlBlocks(block, 'ResourceRecordSet')[0] ?? '';
    const alias = xmlBlocks(set, 'AliasTarget')[0];
    const ttl = xmlText(set, 'TTL');
    const record: ResourceRecordSet = {
      name: normaliseName(xmlText(set, 'Name') ?? ''),
      type: (xmlText(set, 'Type') ?? '').toUpperCase(),
      ttl: ttl === undefined ? undefined : Number(ttl),
      values: xmlBlocks(set, 'ResourceRecord').map((r) => (xmlText(r, 'Value') ?? '').trim()),
      aliasTarget: alias
        ? { hostedZoneId: xmlText(alias, 'HostedZoneId') ?? '', dnsName: normaliseName(xmlText(alias, 'DNSName') ?? ''), evaluateTargetHealth: xmlText(alias, 'EvaluateTargetHealth') === 'true' }
        : undefined,
    };
    return { action: (xmlText(block, 'Action') ?? '').toUpperCase(), record };
  });
  const comment = xmlText(body, 'Comment');
  return { comment: comment === undefined ? undefined : unescapeXml(comment), changes };
}

/** Validates the whole batch first, then applies it: one bad change rejects all, as on AWS. */
export function applyChanges(zone: HostedZone, changes: RequestedChange[]): void {
  if (changes.length === 0) throw invalidBatch(['The request must contain at least one change']);
  const records = zone.records.map((r) => ({ ...r }));
  const problems: string[] = [];
  for (const { action, record } of changes) {
    const describe = `[name='${record.name}', type='${record.type}']`;
    if (record.name !== zone.name && !record.name.endsWith('.' + zone.name)) {
      problems.push(`RRSet with DNS name ${record.name} is not permitted in zone ${zone.name}`);
      continue;
    }
    if (!record.aliasTarget && action !== 'DELETE' && (record.values.length === 0 || record.ttl === undefined)) {
      problems.push(`Invalid resource record set ${describe}: TTL and ResourceRecords are required`);
      continue;
    }
    const index = records.findIndex((r) => r.name === record.name && r.type === record.type);
    if (action === 'CREATE') {
      if (index >= 0) problems.push(`Tried to create resource record set ${describe} but it already exists`);
      else records.push(record);
    } else if (action === 'UPSERT') {
      if (index >= 0) records[index] = record;
      else records.push(record);
    } else if (action === 'DELETE') {
      const existing = records[index];
      if (!existing) problems.push(`Tried to delete resource record set ${describe} but it was not found`);
      else if (!sameRecord(existing, record)) problems.push(`Tried to delete resource record set ${describe} but the values provided do not match the current values`);
      else records.splice(index, 1);
    } else {
      problems.push(`Invalid change action '${action}'`);
    }
  }
  if (problems.length) throw invalidBatch(problems);
  zone.records = records.sort(recordOrder);
}

function sameRecord(a: ResourceRecordSet, b: ResourceRecordSet): boolean {
  if (a.aliasTarget || b.aliasTarget) return a.aliasTarget?.dnsName === b.aliasTarget?.dnsName;
  return a.ttl === b.ttl && [...a.values].sort().join('\n') === [...b.values].sort().join('\n');
}

export class InvalidChangeBatchError extends AwsError {
  constructor(readonly messages: string[]) {
    super('InvalidChangeBatch', messages.join('; '), 400);
  }
}

function invalidBatch(messages: string[]): InvalidChangeBatchError {
  return new InvalidChangeBatchError(messages);
}
