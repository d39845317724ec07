// Validation of a whole cluster: its spec, its instance groups, and the rules
// that tie them together (control-plane count, etcd members). Returns every
// problem at once, errors (the spec is refused) apart from warnings (it is
// accepted, but something deserves a look); accepts any value; never throws.
import { withKopsDecodeDefaults } from './kops-decode.js';
import type { Channel } from '../channel/channel.js';
import { kubernetesVersionError, kubernetesVersionWarnings } from './kubernetes-version.js';
import { clusterNameProblem } from './names.js';
import { checkClusterShape, describe, isRecord } from './shape.js';
import { prefixErrors, specError, type SpecError } from './spec-error.js';
import { isControlPlaneRole, type Unknown } from './types.js';
import { validateInstanceGroup } from './validate-instance-group.js';
import { validateNetwork, type NetworkContext } from './validate-network.js';

export interface ValidationContext extends NetworkContext {
  /** The cluster's channel, for the Kubernetes patch it recommends (warnings only). */
  channel?: Channel;
  /**
   * The kubernetesVersion the state store already holds. A stored cluster's
   * version never blocks editing another field, validating or rolling it: if
   * the spec still asks for this version, a problem with it is a warning.
   */
  storedKubernetesVersion?: string;
}

export interface SpecCheck {
  /** The spec is refused while there is one. */
  errors: SpecError[];
  /** Accepted, but worth a look; printed as `Warning: ...`. */
  warnings: SpecError[];
}

const asString = (v: unknown): string | undefined => (typeof v === 'string' ? v : undefined);

/** What the store holds of a cluster, for the context of checking an edit of it (see ValidationContext). */
export function storedContext(stored: unknown): Pick<ValidationContext, 'storedKubernetesVersion' | 'storedZones'> {
  const spec = isRecord(stored) && isRecord(stored.spec) ? stored.spec : {};
  const zones = Array.isArray(spec.subnets) ? spec.subnets.filter(isRecord).map((s) => s.zone).filter((z): z is string => typeof z === 'string') : [];
  return { storedKubernetesVersion: asString(spec.kubernetesVersion), storedZones: zones };
}

/** The errors of checkCluster: what makes the spec unacceptable. */
export function checkClusterSpec(cluster: unknown, instanceGroups: unknown, context: ValidationContext = {}): SpecError[] {
  return checkCluster(cluster, instanceGroups, context).errors;
}

export function checkCluster(given: unknown, instanceGroups: unknown, context: ValidationContext = {}): SpecCheck {
  // Judged as kops reads it: a spec without topology or api is accepted by kops, so here too.
  const cluster = withKopsDecodeDefaults(given);
  const errors: SpecError[] = [];
  const warnings: SpecError[] = [];
  errors.push(...checkClusterShape(cluster));
  const spec = isRecord(cluster) && isRecord(cluster.spec) ? cluster.spec : undefined;
  const name = isRecord(cluster) && isRecord(cluster.metadata) ? asString(cluster.metadata.name) : undefined;
  if (name !== undefined) {
    const problem = clusterNameProblem(name);
    if (problem) errors.push(specError('metadata.name', problem));
  }
  if (spec) {
    errors.push(...validateBasics(spec));
    checkKubernetesVersion(spec, name, context, errors, warnings);
    const network = validateNetwork(spec, context);
    errors.push(...network.errors);
    warnings.push(...network.warnings);
  }
  if (!Array.isArray(instanceGroups)) {
    errors.push(specError('instanceGroups', 'must be a list of InstanceGroup resources'));
    return { errors, warnings };
  }
  errors.push(...validateGroups(instanceGroups, cluster));
  errors.push(...validateControlPlane(instanceGroups, spec));
  return { errors, warnings };
}

function checkKubernetesVersion(spec: Unknown, clusterName: string | undefined, context: ValidationContext, errors: SpecError[], warnings: SpecError[]): void {
  const version = asString(spec.kubernetesVersion);
  if (version === undefined) return;
  const path = 'spec.kubernetesVersion';
  const error = kubernetesVersionError(version);
  if (error) {
    const stored = context.storedKubernetesVersion !== undefined && version === context.storedKubernetesVersion;
    if (stored) warnings.push(specError(path, `${error}; kopsdeck still reads, validates and rolls the stored cluster`));
    else errors.push(specError(path, error));
    return;
  }
  for (const warning of kubernetesVersionWarnings(version, context.channel, clusterName)) warnings.push(specError(path, warning));
}

function validateBasics(spec: Unknown): SpecError[] {
  const errors: SpecError[] = [];
  const provider = asString(spec.cloudProvider);
  if (provider !== undefined && provider !== 'aws') {
    errors.push(specError('spec.cloudProvider', `is "${provider}"; kopsdeck manages clusters on aws only`));
  }
  const networking = spec.networking;
  if (isRecord(networking) && Object.keys(networking).length !== 1) {
    const count = Object.keys(networking).length;
    errors.push(
      specError('spec.networking', count === 0 ? 'names no CNI; set one, e.g. networking: { cilium: {} }' : `names ${count} CNIs (${Object.keys(networking).join(', ')}); keep exactly one`),
    );
  }
  // kops' rule (validation.go validateNetworkingCilium): Cilium's NodePort replaces kube-proxy, so an explicit kubeProxy must be off.
  const cilium = isRecord(networking) ? networking.cilium : undefined;
  if (isRecord(cilium) && cilium.enableNodePort === true && isRecord(spec.kubeProxy) && spec.kubeProxy.enabled !== false) {
    errors.push(specError('spec.kubeProxy.enabled', 'must be false when Cilium NodePort is enabled (spec.networking.cilium.enableNodePort); set kubeProxy: { enabled: false }'));
  }
  return errors;
}

function groupPath(ig: unknown, index: number): string {
  const name = isRecord(ig) && isRecord(ig.metadata) ? asString(ig.metadata.name) : undefined;
  return name ? `instanceGroups[${name}]` : `instanceGroups[${index}]`;
}

function validateGroups(groups: unknown[], cluster: unknown): SpecError[] {
  const errors: SpecError[] = [];
  const seen = new Set<string>();
  groups.forEach((ig, i) => {
    const path = groupPath(ig, i);
    errors.push(...prefixErrors(path, validateInstanceGroup(ig, cluster)));
    const name = isRecord(ig) && isRecord(ig.metadata) ? asString(ig.metadata.name) : undefined;
    if (name !== undefined) {
      if (seen.has(name)) errors.push(specError(`${path}.metadata.name`, `instance group "${name}" appears twice; give each group its own name`));
      seen.add(name);
    }
  });
  return errors;
}

function controlPlaneGroups(groups: unknown[]): Unknown[] {
  return groups.filter(isRecord).filter((ig) => isRecord(ig.spec) && isControlPlaneRole(ig.spec.role));
}

/** etcd needs a majority to work, so the control plane (one etcd member per instance) must be odd-sized. */
function validateControlPlane(groups: unknown[], spec: Unknown | undefined): SpecError[] {
  const errors: SpecError[] = [];
  const controlPlanes = controlPlaneGroups(groups);
  const names = controlPlanes.map((ig) => (isRecord(ig.metadata) ? asString(ig.metadata.name) : undefined)).filter((n): n is string => !!n);
  const count = controlPlanes.reduce((sum, ig) => {
    const min = isRecord(ig.spec) ? ig.spec.minSize : undefined;
    return sum + (typeof min === 'number' && Number.isInteger(min) && min > 0 ? min : 0);
  }, 0);
  if (count === 0) {
    errors.push(specError('instanceGroups', 'there is no control plane; add an instance group with role ControlPlane and minSize 1'));
  } else if (count % 2 === 0) {
    errors.push(
      specError('instanceGroups', `the cluster has ${count} control-plane instances; use an odd number (1, 3 or 5) so etcd keeps a majority when one fails`),
    );
  }
  if (spec && Array.isArray(spec.etcdClusters)) errors.push(...validateEtcd(spec.etcdClusters, names, groups));
  return errors;
}

function validateEtcd(etcdClusters: unknown[], controlPlaneNames: string[], groups: unknown[]): SpecError[] {
  const errors: SpecError[] = [];
  const allNames = new Set(groups.filter(isRecord).map((ig) => (isRecord(ig.metadata) ? ig.metadata.name : undefined)));
  const etcdNames = etcdClusters.filter(isRecord).map((e) => e.name);
  for (const required of ['main', 'events']) {
    if (!etcdNames.includes(required)) {
      errors.push(specError('spec.etcdClusters', `has no "${required}" etcd cluster; kops needs both main and events`));
    }
  }
  etcdClusters.forEach((etcd, i) => {
    if (!isRecord(etcd) || !Array.isArray(etcd.etcdMembers)) return;
    const path = `spec.etcdClusters[${i}]`;
    const members = etcd.etcdMembers.filter(isRecord);
    const label = typeof etcd.name === 'string' ? `etcd cluster ${etcd.name}` : 'this etcd cluster';
    if (members.length === 0) {
      errors.push(specError(`${path}.etcdMembers`, `${label} has no members; add one per control-plane instance group`));
    } else if (members.length % 2 === 0) {
      errors.push(specError(`${path}.etcdMembers`, `${label} has ${members.length} members; use an odd number so it keeps a majority`));
    }
    const memberNames = new Set<unknown>();
    const groupsUsed = new Set<unknown>();
    members.forEach((member, j) => {
      const at = `${path}.etcdMembers[${j}]`;
      if (memberNames.has(member.name)) errors.push(specError(`${at}.name`, `member name ${describe(member.name)} is used twice in ${label}`));
      memberNames.add(member.name);
      const ig = member.instanceGroup;
      if (typeof ig !== 'string') return;
      if (!allNames.has(ig)) {
        errors.push(specError(`${at}.instanceGroup`, `instance group "${ig}" does not exist; use one of the control-plane groups: ${controlPlaneNames.join(', ') || 'none yet'}`));
      } else if (!controlPlaneNames.includes(ig)) {
        errors.push(specError(`${at}.instanceGroup`, `instance group "${ig}" is not a control-plane group (role ControlPlane); etcd runs only on the control plane`));
      } else if (groupsUsed.has(ig)) {
        errors.push(specError(`${at}.instanceGroup`, `instance group "${ig}" already holds a member of ${label}`));
      }
      groupsUsed.add(ig);
    });
    for (const cp of controlPlaneNames) {
      if (!groupsUsed.has(cp)) {
        errors.push(specError(`${path}.etcdMembers`, `control-plane group ${cp} has no member in ${label}; add { name: <zone letter>, instanceGroup: ${cp} }`));
      }
    }
  });
  return errors;
}
