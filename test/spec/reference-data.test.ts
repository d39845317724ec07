import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  cidrContains,
  cidrsOverlap,
  compareVersions,
  formatCidr,
  isKnownZone,
  isRegionName,
  minorOf,
  parseCidr,
  parseVersion,
  plainVersion,
  regionOfZone,
  zonesOfRegion,
} from '../../src/engine/spec/index.js';

test('versions: parsing and ordering', () => {
  assert.ok(compareVersions('1.31.10', '1.31.9') > 0);
  assert.ok(compareVersions('1.30.13', '1.31.0') < 0);
  assert.equal(compareVersions('1.32.5', 'v1.32.5'), 0);
  assert.deepEqual(parseVersion('v1.36.3'), { major: 1, minor: 36, patch: 3 });
  assert.equal(parseVersion('1.31'), null);
  assert.equal(parseVersion('latest'), null);
  assert.equal(plainVersion('v1.31.4'), '1.31.4');
  assert.equal(minorOf('1.36.3'), '1.36');
});

test('regions: zones belong to their region; any region of AWS\'s shape is a region', () => {
  assert.deepEqual(zonesOfRegion('ap-northeast-1'), ['ap-northeast-1a', 'ap-northeast-1c', 'ap-northeast-1d']);
  assert.equal(regionOfZone('us-west-2d'), 'us-west-2');
  assert.ok(isKnownZone('us-east-1f'));
  assert.ok(!isKnownZone('us-west-1a'));
  assert.ok(!isKnownZone('ap-northeast-1b'));
  assert.equal(regionOfZone('nonsense'), undefined);
  assert.equal(regionOfZone('ap-east-2a'), 'ap-east-2', 'a region the table does not list');
  assert.equal(regionOfZone('us-gov-west-1b'), 'us-gov-west-1');
  for (const region of ['me-central-1', 'ap-east-2', 'us-gov-east-1', 'eu-central-2']) assert.ok(isRegionName(region), region);
  for (const region of ['us-east', 'useast1', 'us-east-1a', 'US-EAST-1', '']) assert.ok(!isRegionName(region), region);
});

test('CIDRs: parse, contain, overlap, IPv6 too', () => {
  const net = parseCidr('172.20.0.0/16')!;
  assert.ok(cidrContains(net, parseCidr('172.20.32.0/19')!));
  assert.ok(!cidrContains(net, parseCidr('172.21.0.0/19')!));
  assert.ok(cidrsOverlap(parseCidr('10.0.0.0/8')!, parseCidr('10.1.2.0/24')!));
  assert.ok(!cidrsOverlap(parseCidr('10.0.0.0/24')!, parseCidr('10.0.1.0/24')!));
  assert.equal(parseCidr('172.20.1.0/16')!.hadHostBits, true);
  assert.equal(formatCidr(parseCidr('172.20.1.0/16')!), '172.20.0.0/16');
  assert.equal(parseCidr('::/0')!.family, 6);
  assert.equal(formatCidr(parseCidr('2001:db8::/32')!), '2001:db8::/32');
  for (const bad of ['256.0.0.0/8', '1.2.3/8', '1.2.3.4', '1.2.3.4/x', '01.2.3.4/8', ':::/0', '1.2.3.4/8/9', '']) {
    assert.equal(parseCidr(bad), null, bad);
  }
});
