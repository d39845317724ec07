// EC2 key pairs: ImportKeyPair (OpenSSH RSA or ED25519 public keys, with
// EC2's fingerprints), DescribeKeyPairs (InvalidKeyPair.NotFound for a name or
// id that does not exist) and DeleteKeyPair (a missing name is not an error,
// as on EC2; a missing id is).
import { createHash, createPublicKey } from 'node:crypto';
import { AwsError } from '../aws-error.js';
import { ec2Tags, isoTime } from '../query-protocol.js';
import { filterResources, type Fields } from '../world/filters.js';
import type { KeyPair } from '../world/iam-types.js';
import { ec2ResultReturn, filtersOf, inRegion, tagSpecTags, type Ec2Context, type Ec2Handler } from './ec2-common.js';

const badFormat = () => new AwsError('InvalidKey.Format', 'Key is not in valid OpenSSH public key format');

/** The SSH wire format: length-prefixed fields. */
function sshFields(blob: Buffer): Buffer[] {
  const fields: Buffer[] = [];
  for (let at = 0; at < blob.length; ) {
    if (at + 4 > blob.length) throw badFormat();
    const length = blob.readUInt32BE(at);
    if (at + 4 + length > blob.length) throw badFormat();
    fields.push(blob.subarray(at + 4, at + 4 + length));
    at += 4 + length;
  }
  return fields;
}

const colonHex = (bytes: Buffer): string => [...bytes].map((b) => b.toString(16).padStart(2, '0')).join(':');

/** Reads an OpenSSH public key line; EC2's fingerprint of an imported key: MD5 of the DER key (RSA), SHA-256 in base64 (ED25519). */
export function readPublicKey(text: string): Pick<KeyPair, 'keyType' | 'fingerprint' | 'publicKey'> {
  const [type, data] = text.trim().split(/\s+/);
  if (!data || (type !== 'ssh-rsa' && type !== 'ssh-ed25519')) throw badFormat();
  const blob = Buffer.from(data, 'base64');
  const fields = sshFields(blob);
  if (fields[0]?.toString('latin1') !== type) throw badFormat();
  if (type === 'ssh-ed25519') {
    if (fields[1]?.length !== 32) throw badFormat();
    return { keyType: 'ed25519', fingerprint: createHash('sha256').update(blob).digest('base64'), publicKey: text.trim() };
  }
  const [, e, n] = fields;
  if (!e || !n) throw badFormat();
  const b64url = (b: Buffer) => b.subarray(b[0] === 0 ? 1 : 0).toString('base64url');
  let der: Buffer;
  try {
    der = createPublicKey({ key: { kty: 'RSA', e: b64url(e), n: b64url(n) }, format: 'jwk' }).export({ type: 'spki', format: 'der' });
  } catch {
    throw badFormat();
  }
  return { keyType: 'rsa', fingerprint: colonHex(createHash('md5').update(der).digest()), publicKey: text.trim() };
}

function keyXml(pair: KeyPair, includePublicKey: boolean) {
  return {
    keyPairId: pair.id,
    keyFingerprint: pair.fingerprint,
    keyName: pair.name,
    keyType: pair.keyType,
    tagSet: ec2Tags(pair.tags),
    createTime: isoTime(pair.createdAt),
    publicKey: includePublicKey ? pair.publicKey : undefined,
  };
}

export const importKeyPair: Ec2Handler = ({ params, region, world }) => {
  const name = params.required('KeyName');
  if (name.length > 255) throw new AwsError('InvalidParameterValue', `Value (${name}) for parameter keyName is invalid. Length exceeds maximum of 255.`);
  if (inRegion(world.state.keyPairs, region).some((k) => k.name === name)) throw new AwsError('InvalidKeyPair.Duplicate', `The keypair '${name}' already exists.`);
  const material = Buffer.from(params.required('PublicKeyMaterial'), 'base64').toString('utf8');
  const pair: KeyPair = { id: world.newId('key'), region, name, createdAt: world.now(), tags: tagSpecTags(params, 'key-pair'), ...readPublicKey(material) };
  world.state.keyPairs[pair.id] = pair;
  world.changed();
  return { keyFingerprint: pair.fingerprint, keyName: pair.name, keyPairId: pair.id, tagSet: ec2Tags(pair.tags) };
};

const readKeyPair: Fields<KeyPair> = {
  'key-name': (k) => [k.name],
  'key-pair-id': (k) => [k.id],
  fingerprint: (k) => [k.fingerprint],
  'key-type': (k) => [k.keyType],
};

export const describeKeyPairs: Ec2Handler = ({ params, region, world }) => {
  const pairs = inRegion(world.state.keyPairs, region);
  const names = params.strings('KeyName');
  const ids = params.strings('KeyPairId');
  for (const name of names) if (!pairs.some((k) => k.name === name)) throw new AwsError('InvalidKeyPair.NotFound', `The key pair '${name}' does not exist`);
  for (const id of ids) if (!pairs.some((k) => k.id === id)) throw new AwsError('InvalidKeyPair.NotFound', `The key pair ID '${id}' does not exist`);
  const named = pairs.filter((k) => (names.length === 0 || names.includes(k.name)) && (ids.length === 0 || ids.includes(k.id)));
  const matching = filterResources(named, filtersOf(params), readKeyPair);
  return { keySet: matching.map((k) => keyXml(k, params.bool('IncludePublicKey') ?? false)) };
};

export const deleteKeyPair: Ec2Handler = (ctx: Ec2Context) => {
  const { params, region, world } = ctx;
  const id = params.str('KeyPairId');
  const name = params.str('KeyName');
  if (!id && !name) throw new AwsError('MissingParameter', 'The request must contain the parameter KeyName or KeyPairId');
  const pairs = inRegion(world.state.keyPairs, region);
  const found = id ? pairs.find((k) => k.id === id) : pairs.find((k) => k.name === name);
  if (!found && id) throw new AwsError('InvalidKeyPair.NotFound', `The key pair ID '${id}' does not exist`);
  if (found) {
    delete world.state.keyPairs[found.id];
    world.changed();
  }
  return { ...ec2ResultReturn(), keyPairId: found?.id };
};
