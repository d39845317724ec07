// Rules for one InstanceGroup, alone or against its cluster. Like every
// validator here it accepts any value, never throws, and reports every problem.
import { instanceGroupNameProblem, isMachineTypeShape } from './names.js';
import { checkInstanceGroupShape, describe, isRecord } from './shape.js';
import { specError, type SpecError } from './spec-error.js';
import { CLUSTER_LABEL, type Unknown } from './types.js';

const asArray = (v: unknown): unknown[] => (Array.isArray(v) ? v : []);
const asString = (v: unknown): string | undefined => (typeof v === 'string' ? v : undefined);
const asInt = (v: unknown): number | undefined => (typeof v === 'number' && Number.isInteger(v) ? v : undefined);

/**
 * Validates an InstanceGroup. With `cluster` it also checks the cluster label
 * and that every subnet the group names exists in the cluster. Paths are
 * relative to the group (`spec.minSize`).
 */
export function validateInstanceGroup(ig: unknown, cluster?: unknown): SpecError[] {
  const errors = checkInstanceGroupShape(ig);
  if (!isRecord(ig)) return errors;
  const metadata = isRecord(ig.metadata) ? ig.metadata : {};
  const spec = isRecord(ig.spec) ? ig.spec : {};
  const name = asString(metadata.name);
  if (name !== undefined) {
    const problem = instanceGroupNameProblem(name);
    if (problem) errors.push(specError('metadata.name', problem));
  }
  errors.push(...checkSizes(spec), ...checkMachine(spec), ...checkRollingUpdate(spec));
  if (isRecord(cluster)) errors.push(...checkAgainstCluster(metadata, spec, cluster));
  return errors;
}

function checkSizes(spec: Unknown): SpecError[] {
  const errors: SpecError[] = [];
  const min = asInt(spec.minSize);
  const max = asInt(spec.maxSize);
  if (min !== undefined && min < 0) errors.push(specError('spec.minSize', `is ${min}; it cannot be negative`));
  if (max !== undefined && max < 0) errors.push(specError('spec.maxSize', `is ${max}; it cannot be negative`));
  if (min !== undefined && max !== undefined && min > max) {
    errors.push(specError('spec.minSize', `is ${min}, more than maxSize ${max}; raise maxSize to at least ${min} or lower minSize`));
  }
  return errors;
}

function checkMachine(spec: Unknown): SpecError[] {
  const errors: SpecError[] = [];
  const machineType = asString(spec.machineType);
  if (machineType !== undefined && !isMachineTypeShape(machineType)) {
    errors.push(specError('spec.machineType', `"${machineType}" is not an EC2 instance type; use one such as t3.medium or m6i.large`));
  }
  const image = asString(spec.image);
  if (image !== undefined && image.trim() === '') {
    errors.push(specError('spec.image', 'is empty; give an AMI id (ami-...) or owner/name such as 099720109477/ubuntu/images/...'));
  }
  const subnets = spec.subnets;
  if (Array.isArray(subnets)) {
    if (subnets.length === 0) errors.push(specError('spec.subnets', 'is empty; name at least one subnet of the cluster, e.g. [us-east-1a]'));
    const seen = new Set<unknown>();
    subnets.forEach((s, i) => {
      if (seen.has(s)) errors.push(specError(`spec.subnets[${i}]`, `${describe(s)} is listed twice; list each subnet once`));
      seen.add(s);
    });
  }
  return errors;
}

function checkRollingUpdate(spec: Unknown): SpecError[] {
  const ru = spec.rollingUpdate;
  if (!isRecord(ru)) return [];
  if (ru.maxSurge === 0 && ru.maxUnavailable === 0) {
    return [
      specError(
        'spec.rollingUpdate',
        'maxSurge and maxUnavailable are both 0, so no instance could ever be replaced; set maxSurge: 1 or maxUnavailable: 1',
      ),
    ];
  }
  return [];
}

function checkAgainstCluster(metadata: Unknown, spec: Unknown, cluster: Unknown): SpecError[] {
  const errors: SpecError[] = [];
  const clusterName = isRecord(cluster.metadata) ? asString(cluster.metadata.name) : undefined;
  const labels = isRecord(metadata.labels) ? metadata.labels : undefined;
  const label = labels?.[CLUSTER_LABEL];
  if (clusterName !== undefined && labels && label !== clusterName) {
    const got = typeof label === 'string' ? `"${label}"` : 'missing';
    errors.push(specError(`metadata.labels.${CLUSTER_LABEL}`, `is ${got}; it must name the cluster, "${clusterName}"`));
  }
  const clusterSpec = isRecord(cluster.spec) ? cluster.spec : {};
  const clusterSubnets = asArray(clusterSpec.subnets).filter(isRecord);
  const names = clusterSubnets.map((s) => asString(s.name)).filter((n): n is string => n !== undefined);
  if (!Array.isArray(clusterSpec.subnets)) return errors;
  asArray(spec.subnets).forEach((subnet, i) => {
    if (typeof subnet === 'string' && !names.includes(subnet)) {
      const known = names.length > 0 ? `the cluster has ${names.join(', ')}` : 'the cluster has no subnets';
      errors.push(specError(`spec.subnets[${i}]`, `subnet "${subnet}" does not exist in the cluster; ${known}`));
    }
  });
  if (spec.role === 'Bastion') {
    const hasUtility = clusterSubnets.some((s) => s.type === 'Utility');
    if (!hasUtility) {
      errors.push(
        specError('spec.role', 'a Bastion needs a private topology (utility subnets); create the cluster with --topology private or drop the bastion group'),
      );
    }
  }
  return errors;
}
