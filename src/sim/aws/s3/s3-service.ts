// S3 over REST, path-style (/bucket/key): buckets and objects with quoted-MD5
// ETags and conditional requests (If-None-Match: * and If-Match), which is
// what makes the state store safe for two editors.
import { AwsError } from '../aws-error.js';
import { tryDecodeUri } from '../../uri.js';
import { sendXml, type AwsRequest, type AwsService } from '../aws-service.js';
import { escapeXml, xmlDocument, type XmlValue } from '../xml.js';
import type { Bucket, S3Object } from '../world/types.js';
import { decodeAwsChunked, isAwsChunked } from './s3-body.js';

const XMLNS = 'http://s3.amazonaws.com/doc/2006-03-01/';
const OWNER = { ID: '75aa57f09aa0c8caeab4f8c24e99d10f8e7faeebf76c078efc7c6caea54ba06a', DisplayName: 'kopsdeck' };
const flattened = new Set(['Contents', 'CommonPrefixes']);
const itemName = (list: string) => (flattened.has(list) ? null : list === 'Buckets' ? 'Bucket' : 'member');

interface Target {
  bucket?: string;
  key?: string;
}

function targetOf(request: AwsRequest): Target {
  const [, bucket, ...rest] = request.url.pathname.split('/');
  return { bucket: bucket ? decodeOrRefuse(bucket) : undefined, key: rest.length && rest.join('/') ? decodeOrRefuse(rest.join('/')) : undefined };
}

/** S3 answers a malformed escape with 400 InvalidURI. */
function decodeOrRefuse(text: string): string {
  const decoded = tryDecodeUri(text);
  if (decoded === undefined) throw new AwsError('InvalidURI', "Couldn't parse the specified URI.", 400);
  return decoded;
}

const precondition = () => new AwsError('PreconditionFailed', 'At least one of the pre-conditions you specified did not hold', 412);

export class S3Service implements AwsService {
  readonly name = 's3';
  readonly throttleError = { code: 'SlowDown', status: 503 };

  action(request: AwsRequest): string {
    const { bucket, key } = targetOf(request);
    const { method } = request;
    if (!bucket) {
      if (method === 'GET') return 'ListBuckets';
    } else if (!key) {
      if (method === 'PUT') return 'CreateBucket';
      if (method === 'HEAD') return 'HeadBucket';
      if (method === 'DELETE') return 'DeleteBucket';
      if (method === 'GET') return request.url.searchParams.has('location') ? 'GetBucketLocation' : request.url.searchParams.get('list-type') === '2' ? 'ListObjectsV2' : 'ListObjects';
    } else {
      if (method === 'PUT') return 'PutObject';
      if (method === 'GET') return 'GetObject';
      if (method === 'HEAD') return 'HeadObject';
      if (method === 'DELETE') return 'DeleteObject';
    }
    throw new AwsError('NotImplemented', `A header or query you provided implies functionality that is not implemented (${method} ${request.url.pathname})`, 501);
  }

  handle(request: AwsRequest, action: string): void {
    // S3 signs the payload's hash in its own header; a SigV4 request without it is refused, as on AWS.
    if (request.req.headers['x-amz-content-sha256'] === undefined) {
      throw new AwsError('InvalidRequest', 'Missing required header for this request: x-amz-content-sha256', 400);
    }
    const { bucket: bucketName, key } = targetOf(request);
    const { world } = request;
    const buckets = world.state.buckets;
    if (action === 'ListBuckets') {
      const list = Object.values(buckets).sort((a, b) => a.name.localeCompare(b.name));
      return this.xml(request, 'ListAllMyBucketsResult', { Owner: OWNER, Buckets: list.map((b) => ({ Name: b.name, CreationDate: new Date(b.createdAt).toISOString(), BucketRegion: b.region })) });
    }
    if (action === 'CreateBucket') {
      const existing = buckets[bucketName!];
      if (existing) {
        if (request.region === 'us-east-1' && existing.region === 'us-east-1') return this.empty(request, 200, { location: `/${bucketName}` });
        throw new AwsError('BucketAlreadyOwnedByYou', 'Your previous request to create the named bucket succeeded and you already own it.', 409);
      }
      if (!/^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/.test(bucketName!)) throw new AwsError('InvalidBucketName', 'The specified bucket is not valid.', 400);
      buckets[bucketName!] = { name: bucketName!, region: request.region, createdAt: world.now(), objects: {} };
      world.changed();
      return this.empty(request, 200, { location: `/${bucketName}` });
    }
    const bucket = buckets[bucketName!];
    if (!bucket) throw new AwsError('NoSuchBucket', 'The specified bucket does not exist', 404);
    // A request signed for another region than the bucket's: S3 redirects it, naming the bucket's region (the SDK follows it).
    if (request.region !== bucket.region) {
      throw new AwsError('PermanentRedirect', 'The bucket you are attempting to access must be addressed using the specified endpoint. Please send all future requests to this endpoint.', 301, {
        'x-amz-bucket-region': bucket.region,
      });
    }
    switch (action) {
      case 'HeadBucket':
        return this.empty(request, 200, { 'x-amz-bucket-region': bucket.region });
      case 'GetBucketLocation':
        return sendXml(request, 200, `<?xml version="1.0" encoding="UTF-8"?>\n<LocationConstraint xmlns="${XMLNS}">${bucket.region === 'us-east-1' ? '' : bucket.region}</LocationConstraint>`);
      case 'DeleteBucket':
        if (Object.keys(bucket.objects).length) throw new AwsError('BucketNotEmpty', 'The bucket you tried to delete is not empty', 409);
        delete buckets[bucket.name];
        world.changed();
        return this.empty(request, 204);
      case 'ListObjectsV2':
      case 'ListObjects':
        return this.list(request, bucket);
      case 'PutObject':
        return this.put(request, bucket, key!);
      case 'GetObject':
      case 'HeadObject':
        return this.get(request, bucket, key!);
      case 'DeleteObject': {
        const existing = bucket.objects[key!];
        const ifMatch = request.req.headers['if-match'];
        if (ifMatch !== undefined && (!existing || !etagMatches(String(ifMatch), existing.etag))) throw precondition();
        if (existing) {
          delete bucket.objects[key!];
          world.changed();
        }
        return this.empty(request, 204);
      }
    }
  }

  sendError(request: AwsRequest, error: AwsError): void {
    // The error may be that the path cannot be decoded: read it here without throwing.
    const [, rawBucket, ...rest] = request.url.pathname.split('/');
    const bucket = tryDecodeUri(rawBucket ?? '');
    const key = tryDecodeUri(rest.join('/'));
    const detail = error.code === 'NoSuchKey' ? `<Key>${escapeXml(key ?? '')}</Key>` : error.code === 'NoSuchBucket' ? `<BucketName>${escapeXml(bucket ?? '')}</BucketName>` : '';
    const xml = `<?xml version="1.0" encoding="UTF-8"?>\n<Error><Code>${escapeXml(error.code)}</Code><Message>${escapeXml(error.message)}</Message>${detail}<RequestId>${request.requestId}</RequestId></Error>`;
    sendXml(request, error.status, xml, { ...error.headers, 'x-amz-request-id': request.requestId });
  }

  private put(request: AwsRequest, bucket: Bucket, key: string): void {
    const headers = request.req.headers;
    const existing = bucket.objects[key];
    const ifNoneMatch = headers['if-none-match'];
    const ifMatch = headers['if-match'];
    if (ifNoneMatch !== undefined && String(ifNoneMatch).trim() === '*' && existing) throw precondition();
    if (ifMatch !== undefined) {
      if (!existing) throw new AwsError('NoSuchKey', 'The specified key does not exist.', 404);
      if (!etagMatches(String(ifMatch), existing.etag)) throw precondition();
    }
    const encryption = requestedEncryption(headers['x-amz-server-side-encryption']);
    const data = isAwsChunked(request.req) ? decodeAwsChunked(request.body) : request.body;
    const object = request.world.putObject(bucket, key, data, {
      contentType: headers['content-type'] ? String(headers['content-type']) : undefined,
      serverSideEncryption: encryption,
    });
    this.empty(request, 200, { etag: object.etag, ...encryptionHeader(object) });
  }

  private get(request: AwsRequest, bucket: Bucket, key: string): void {
    const object = bucket.objects[key];
    if (!object) throw new AwsError('NoSuchKey', 'The specified key does not exist.', 404);
    const ifMatch = request.req.headers['if-match'];
    const ifNoneMatch = request.req.headers['if-none-match'];
    if (ifMatch !== undefined && !etagMatches(String(ifMatch), object.etag)) throw precondition();
    if (ifNoneMatch !== undefined && etagMatches(String(ifNoneMatch), object.etag)) return this.empty(request, 304, { etag: object.etag });
    const data = Buffer.from(object.body, 'base64');
    request.res.writeHead(200, {
      'content-type': object.contentType ?? 'binary/octet-stream',
      'content-length': data.length,
      etag: object.etag,
      'last-modified': new Date(object.lastModified).toUTCString(),
      'accept-ranges': 'bytes',
      'x-amz-request-id': request.requestId,
      ...encryptionHeader(object),
    });
    request.res.end(request.method === 'HEAD' ? undefined : data);
  }

  private list(request: AwsRequest, bucket: Bucket): void {
    const q = request.url.searchParams;
    const prefix = q.get('prefix') ?? '';
    const delimiter = q.get('delimiter') ?? '';
    const maxKeys = Math.min(Number(q.get('max-keys') ?? 1000), 1000);
    const token = q.get('continuation-token');
    const after = token ? Buffer.from(token, 'base64url').toString('utf8') : (q.get('start-after') ?? q.get('marker') ?? '');
    const keys = Object.keys(bucket.objects).filter((k) => k.startsWith(prefix) && k > after).sort();
    const contents: string[] = [];
    const prefixes = new Set<string>();
    let last = '';
    let truncated = false;
    for (const key of keys) {
      if (contents.length + prefixes.size >= maxKeys) {
        truncated = true;
        break;
      }
      const cut = delimiter ? key.indexOf(delimiter, prefix.length) : -1;
      if (cut >= 0) {
        const common = key.slice(0, cut + delimiter.length);
        if (prefixes.has(common)) continue;
        prefixes.add(common);
      } else {
        contents.push(key);
      }
      last = key;
    }
    const v2 = q.get('list-type') === '2';
    const result: { [key: string]: XmlValue } = {
      Name: bucket.name,
      Prefix: prefix,
      Delimiter: delimiter || undefined,
      MaxKeys: maxKeys,
      KeyCount: v2 ? contents.length + prefixes.size : undefined,
      IsTruncated: truncated,
      ContinuationToken: v2 ? (token ?? undefined) : undefined,
      NextContinuationToken: v2 && truncated ? Buffer.from(last, 'utf8').toString('base64url') : undefined,
      NextMarker: !v2 && truncated ? last : undefined,
      Contents: contents.map((key) => {
        const o = bucket.objects[key];
        return { Key: key, LastModified: new Date(o.lastModified).toISOString(), ETag: o.etag, Size: Buffer.from(o.body, 'base64').length, StorageClass: 'STANDARD' };
      }),
      CommonPrefixes: [...prefixes].map((p) => ({ Prefix: p })),
    };
    this.xml(request, 'ListBucketResult', result);
  }

  private xml(request: AwsRequest, root: string, value: { [key: string]: XmlValue }): void {
    sendXml(request, 200, xmlDocument(root, value, itemName, XMLNS), { 'x-amz-request-id': request.requestId });
  }

  private empty(request: AwsRequest, status: number, headers: Record<string, string> = {}): void {
    request.res.writeHead(status, { 'content-length': 0, 'x-amz-request-id': request.requestId, ...headers });
    request.res.end();
  }
}

const ENCRYPTIONS = ['AES256', 'aws:kms', 'aws:kms:dsse'];

/** The encryption a PUT asks for; S3 refuses any other value with 400 InvalidArgument. */
function requestedEncryption(header: string | string[] | undefined): string | undefined {
  if (header === undefined) return undefined;
  const value = String(header).trim();
  if (!ENCRYPTIONS.includes(value)) throw new AwsError('InvalidArgument', `The encryption method specified is not supported: ${value}`, 400);
  return value;
}

/**
 * AWS encrypts every new object with SSE-S3 since January 2023 and always
 * answers this header; the simulator answers it only when the PUT asked, so
 * that a test can see what a writer requested.
 */
function encryptionHeader(object: S3Object): Record<string, string> {
  return object.serverSideEncryption ? { 'x-amz-server-side-encryption': object.serverSideEncryption } : {};
}

function etagMatches(header: string, etag: string): boolean {
  return header.split(',').some((candidate) => {
    const trimmed = candidate.trim();
    return trimmed === '*' || trimmed === etag || `"${trimmed}"` === etag;
  });
}
