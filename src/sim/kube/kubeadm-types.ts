// A strict decoder for the kubeadm configuration file a simulated machine
// presents at boot (the multi-document YAML `kubeadm init|join --config`
// reads). Strict on purpose: real kubeadm only warns about unknown fields and
// fails late on bad values, while the simulator wants a bootstrap mistake to
// surface at once, each problem naming its path, e.g.
// `JoinConfiguration.discovery.bootstrapToken.caCertHashes[0]: expected a string`.
//
// The field definitions are in kubeadm-fields.ts. kubeadm.k8s.io/v1beta4
// ResetConfiguration and UpgradeConfiguration are refused: kopsdeck's
// bootstrap only initialises and joins nodes, so neither can be right there.
import { isIP } from 'node:net';
import { parseAllDocuments } from 'yaml';
import { KINDS, MOVED_IN_V1BETA4, REQUIRED, STRUCTS, type FieldType } from './kubeadm-fields.js';

export interface KubeadmDocument {
  apiVersion: string;
  kind: string;
  /** The whole document as parsed, apiVersion and kind included. */
  body: Record<string, unknown>;
}

export interface KubeadmDecode {
  /** One per supported document, in file order; the first of a repeated kind only. */
  documents: KubeadmDocument[];
  problems: string[];
}

type Obj = Record<string, unknown>;
const isObject = (value: unknown): value is Obj => value !== null && typeof value === 'object' && !Array.isArray(value);

const KUBEADM_GROUP = 'kubeadm.k8s.io/';
const KUBEADM_V1BETA4 = 'kubeadm.k8s.io/v1beta4';
const NOT_BOOTSTRAP_KINDS = ['ResetConfiguration', 'UpgradeConfiguration'];
const SUPPORTED = KINDS.map((k) => `${k.apiVersion} ${k.kind}`).join(', ');

/** Strict, as the simulator's stricter-than-kubeadm check: unknown fields, wrong types, bad durations, unsupported kinds are all problems, each naming its path, e.g. `JoinConfiguration.discovery.bootstrapToken.caCertHashes[0]: expected a string`. */
export function decodeKubeadmConfig(text: string): KubeadmDecode {
  const documents: KubeadmDocument[] = [];
  const problems: string[] = [];
  const seenIn = new Map<string, number>();
  parseAllDocuments(text).forEach((doc, index) => {
    const where = `document ${index + 1}`;
    if (doc.errors.length > 0) {
      for (const error of doc.errors) problems.push(`${where}: YAML: ${error.message.split('\n')[0].replace(/:$/, '')}`);
      return;
    }
    const value: unknown = doc.toJS();
    if (value === null || value === undefined) return; // an empty document, e.g. a trailing `---`
    const decoded = decodeDocument(value, where, problems);
    if (!decoded) return;
    const first = seenIn.get(decoded.kind);
    if (first !== undefined) {
      problems.push(`${decoded.kind}: appears in documents ${first} and ${index + 1}; each kind may appear once`);
      return;
    }
    seenIn.set(decoded.kind, index + 1);
    documents.push(decoded);
  });
  return { documents, problems };
}

/** The body of the document of that kind, if the file has one. */
export function findDocument(decode: KubeadmDecode, kind: string): Record<string, unknown> | undefined {
  return decode.documents.find((d) => d.kind === kind)?.body;
}

/**
 * kubeadm's bootstrap token format. Kept out of decodeKubeadmConfig because the
 * bootstrap writes a placeholder that the machine replaces with the real token;
 * call this on the token once it is substituted. The problem never quotes the
 * token, which is a secret.
 */
export function kubeadmTokenProblems(token: string): string[] {
  return /^[a-z0-9]{6}\.[a-z0-9]{16}$/.test(token) ? [] : ['bootstrap token: expected kubeadm\'s form [a-z0-9]{6}.[a-z0-9]{16} (a 6-character id, a dot, a 16-character secret)'];
}

function decodeDocument(value: unknown, where: string, problems: string[]): KubeadmDocument | undefined {
  if (!isObject(value)) {
    problems.push(`${where}: expected a mapping with apiVersion and kind`);
    return undefined;
  }
  const { apiVersion, kind } = value;
  if (typeof apiVersion !== 'string' || typeof kind !== 'string') {
    problems.push(`${where}: apiVersion and kind must both be set as strings`);
    return undefined;
  }
  const reason = unsupportedReason(apiVersion, kind);
  if (reason) {
    problems.push(`${where}: ${reason}`);
    return undefined;
  }
  checkStruct(value, kind, kind, problems, true);
  SEMANTICS[kind]?.(value, problems);
  return { apiVersion, kind, body: value };
}

function unsupportedReason(apiVersion: string, kind: string): string | undefined {
  if (KINDS.some((k) => k.apiVersion === apiVersion && k.kind === kind)) return undefined;
  const what = `${apiVersion} ${kind}`;
  if (apiVersion === KUBEADM_V1BETA4 && NOT_BOOTSTRAP_KINDS.includes(kind)) return `${what} is not supported by kopsdeck's bootstrap, which only initialises and joins nodes`;
  if (apiVersion.startsWith(KUBEADM_GROUP) && apiVersion !== KUBEADM_V1BETA4) {
    return `${what} is not supported: kubeadm 1.31+ still reads older kubeadm APIs, but kopsdeck must write ${KUBEADM_V1BETA4}; supported: ${SUPPORTED}`;
  }
  return `unsupported apiVersion/kind ${what}; supported: ${SUPPORTED}`;
}

// ---- structure: field names and types ----

function checkStruct(value: Obj, structName: string, path: string, problems: string[], topLevel = false): void {
  const fields = STRUCTS[structName];
  if (!fields) throw new Error(`kubeadm-fields.ts names an undefined struct ${structName}`);
  for (const [key, field] of Object.entries(value)) {
    if (topLevel && (key === 'apiVersion' || key === 'kind')) continue;
    const type = fields[key];
    if (type) checkValue(field, type, `${path}.${key}`, problems);
    else problems.push(`${path}.${key}: unknown field${hint(MOVED_IN_V1BETA4[`${structName}.${key}`])}`);
  }
  for (const key of REQUIRED[structName] ?? []) {
    if (value[key] === undefined || value[key] === null || value[key] === '') problems.push(`${path}.${key}: required`);
  }
}

const hint = (text: string | undefined): string => (text ? ` (${text})` : '');

/** Go's JSON decoding leaves a field unset on null, so null passes everywhere. */
function checkValue(value: unknown, type: FieldType, path: string, problems: string[]): void {
  if (value === null) return;
  const problem = typeof type === 'string' ? scalarProblem(value, type) : undefined;
  if (problem) return void problems.push(`${path}: ${problem}`);
  if (typeof type === 'string') return;
  if ('enum' in type) return enumCheck(value, type.enum, path, problems);
  if ('list' in type) return listCheck(value, type.list, path, problems);
  if (!isObject(value)) return void problems.push(`${path}: expected a mapping`);
  if ('map' in type) for (const [key, item] of Object.entries(value)) checkValue(item, type.map, `${path}.${key}`, problems);
  else checkStruct(value, type.struct, path, problems);
}

function scalarProblem(value: unknown, type: Exclude<FieldType, object>): string | undefined {
  switch (type) {
    case 'string': return typeof value === 'string' ? undefined : 'expected a string';
    case 'bool': return typeof value === 'boolean' ? undefined : 'expected a bool (true or false)';
    case 'float': return typeof value === 'number' ? undefined : 'expected a number';
    case 'int32': case 'int64': return integerProblem(value, type);
    case 'duration': return typeof value === 'string' && isGoDuration(value) ? undefined : 'expected a Go duration string such as "4m0s", "30s" or "1h"';
    case 'time': return typeof value === 'string' && isRfc3339(value) ? undefined : 'expected an RFC 3339 time such as "2026-01-02T15:04:05Z"';
    case 'object': return isObject(value) ? undefined : 'expected a mapping';
  }
}

function integerProblem(value: unknown, type: 'int32' | 'int64'): string | undefined {
  if (typeof value !== 'number' || !Number.isInteger(value)) return 'expected an integer';
  if (type === 'int32' && (value < -(2 ** 31) || value >= 2 ** 31)) return 'out of int32 range';
  return undefined;
}

function enumCheck(value: unknown, allowed: readonly string[], path: string, problems: string[]): void {
  if (typeof value !== 'string') problems.push(`${path}: expected a string`);
  else if (!allowed.includes(value)) problems.push(`${path}: unsupported value ${JSON.stringify(value)}; expected one of ${allowed.map((a) => JSON.stringify(a)).join(', ')}`);
}

function listCheck(value: unknown, item: FieldType, path: string, problems: string[]): void {
  if (Array.isArray(value)) return value.forEach((v, i) => checkValue(v, item, `${path}[${i}]`, problems));
  const of = typeof item === 'object' && 'struct' in item ? item.struct : '';
  // v1beta3 wrote extraArgs and kubeletExtraArgs as string maps; v1beta4 made them lists to allow repeated flags.
  if (of === 'Arg' && isObject(value)) problems.push(`${path}: expected a list of {name, value}; a map here is the v1beta3 shape`);
  else problems.push(`${path}: expected a list${of === 'Arg' || of === 'EnvVar' ? ' of {name, value}' : ''}`);
}

// Go's time.ParseDuration: an optional sign, then "0" or one or more
// decimal numbers each with a unit.
const GO_DURATION = /^[-+]?(0|((\d+(\.\d*)?|\.\d+)(ns|us|µs|μs|ms|s|m|h))+)$/;
const isGoDuration = (text: string): boolean => GO_DURATION.test(text);

const RFC3339 = /^(\d{4})-(\d{2})-(\d{2})[Tt](\d{2}):(\d{2}):(\d{2})(\.\d+)?([Zz]|[+-]\d{2}:\d{2})$/;
function isRfc3339(text: string): boolean {
  const m = RFC3339.exec(text);
  if (!m) return false;
  const [year, month, day, hour, minute, second] = m.slice(1, 7).map(Number);
  const daysInMonth = new Date(Date.UTC(year, month, 0)).getUTCDate();
  return month >= 1 && month <= 12 && day >= 1 && day <= daysInMonth && hour <= 23 && minute <= 59 && second <= 59;
}

// ---- semantics: the checks kubeadm's validation makes that a bootstrap can get wrong ----

/** Walks down mappings; undefined as soon as a step is not one. */
function at(value: unknown, ...keys: string[]): unknown {
  let current = value;
  for (const key of keys) current = isObject(current) ? current[key] : undefined;
  return current;
}

const SEMANTICS: Record<string, (body: Obj, problems: string[]) => void> = {
  ClusterConfiguration: clusterSemantics,
  JoinConfiguration: joinSemantics,
};

function clusterSemantics(body: Obj, problems: string[]): void {
  for (const field of ['podSubnet', 'serviceSubnet']) {
    const value = at(body, 'networking', field);
    if (typeof value === 'string' && value !== '') problems.push(...cidrListProblems(value).map((p) => `ClusterConfiguration.networking.${field}: ${p}`));
  }
  const endpoint = body.controlPlaneEndpoint;
  if (typeof endpoint === 'string' && endpoint !== '') {
    const problem = hostPortProblem(endpoint, false);
    if (problem) problems.push(`ClusterConfiguration.controlPlaneEndpoint: ${problem}`);
  }
  if (isObject(at(body, 'etcd', 'local')) && isObject(at(body, 'etcd', 'external'))) problems.push('ClusterConfiguration.etcd: local and external are mutually exclusive');
}

function joinSemantics(body: Obj, problems: string[]): void {
  const path = 'JoinConfiguration.discovery';
  const discovery = body.discovery;
  if (!isObject(discovery)) {
    if (discovery === undefined || discovery === null) problems.push(`${path}: required, with exactly one of bootstrapToken or file`);
    return;
  }
  const token = discovery.bootstrapToken;
  const hasToken = isObject(token);
  if (hasToken === isObject(discovery.file)) problems.push(`${path}: exactly one of bootstrapToken or file must be set (${hasToken ? 'both are' : 'neither is'})`);
  if (hasToken) tokenDiscoveryProblems(token, `${path}.bootstrapToken`, problems);
}

function tokenDiscoveryProblems(token: Obj, path: string, problems: string[]): void {
  const endpoint = token.apiServerEndpoint;
  if (typeof endpoint === 'string' && endpoint !== '') {
    const problem = hostPortProblem(endpoint, true);
    if (problem) problems.push(`${path}.apiServerEndpoint: ${problem}`);
  }
  const hashes = token.caCertHashes;
  if (Array.isArray(hashes)) {
    hashes.forEach((h, i) => {
      if (typeof h === 'string' && !/^sha256:[0-9a-f]{64}$/.test(h)) problems.push(`${path}.caCertHashes[${i}]: expected sha256:<64 lowercase hex digits>`);
    });
  }
  const pinned = Array.isArray(hashes) && hashes.length > 0;
  if (!pinned && token.unsafeSkipCAVerification !== true) problems.push(`${path}.caCertHashes: required unless unsafeSkipCAVerification is true (kubeadm refuses unpinned token discovery)`);
}

/** kubeadm takes one CIDR, or two of different families for dual stack, comma-separated. */
function cidrListProblems(text: string): string[] {
  const parts = text.split(',');
  const families = parts.map(cidrFamily);
  const problems = parts.flatMap((part, i) => (families[i] ? [] : [`${JSON.stringify(part)} is not a CIDR`]));
  if (problems.length > 0) return problems;
  if (parts.length > 2 || (parts.length === 2 && families[0] === families[1])) return ['expected one CIDR, or two (one IPv4, one IPv6) for dual stack'];
  return [];
}

function cidrFamily(text: string): 4 | 6 | undefined {
  const [address, prefix, extra] = text.split('/');
  const family = isIP(address ?? '');
  if (extra !== undefined || prefix === undefined || !/^\d{1,3}$/.test(prefix) || family === 0) return undefined;
  return Number(prefix) <= (family === 4 ? 32 : 128) ? (family as 4 | 6) : undefined;
}

/** `host` or `host:port` (`[v6]:port` for IPv6), as kubeadm's ParseHostPort; the port is required where kubeadm needs one. */
function hostPortProblem(text: string, portRequired: boolean): string | undefined {
  const bracketed = /^\[([^\]]+)\](?::(.*))?$/.exec(text);
  let host = text;
  let port: string | undefined;
  if (bracketed) [, host, port] = bracketed;
  else if (text.split(':').length === 2) [host, port] = text.split(':');
  if (port === undefined && portRequired) return 'expected host:port';
  if (port !== undefined && !(/^\d{1,5}$/.test(port) && Number(port) >= 1 && Number(port) <= 65535)) return `port ${JSON.stringify(port)} must be 1-65535`;
  if (isIP(host) !== 0 || isDnsSubdomain(host)) return undefined;
  return `host ${JSON.stringify(host)} must be an IP address or an RFC 1123 DNS subdomain`;
}

const DNS_SUBDOMAIN = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;
const isDnsSubdomain = (host: string): boolean => host.length <= 253 && DNS_SUBDOMAIN.test(host);
