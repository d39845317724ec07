// Shared by the Terraform tests: specs equivalent to kops' minimal-1.36 and
// ha inputs (tests/integration/update_cluster/*/in-v1alpha2.yaml) in the
// simulator's region, the module parsed back with a maintained HCL2 parser
// (@cdktf/hcl2json, HashiCorp's hcl library compiled to WebAssembly), and
// checks that every reference and every data file resolves. The specs keep
// kops' names (cluster, zones as the simulator's, instance groups, etcd
// members) and access lists; what names no resource differs (machine types,
// image, Kubernetes version, networking: the simulator's and kopsdeck's).
import assert from 'node:assert/strict';
import { parse } from '@cdktf/hcl2json';
import type { ClusterBundle, InstanceGroup } from '../../src/engine/spec/types.js';
import { clusterFixture } from '../helpers/sim-reconcile.js';

/** Renames instance groups as kops' inputs name them: master-<zone> for the control plane. */
function renameControlPlane(bundle: ClusterBundle): void {
  const names = new Map<string, string>();
  for (const ig of bundle.instanceGroups) {
    if (ig.spec.role !== 'ControlPlane') continue;
    const renamed = ig.metadata.name.replace(/^control-plane-/, 'master-');
    names.set(ig.metadata.name, renamed);
    ig.metadata.name = renamed;
    ig.spec.nodeLabels = { ...ig.spec.nodeLabels, 'kops.k8s.io/instancegroup': renamed };
  }
  for (const etcd of bundle.cluster.spec.etcdClusters ?? []) {
    for (const member of etcd.etcdMembers ?? []) member.instanceGroup = names.get(member.instanceGroup) ?? member.instanceGroup;
  }
}

/** kops' one `nodes` group over every subnet, in place of a group per zone. */
function oneNodeGroup(bundle: ClusterBundle): void {
  const nodes = bundle.instanceGroups.filter((ig) => ig.spec.role === 'Node');
  const first: InstanceGroup = structuredClone(nodes[0]);
  first.metadata.name = 'nodes';
  first.spec.subnets = bundle.cluster.spec.subnets.map((s) => s.name);
  first.spec.nodeLabels = { ...first.spec.nodeLabels, 'kops.k8s.io/instancegroup': 'nodes' };
  bundle.instanceGroups = [...bundle.instanceGroups.filter((ig) => ig.spec.role !== 'Node'), first];
}

/** minimal-1.36: one zone, one control-plane node (master-<zone>), one `nodes` group; SSH and API open to 0.0.0.0/0 and ::/0. */
export function kopsMinimalSpec(): ClusterBundle {
  const bundle = clusterFixture({ name: 'minimal.example.com', zones: ['us-east-1a'], controlPlaneCount: 1, nodeCount: 1, dnsZone: 'example.com' });
  renameControlPlane(bundle);
  oneNodeGroup(bundle);
  return bundle;
}

/** ha: three zones, a control-plane node in each, one `nodes` group over the three; SSH and API open to 0.0.0.0/0 only. */
export function kopsHaSpec(): ClusterBundle {
  const zones = ['us-east-1a', 'us-east-1b', 'us-east-1c'];
  const bundle = clusterFixture({ name: 'ha.example.com', zones, controlPlaneCount: 3, nodeCount: 3, dnsZone: 'example.com' });
  renameControlPlane(bundle);
  oneNodeGroup(bundle);
  bundle.cluster.spec.sshAccess = ['0.0.0.0/0'];
  bundle.cluster.spec.kubernetesApiAccess = ['0.0.0.0/0'];
  return bundle;
}

/** hcl2json's JSON form of a module. */
export interface ParsedModule {
  resource?: Record<string, Record<string, Record<string, unknown>[]>>;
  locals?: Record<string, unknown>[];
  output?: Record<string, { value: unknown }[]>;
  provider?: Record<string, Record<string, unknown>[]>;
  terraform?: Record<string, unknown>[];
}

export async function parseModule(text: string): Promise<ParsedModule> {
  return (await parse('kubernetes.tf', text)) as ParsedModule;
}

/** `type label` of every resource, sorted. */
export function resourceNames(module: ParsedModule): string[] {
  const names: string[] = [];
  for (const [type, byLabel] of Object.entries(module.resource ?? {})) for (const label of Object.keys(byLabel)) names.push(`${type} ${label}`);
  return names.sort();
}

export function resourceBody(module: ParsedModule, type: string, label: string): Record<string, unknown> {
  const body = module.resource?.[type]?.[label]?.[0];
  assert.ok(body, `resource ${type}.${label} is in the module`);
  return body;
}

function strings(value: unknown, out: string[] = []): string[] {
  if (typeof value === 'string') out.push(value);
  else if (Array.isArray(value)) for (const v of value) strings(v, out);
  else if (value && typeof value === 'object') for (const v of Object.values(value)) strings(v, out);
  return out;
}

const FILE_CALL = /\b(file|filebase64)\("\$\{path\.module\}\/([^"]+)"\)/g;
const REFERENCE = /(?<![\w.-])(aws_[a-z0-9_]+)\.([A-Za-z0-9_-]+)\.([a-z_]+)/g;

/** Every file() / filebase64() path, and every `aws_type.label.attribute` reference, in the module's expressions. */
export function expressionsOf(module: ParsedModule): { files: string[]; references: { type: string; label: string; attribute: string }[] } {
  const files: string[] = [];
  const references: { type: string; label: string; attribute: string }[] = [];
  for (const text of strings(module)) {
    if (!text.startsWith('${')) continue;
    for (const match of text.matchAll(FILE_CALL)) files.push(match[2]);
    // Strings inside the expression (file paths, the user-data placeholder) are not references.
    const code = text.slice(2, -1).replace(FILE_CALL, 'FILE').replace(/"(?:[^"\\]|\\.)*"/g, '""');
    for (const match of code.matchAll(REFERENCE)) references.push({ type: match[1], label: match[2], attribute: match[3] });
  }
  return { files, references };
}

/** The attributes the AWS provider exports that the module reads. */
const EXPORTED = new Set(['id', 'arn', 'name', 'cidr_block', 'latest_version', 'dns_name', 'zone_id']);

/** Problems: a reference to a resource the module does not have, or a file that data/ does not have. */
export function unresolved(module: ParsedModule, files: Map<string, string>): string[] {
  const problems: string[] = [];
  const { files: paths, references } = expressionsOf(module);
  for (const ref of references) {
    if (!module.resource?.[ref.type]?.[ref.label]) problems.push(`${ref.type}.${ref.label} is not a resource of the module`);
    if (!EXPORTED.has(ref.attribute)) problems.push(`${ref.type}.${ref.label}.${ref.attribute}: not an attribute the module may read`);
  }
  for (const path of paths) if (!files.has(path)) problems.push(`${path} is read but not written`);
  return problems;
}
