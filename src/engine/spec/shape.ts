// Structural checks: is this value shaped like a Cluster / InstanceGroup, with
// every field kopsdeck models present and of the right type? These run on any
// value (parsed YAML, an object from code, garbage) and never throw. Semantic
// rules (CIDRs, zones, counts) live in validate-*.ts.
import { childPath, specError, type SpecError } from './spec-error.js';
import {
  DNS_TYPES,
  INSTANCE_GROUP_ROLES,
  KOPS_API_VERSION,
  SUBNET_TYPES,
  type Unknown,
} from './types.js';

export function isRecord(value: unknown): value is Unknown {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

type Need = 'required' | 'optional';

/** Collects shape errors for one document. */
class ShapeChecker {
  readonly errors: SpecError[] = [];

  private missing(path: string, hint: string): void {
    this.errors.push(specError(path, `is required: ${hint}`));
  }

  record(obj: Unknown, key: string, path: string, need: Need, hint: string): Unknown | undefined {
    const value = obj[key];
    const at = childPath(path, key);
    if (value === undefined || value === null) {
      if (need === 'required') this.missing(at, hint);
      return undefined;
    }
    if (!isRecord(value)) {
      this.errors.push(specError(at, `must be a mapping (key: value pairs): ${hint}`));
      return undefined;
    }
    return value;
  }

  /** The value when it is text (of `oneOf`, if given); undefined otherwise. */
  string(obj: Unknown, key: string, path: string, need: Need, hint: string, oneOf?: readonly string[]): string | undefined {
    const value = obj[key];
    const at = childPath(path, key);
    if (value === undefined || value === null) {
      if (need === 'required') this.missing(at, hint);
    } else if (typeof value !== 'string') {
      this.errors.push(specError(at, `must be text, got ${describe(value)}: ${hint}`));
    } else if (oneOf && !oneOf.includes(value)) {
      this.errors.push(specError(at, `must be one of ${oneOf.join(', ')}, got "${value}"`));
    } else {
      return value;
    }
    return undefined;
  }

  integer(obj: Unknown, key: string, path: string, need: Need, hint: string): void {
    const value = obj[key];
    const at = childPath(path, key);
    if (value === undefined || value === null) {
      if (need === 'required') this.missing(at, hint);
    } else if (typeof value !== 'number' || !Number.isInteger(value)) {
      this.errors.push(specError(at, `must be a whole number, got ${describe(value)}: ${hint}`));
    }
  }

  boolean(obj: Unknown, key: string, path: string): void {
    const value = obj[key];
    if (value !== undefined && value !== null && typeof value !== 'boolean') {
      this.errors.push(specError(childPath(path, key), `must be true or false, got ${describe(value)}`));
    }
  }

  intOrPercent(obj: Unknown, key: string, path: string): void {
    const value = obj[key];
    if (value === undefined || value === null) return;
    const fine =
      (typeof value === 'number' && Number.isInteger(value) && value >= 0) ||
      (typeof value === 'string' && /^(100|[1-9]?\d)%$/.test(value));
    if (!fine) {
      this.errors.push(
        specError(childPath(path, key), `must be a whole number of instances (like 1) or a percentage (like 25%), got ${describe(value)}`),
      );
    }
  }

  list(obj: Unknown, key: string, path: string, need: Need, hint: string): unknown[] | undefined {
    const value = obj[key];
    const at = childPath(path, key);
    if (value === undefined || value === null) {
      if (need === 'required') this.missing(at, hint);
      return undefined;
    }
    if (!Array.isArray(value)) {
      this.errors.push(specError(at, `must be a list, got ${describe(value)}: ${hint}`));
      return undefined;
    }
    return value;
  }

  stringList(obj: Unknown, key: string, path: string, need: Need, hint: string): void {
    const items = this.list(obj, key, path, need, hint);
    items?.forEach((item, i) => {
      if (typeof item !== 'string') {
        this.errors.push(specError(childPath(childPath(path, key), i), `must be text, got ${describe(item)}: ${hint}`));
      }
    });
  }

  stringMap(obj: Unknown, key: string, path: string, need: Need, hint: string): void {
    const map = this.record(obj, key, path, need, hint);
    if (!map) return;
    for (const [k, v] of Object.entries(map)) {
      if (typeof v !== 'string') {
        this.errors.push(specError(childPath(childPath(path, key), k), `must be text, got ${describe(v)}`));
      }
    }
  }

  header(doc: Unknown, kind: string): void {
    if (doc.apiVersion !== KOPS_API_VERSION) {
      this.errors.push(
        specError('apiVersion', `must be ${KOPS_API_VERSION}, got ${describe(doc.apiVersion)}`),
      );
    }
    if (doc.kind !== kind) this.errors.push(specError('kind', `must be ${kind}, got ${describe(doc.kind)}`));
  }
}

/** A short description of a value for messages: "the number 3", "a list", "nothing". */
export function describe(value: unknown): string {
  if (value === undefined || value === null) return 'nothing';
  if (typeof value === 'string') return `"${value.length > 40 ? value.slice(0, 40) + '…' : value}"`;
  if (typeof value === 'number' || typeof value === 'boolean' || typeof value === 'bigint') return `the ${typeof value} ${String(value)}`;
  if (Array.isArray(value)) return 'a list';
  if (typeof value === 'object') return 'a mapping';
  return `a ${typeof value}`;
}

export function checkClusterShape(doc: unknown): SpecError[] {
  const c = new ShapeChecker();
  if (!isRecord(doc)) return [specError('', `a Cluster must be a YAML mapping with apiVersion, kind, metadata and spec, got ${describe(doc)}`)];
  c.header(doc, 'Cluster');
  const metadata = c.record(doc, 'metadata', '', 'required', 'the cluster name, e.g. metadata: { name: demo.example.com }');
  if (metadata) c.string(metadata, 'name', 'metadata', 'required', 'a DNS name such as demo.example.com');
  const spec = c.record(doc, 'spec', '', 'required', 'the cluster spec');
  if (!spec) return c.errors;
  const p = 'spec';
  c.string(spec, 'kubernetesVersion', p, 'required', 'a version such as 1.32.5');
  c.string(spec, 'cloudProvider', p, 'required', 'aws');
  c.string(spec, 'networkCIDR', p, 'required', 'the VPC range, e.g. 172.20.0.0/16');
  c.string(spec, 'networkID', p, 'optional', 'an existing VPC id such as vpc-0abc');
  c.string(spec, 'dnsZone', p, 'optional', 'a Route 53 zone such as example.com');
  c.string(spec, 'sshKeyName', p, 'optional', 'an EC2 key pair name');
  const subnets = c.list(spec, 'subnets', p, 'required', 'one entry per zone with name, zone, type and cidr');
  subnets?.forEach((subnet, i) => checkSubnet(c, subnet, childPath('spec.subnets', i)));
  const topology = c.record(spec, 'topology', p, 'required', 'topology: { dns: { type: Public } }');
  if (topology) {
    const dns = c.record(topology, 'dns', 'spec.topology', 'required', 'dns: { type: Public } (or Private, or None for a .k8s.local cluster)');
    if (dns) c.string(dns, 'type', 'spec.topology.dns', 'required', 'Public, Private or None', DNS_TYPES);
    c.record(topology, 'bastion', 'spec.topology', 'optional', 'bastion: { bastionPublicName: bastion.<cluster> }');
  }
  const api = c.record(spec, 'api', p, 'required', 'api: { dns: {} } or api: { loadBalancer: { type: Public } }');
  if (api) {
    c.record(api, 'dns', 'spec.api', 'optional', 'dns: {}');
    const lb = c.record(api, 'loadBalancer', 'spec.api', 'optional', 'loadBalancer: { type: Public, class: Network }');
    if (lb) {
      c.string(lb, 'type', 'spec.api.loadBalancer', 'optional', 'Public or Internal', ['Public', 'Internal']);
      c.string(lb, 'class', 'spec.api.loadBalancer', 'optional', 'Classic or Network', ['Classic', 'Network']);
    }
    c.string(api, 'publicName', 'spec.api', 'optional', 'api.demo.example.com');
  }
  c.record(spec, 'networking', p, 'required', 'the CNI, e.g. networking: { cilium: {} }');
  const etcd = c.list(spec, 'etcdClusters', p, 'required', 'the main and events etcd clusters');
  etcd?.forEach((cluster, i) => checkEtcdCluster(c, cluster, childPath('spec.etcdClusters', i)));
  c.stringList(spec, 'sshAccess', p, 'required', "CIDRs allowed to SSH in, e.g. ['0.0.0.0/0', '::/0']");
  c.stringList(spec, 'kubernetesApiAccess', p, 'required', "CIDRs allowed to reach the API, e.g. ['0.0.0.0/0', '::/0']");
  checkRollingUpdate(c, spec, p);
  return c.errors;
}

function checkSubnet(c: ShapeChecker, subnet: unknown, path: string): void {
  if (!isRecord(subnet)) {
    c.errors.push(specError(path, `must be a mapping with name, zone, type and cidr, got ${describe(subnet)}`));
    return;
  }
  c.string(subnet, 'name', path, 'required', 'a subnet name, usually the zone (us-east-1a) or utility-<zone>');
  c.string(subnet, 'zone', path, 'required', 'an availability zone such as us-east-1a');
  c.string(subnet, 'type', path, 'required', 'Public, Private, Utility or DualStack', SUBNET_TYPES);
  // An IPv6-only subnet of a kops IPv6 cluster has an ipv6CIDR (e.g. /64#1) and no IPv4 range.
  const ipv6 = c.string(subnet, 'ipv6CIDR', path, 'optional', 'an IPv6 range, or /64#N for the Nth /64 of the VPC');
  c.string(subnet, 'cidr', path, ipv6 === undefined ? 'required' : 'optional', 'a range inside spec.networkCIDR, e.g. 172.20.32.0/19');
}

function checkEtcdCluster(c: ShapeChecker, etcd: unknown, path: string): void {
  if (!isRecord(etcd)) {
    c.errors.push(specError(path, `must be a mapping with name and etcdMembers, got ${describe(etcd)}`));
    return;
  }
  c.string(etcd, 'name', path, 'required', 'main or events');
  const members = c.list(etcd, 'etcdMembers', path, 'required', 'one member per control-plane instance group');
  members?.forEach((member, i) => {
    const at = childPath(childPath(path, 'etcdMembers'), i);
    if (!isRecord(member)) {
      c.errors.push(specError(at, `must be a mapping with name and instanceGroup, got ${describe(member)}`));
      return;
    }
    c.string(member, 'name', at, 'required', 'the zone letter, e.g. a');
    c.string(member, 'instanceGroup', at, 'required', 'a control-plane instance group, e.g. control-plane-us-east-1a');
    c.boolean(member, 'encryptedVolume', at);
  });
}

function checkRollingUpdate(c: ShapeChecker, spec: Unknown, path: string): void {
  const ru = c.record(spec, 'rollingUpdate', path, 'optional', 'rollingUpdate: { maxSurge: 1 }');
  if (!ru) return;
  const at = childPath(path, 'rollingUpdate');
  c.intOrPercent(ru, 'maxSurge', at);
  c.intOrPercent(ru, 'maxUnavailable', at);
  c.boolean(ru, 'drainAndTerminate', at);
}

export function checkInstanceGroupShape(doc: unknown): SpecError[] {
  const c = new ShapeChecker();
  if (!isRecord(doc)) return [specError('', `an InstanceGroup must be a YAML mapping with apiVersion, kind, metadata and spec, got ${describe(doc)}`)];
  c.header(doc, 'InstanceGroup');
  const metadata = c.record(doc, 'metadata', '', 'required', 'the group name and its kops.k8s.io/cluster label');
  if (metadata) {
    c.string(metadata, 'name', 'metadata', 'required', 'a name such as nodes-us-east-1a');
    c.stringMap(metadata, 'labels', 'metadata', 'required', 'labels: { kops.k8s.io/cluster: <cluster name> }');
  }
  const spec = c.record(doc, 'spec', '', 'required', 'the instance group spec');
  if (!spec) return c.errors;
  const p = 'spec';
  c.string(spec, 'role', p, 'required', 'ControlPlane, Node, Bastion, APIServer (or Master)', INSTANCE_GROUP_ROLES);
  // Karpenter chooses the machines of a group it manages: kops needs no type or sizes for it.
  const manager = c.string(spec, 'manager', p, 'optional', 'CloudGroup (the default) or Karpenter', ['CloudGroup', 'Karpenter']);
  const cloudGroup: 'required' | 'optional' = manager === 'Karpenter' ? 'optional' : 'required';
  c.string(spec, 'machineType', p, cloudGroup, 'an EC2 instance type such as t3.medium');
  c.string(spec, 'image', p, 'required', 'an AMI id or owner/name');
  c.integer(spec, 'minSize', p, cloudGroup, 'how many instances at least, e.g. 1');
  c.integer(spec, 'maxSize', p, cloudGroup, 'how many instances at most, e.g. 1');
  c.stringList(spec, 'subnets', p, 'required', 'names of subnets from the cluster spec, e.g. [us-east-1a]');
  c.stringMap(spec, 'nodeLabels', p, 'optional', 'labels for the nodes');
  checkRollingUpdate(c, spec, p);
  return c.errors;
}
