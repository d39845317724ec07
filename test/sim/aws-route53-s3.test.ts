// Route 53 (REST-XML) and S3 (REST, path-style) through the real SDK clients:
// zones and record sets round-trip, changes go PENDING -> INSYNC, objects carry
// MD5 ETags and conditional writes are refused with 412 PreconditionFailed.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import * as r53 from '@aws-sdk/client-route-53';
import * as s3 from '@aws-sdk/client-s3';
import { createHash } from 'node:crypto';
import { rejection, startFixture, waitFor, type SimFixture } from '../helpers/sim-aws.js';

describe('simulated Route 53', () => {
  let f: SimFixture;
  before(async () => {
    f = await startFixture({ speed: 100 });
  });
  after(() => f.close());

  it('creates, gets, lists and deletes hosted zones', async () => {
    const created = await f.route53.send(new r53.CreateHostedZoneCommand({ Name: 'example.com', CallerReference: 'ref-1' }));
    const id = created.HostedZone!.Id!;
    assert.match(id, /^\/hostedzone\/Z[0-9A-F]+$/);
    assert.equal(created.HostedZone?.Name, 'example.com.');
    assert.equal(created.DelegationSet?.NameServers?.length, 4);
    await f.route53.send(new r53.CreateHostedZoneCommand({ Name: 'other.org.', CallerReference: 'ref-2' }));
    const again = await rejection(() => f.route53.send(new r53.CreateHostedZoneCommand({ Name: 'example.com', CallerReference: 'ref-1' })));
    assert.equal(again.name, 'HostedZoneAlreadyExists');
    const got = await f.route53.send(new r53.GetHostedZoneCommand({ Id: id }));
    assert.equal(got.HostedZone?.ResourceRecordSetCount, 2);
    const listed = await f.route53.send(new r53.ListHostedZonesCommand({}));
    assert.deepEqual(listed.HostedZones?.map((z) => z.Name).sort(), ['example.com.', 'other.org.']);
    const byName = await f.route53.send(new r53.ListHostedZonesByNameCommand({ DNSName: 'example.com' }));
    assert.equal(byName.HostedZones?.[0].Name, 'example.com.');
    const otherId = listed.HostedZones!.find((z) => z.Name === 'other.org.')!.Id!;
    await f.route53.send(new r53.DeleteHostedZoneCommand({ Id: otherId }));
    const missing = await rejection(() => f.route53.send(new r53.GetHostedZoneCommand({ Id: otherId })));
    assert.equal(missing.name, 'NoSuchHostedZone');
    assert.equal(missing.$metadata?.httpStatusCode, 404);
  });

  it('changes record sets atomically and reports the change PENDING then INSYNC', async () => {
    const zone = (await f.route53.send(new r53.ListHostedZonesByNameCommand({ DNSName: 'example.com' }))).HostedZones![0];
    const change = await f.route53.send(
      new r53.ChangeResourceRecordSetsCommand({
        HostedZoneId: zone.Id,
        ChangeBatch: {
          Changes: [
            { Action: 'CREATE', ResourceRecordSet: { Name: 'api.c1.example.com', Type: 'A', TTL: 60, ResourceRecords: [{ Value: '203.0.113.10' }] } },
            { Action: 'UPSERT', ResourceRecordSet: { Name: 'api.internal.c1.example.com', Type: 'A', TTL: 60, ResourceRecords: [{ Value: '10.0.0.10' }] } },
          ],
        },
      }),
    );
    assert.equal(change.ChangeInfo?.Status, 'PENDING');
    await waitFor('the change to be INSYNC', async () => (await f.route53.send(new r53.GetChangeCommand({ Id: change.ChangeInfo!.Id! }))).ChangeInfo?.Status === 'INSYNC');
    const records = await f.route53.send(new r53.ListResourceRecordSetsCommand({ HostedZoneId: zone.Id }));
    assert.deepEqual(
      records.ResourceRecordSets?.map((r) => `${r.Name} ${r.Type}`),
      ['example.com. NS', 'example.com. SOA', 'api.c1.example.com. A', 'api.internal.c1.example.com. A'],
    );
    const duplicate = await rejection(() =>
      f.route53.send(
        new r53.ChangeResourceRecordSetsCommand({
          HostedZoneId: zone.Id,
          ChangeBatch: {
            Changes: [
              { Action: 'UPSERT', ResourceRecordSet: { Name: 'new.example.com', Type: 'A', TTL: 60, ResourceRecords: [{ Value: '10.0.0.1' }] } },
              { Action: 'CREATE', ResourceRecordSet: { Name: 'api.c1.example.com', Type: 'A', TTL: 60, ResourceRecords: [{ Value: '10.0.0.2' }] } },
            ],
          },
        }),
      ),
    );
    assert.equal(duplicate.name, 'InvalidChangeBatch');
    const unchanged = await f.route53.send(new r53.ListResourceRecordSetsCommand({ HostedZoneId: zone.Id }));
    assert.equal(unchanged.ResourceRecordSets?.length, 4, 'a rejected batch changes nothing');
    const wrongDelete = await rejection(() =>
      f.route53.send(new r53.ChangeResourceRecordSetsCommand({ HostedZoneId: zone.Id, ChangeBatch: { Changes: [{ Action: 'DELETE', ResourceRecordSet: { Name: 'api.c1.example.com', Type: 'A', TTL: 60, ResourceRecords: [{ Value: '1.1.1.1' }] } }] } })),
    );
    assert.equal(wrongDelete.name, 'InvalidChangeBatch');
    const notEmpty = await rejection(() => f.route53.send(new r53.DeleteHostedZoneCommand({ Id: zone.Id })));
    assert.equal(notEmpty.name, 'HostedZoneNotEmpty');
    await f.route53.send(new r53.ChangeResourceRecordSetsCommand({ HostedZoneId: zone.Id, ChangeBatch: { Changes: [{ Action: 'DELETE', ResourceRecordSet: { Name: 'api.c1.example.com', Type: 'A', TTL: 60, ResourceRecords: [{ Value: '203.0.113.10' }] } }] } }));
    const page = await f.route53.send(new r53.ListResourceRecordSetsCommand({ HostedZoneId: zone.Id, MaxItems: 2 }));
    assert.equal(page.IsTruncated, true);
    assert.equal(page.NextRecordName, 'api.internal.c1.example.com.');
  });
});

describe('simulated S3', () => {
  let f: SimFixture;
  before(async () => {
    f = await startFixture();
  });
  after(() => f.close());

  it('creates and finds buckets', async () => {
    await f.s3.send(new s3.CreateBucketCommand({ Bucket: 'kops-state' }));
    await f.s3.send(new s3.HeadBucketCommand({ Bucket: 'kops-state' }));
    const buckets = await f.s3.send(new s3.ListBucketsCommand({}));
    assert.deepEqual(buckets.Buckets?.map((b) => b.Name), ['kops-state']);
    const missing = await rejection(() => f.s3.send(new s3.HeadBucketCommand({ Bucket: 'nope' })));
    assert.equal(missing.name, 'NotFound');
    const noBucket = await rejection(() => f.s3.send(new s3.GetObjectCommand({ Bucket: 'nope', Key: 'x' })));
    assert.equal(noBucket.name, 'NoSuchBucket');
  });

  it('puts, gets, heads and deletes objects with MD5 ETags', async () => {
    const body = 'apiVersion: kops.k8s.io/v1alpha2\nkind: Cluster\n';
    const etag = `"${createHash('md5').update(body).digest('hex')}"`;
    const put = await f.s3.send(new s3.PutObjectCommand({ Bucket: 'kops-state', Key: 'c1/config', Body: body, ContentType: 'text/yaml' }));
    assert.equal(put.ETag, etag);
    const got = await f.s3.send(new s3.GetObjectCommand({ Bucket: 'kops-state', Key: 'c1/config' }));
    assert.equal(await got.Body?.transformToString(), body);
    assert.equal(got.ETag, etag);
    assert.equal(got.ContentType, 'text/yaml');
    const head = await f.s3.send(new s3.HeadObjectCommand({ Bucket: 'kops-state', Key: 'c1/config' }));
    assert.equal(head.ContentLength, Buffer.byteLength(body));
    await f.s3.send(new s3.DeleteObjectCommand({ Bucket: 'kops-state', Key: 'c1/config' }));
    const gone = await rejection(() => f.s3.send(new s3.GetObjectCommand({ Bucket: 'kops-state', Key: 'c1/config' })));
    assert.equal(gone.name, 'NoSuchKey');
    assert.ok(gone instanceof s3.NoSuchKey);
  });

  it('refuses conditional writes that do not hold with 412 PreconditionFailed', async () => {
    const first = await f.s3.send(new s3.PutObjectCommand({ Bucket: 'kops-state', Key: 'c2/config', Body: 'v1', IfNoneMatch: '*' }));
    const exists = await rejection(() => f.s3.send(new s3.PutObjectCommand({ Bucket: 'kops-state', Key: 'c2/config', Body: 'v1 again', IfNoneMatch: '*' })));
    assert.equal(exists.name, 'PreconditionFailed');
    assert.equal(exists.$metadata?.httpStatusCode, 412);
    const second = await f.s3.send(new s3.PutObjectCommand({ Bucket: 'kops-state', Key: 'c2/config', Body: 'v2', IfMatch: first.ETag }));
    const stale = await rejection(() => f.s3.send(new s3.PutObjectCommand({ Bucket: 'kops-state', Key: 'c2/config', Body: 'v3', IfMatch: first.ETag })));
    assert.equal(stale.name, 'PreconditionFailed');
    const current = await f.s3.send(new s3.GetObjectCommand({ Bucket: 'kops-state', Key: 'c2/config' }));
    assert.equal(await current.Body?.transformToString(), 'v2');
    assert.equal(current.ETag, second.ETag);
  });

  it('keeps the server-side encryption a PUT asks for, answers it on GET and HEAD, and refuses an unknown one', async () => {
    const put = await f.s3.send(new s3.PutObjectCommand({ Bucket: 'kops-state', Key: 'c5/pki/ca.key', Body: 'k', IfNoneMatch: '*', ServerSideEncryption: 'AES256' }));
    assert.equal(put.ServerSideEncryption, 'AES256');
    const got = await f.s3.send(new s3.GetObjectCommand({ Bucket: 'kops-state', Key: 'c5/pki/ca.key' }));
    assert.equal(got.ServerSideEncryption, 'AES256');
    const head = await f.s3.send(new s3.HeadObjectCommand({ Bucket: 'kops-state', Key: 'c5/pki/ca.key' }));
    assert.equal(head.ServerSideEncryption, 'AES256');
    await f.s3.send(new s3.PutObjectCommand({ Bucket: 'kops-state', Key: 'c5/pki/ca.crt', Body: 'c' }));
    const plain = await f.s3.send(new s3.HeadObjectCommand({ Bucket: 'kops-state', Key: 'c5/pki/ca.crt' }));
    assert.equal(plain.ServerSideEncryption, undefined, 'not asked for, not reported (see s3-service.ts)');
    const bad = await rejection(() =>
      f.s3.send(new s3.PutObjectCommand({ Bucket: 'kops-state', Key: 'c5/x', Body: 'x', ServerSideEncryption: 'DES' as s3.ServerSideEncryption })),
    );
    assert.equal(bad.name, 'InvalidArgument');
    assert.equal(bad.$metadata?.httpStatusCode, 400);
    await rejection(() => f.s3.send(new s3.HeadObjectCommand({ Bucket: 'kops-state', Key: 'c5/x' })));
    await f.s3.send(new s3.DeleteObjectCommand({ Bucket: 'kops-state', Key: 'c5/pki/ca.key' }));
    await f.s3.send(new s3.DeleteObjectCommand({ Bucket: 'kops-state', Key: 'c5/pki/ca.crt' }));
  });

  it('lists objects by prefix, page by page', async () => {
    for (let n = 0; n < 7; n++) await f.s3.send(new s3.PutObjectCommand({ Bucket: 'kops-state', Key: `c3/instancegroup/ig${n}`, Body: `ig${n}` }));
    await f.s3.send(new s3.PutObjectCommand({ Bucket: 'kops-state', Key: 'c4/config', Body: 'x' }));
    const keys: string[] = [];
    let pages = 0;
    for await (const page of s3.paginateListObjectsV2({ client: f.s3, pageSize: 3 }, { Bucket: 'kops-state', Prefix: 'c3/' })) {
      pages += 1;
      keys.push(...(page.Contents ?? []).map((o) => o.Key!));
    }
    assert.equal(pages, 3);
    assert.deepEqual(keys, [0, 1, 2, 3, 4, 5, 6].map((n) => `c3/instancegroup/ig${n}`));
    const top = await f.s3.send(new s3.ListObjectsV2Command({ Bucket: 'kops-state', Delimiter: '/' }));
    assert.deepEqual(top.CommonPrefixes?.map((p) => p.Prefix), ['c2/', 'c3/', 'c4/']);
  });
});
