// The wizard's steps as data: one step per choice, each with a one-line
// explanation, how it reads and writes the answers, and how it checks them.
// The screen only renders these; tests and other front ends can walk them too.
import { KOPS_MINOR, OLDEST_RECOMMENDED_KUBERNETES_VERSION, recommendedVersions } from '../spec/kubernetes-version.js';
import { knownRegions } from '../spec/regions.js';
import { NETWORKING_NAMES, isGossipClusterName, type NetworkingName } from '../spec/types.js';
import { hostedZoneForName, withAnswer, type WizardAnswers, type WizardEnvironment } from './answers.js';
import {
  MAX_NODES_PER_GROUP,
  checkAdminAccess,
  checkClusterName,
  checkKubernetesVersion,
  checkMachineType,
  checkSshPublicKey,
  parseCount,
  type FieldCheck,
  type MachineTypeOfferings,
} from './field-checks.js';
import { controlPlaneTolerance } from './high-availability.js';
import { controlPlaneSpread } from './to-options.js';

export interface StepContext {
  env: WizardEnvironment;
  /** The zones of the chosen region, as the cloud lists them. */
  zones: readonly string[];
  /**
   * The instance types the chosen region offers ('loading' while they are
   * listed); absent where nobody asks the cloud (machine types are then
   * checked by their shape only).
   */
  machineTypes?: MachineTypeOfferings | 'loading';
}

export interface Choice {
  value: string;
  label: string;
  description?: string;
}

interface StepBase {
  id: string;
  title: string;
  /** One line: what the choice is and why it matters. */
  explanation: string;
  /** False when the step does not apply to these answers (it is skipped). */
  applies?(answers: WizardAnswers): boolean;
  check(answers: WizardAnswers, ctx: StepContext): FieldCheck;
  /** The answer in a few words, for the summary and the review. */
  summary(answers: WizardAnswers): string;
}

export interface TextStep extends StepBase {
  kind: 'text';
  read(answers: WizardAnswers): string;
  write(answers: WizardAnswers, text: string, env: WizardEnvironment): WizardAnswers;
  /** Shown before the field, e.g. "name". */
  label: string;
}

export interface SelectStep extends StepBase {
  kind: 'select' | 'multi';
  choices(answers: WizardAnswers, ctx: StepContext): Choice[];
  /** The chosen value(s). */
  chosen(answers: WizardAnswers): string[];
  /** select: picks `value`; multi: toggles it. */
  pick(answers: WizardAnswers, value: string, env: WizardEnvironment): WizardAnswers;
}

export type WizardStep = TextStep | SelectStep;

const text = (step: Omit<TextStep, 'kind'>): TextStep => ({ kind: 'text', ...step });
const select = (step: Omit<SelectStep, 'kind'>): SelectStep => ({ kind: 'select', ...step });

const CNI_DESCRIPTIONS: Record<NetworkingName, string> = {
  cilium: "eBPF networking with network policy and good observability; kops' default",
  calico: 'routed or VXLAN networking with rich network policy; very widely used',
  flannel: 'a simple VXLAN overlay; no network policy',
  amazonvpc: 'pods get real VPC addresses (AWS VPC CNI); uses more IP addresses per node',
  kindnet: 'a minimal CNI for small test clusters',
};

function nodeRange(a: WizardAnswers): { min?: number; max?: number } {
  return { min: parseCount(a.nodeMin, 'number of nodes', 0, MAX_NODES_PER_GROUP).value, max: parseCount(a.nodeMax, 'maximum', 0, MAX_NODES_PER_GROUP).value };
}

function totalLine(a: WizardAnswers): string {
  const { min, max } = nodeRange(a);
  const groups = a.zones.length;
  if (min === undefined) return '';
  const low = `${groups} group${groups === 1 ? '' : 's'} (one per zone) × ${min} = ${groups * min} node${groups * min === 1 ? '' : 's'} in total`;
  return max !== undefined && max > min ? `${low}, growing to ${groups * max} at most` : low;
}

export const WIZARD_STEPS: readonly WizardStep[] = [
  text({
    id: 'name',
    title: 'Cluster name',
    label: 'name',
    explanation: 'A DNS name that identifies the cluster everywhere (e.g. api.<name>); under a hosted zone you own, or ending in .k8s.local to need no DNS.',
    read: (a) => a.name,
    write: (a, value, env) => withAnswer(a, 'name', value.trim(), env),
    check: (a, ctx) => checkClusterName(a.name, ctx.env),
    summary: (a) => a.name,
  }),
  select({
    id: 'region',
    title: 'Region',
    explanation: 'The AWS region the cluster lives in; pick one close to its users.',
    // The configured region comes first even when the built-in list does not have it: any AWS region works.
    choices: (a) => [...new Set([a.region, ...knownRegions()])].map((r) => ({ value: r, label: r })),
    chosen: (a) => [a.region],
    pick: (a, value, env) => withAnswer(a, 'region', value, env),
    check: (a) => ({ note: `the cluster's VPC, subnets and instances are made in ${a.region}` }),
    summary: (a) => a.region,
  }),
  {
    kind: 'multi',
    id: 'zones',
    title: 'Availability zones',
    explanation: 'Zones are separate data centres: a cluster spread over three, with a control-plane instance in each, can survive the loss of one. Space toggles a zone.',
    choices: (_a, ctx) => ctx.zones.map((z) => ({ value: z, label: z })),
    chosen: (a) => a.zones,
    pick: (a, value) => {
      const zones = a.zones.includes(value) ? a.zones.filter((z) => z !== value) : [...a.zones, value];
      return { ...a, zones };
    },
    check: (a, ctx) => {
      if (a.zones.length === 0) return { error: 'choose at least one zone (space toggles the zone under the cursor)' };
      const unknown = a.zones.filter((z) => !ctx.zones.includes(z));
      if (unknown.length > 0 && ctx.zones.length > 0) return { error: `${unknown.join(', ')} is not a zone of ${a.region}; choose from the list` };
      if (a.zones.length === 1) return { warning: 'one zone: if it goes down, so does the whole cluster' };
      return { note: `${a.zones.length} zones: a subnet and a node group in each` };
    },
    summary: (a) => a.zones.join(', '),
  },
  select({
    id: 'controlPlaneCount',
    title: 'Control plane',
    explanation: 'The control plane runs the Kubernetes API and etcd; 3 or 5 instances keep it working when one fails.',
    // What each size survives depends on the zones chosen: 3 instances in 2 zones do not survive the zone holding 2.
    choices: (a) =>
      [1, 3, 5].map((n) => {
        const tolerance = controlPlaneTolerance({ zones: a.zones, controlPlaneCount: n });
        const description = tolerance.highlyAvailable ? `highly available: ${tolerance.short}` : tolerance.short;
        return { value: String(n), label: n === 1 ? '1 instance' : `${n} instances`, description };
      }),
    chosen: (a) => [String(a.controlPlaneCount)],
    pick: (a, value) => ({ ...a, controlPlaneCount: Number(value) }),
    check: (a, ctx) => checkControlPlane(a, ctx),
    summary: (a) => `${a.controlPlaneCount} × ${a.controlPlaneSize}${controlPlaneTolerance(a).highlyAvailable ? ' (highly available)' : ' (no high availability)'}`,
  }),
  text({
    id: 'controlPlaneSize',
    title: 'Control-plane machine type',
    label: 'control-plane machine type',
    explanation: 'The EC2 instance type for the control plane; t3.medium is enough for small clusters, larger ones need more memory.',
    read: (a) => a.controlPlaneSize,
    write: (a, value) => ({ ...a, controlPlaneSize: value.trim() }),
    check: (a, ctx) => checkMachineType(a.controlPlaneSize, 'control-plane nodes', ctx.machineTypes, a.region),
    summary: (a) => a.controlPlaneSize,
  }),
  select({
    id: 'topology',
    title: 'Topology',
    explanation: 'Where instances sit: public subnets with public addresses, or private subnets reached through NAT and a load balancer.',
    choices: () => [
      { value: 'public', label: 'public', description: 'instances have public IP addresses; simplest' },
      { value: 'private', label: 'private', description: 'instances in private subnets, with small utility subnets for load balancers and NAT' },
    ],
    chosen: (a) => [a.topology],
    pick: (a, value, env) => withAnswer(a, 'topology', value as WizardAnswers['topology'], env),
    check: (a) => (a.topology === 'private' ? { note: 'private subnets for instances plus one utility subnet per zone' } : { note: 'one public subnet per zone' }),
    summary: (a) => a.topology,
  }),
  select({
    id: 'bastion',
    title: 'Bastion',
    explanation: 'A bastion is a small jump host in a utility subnet: the one way to SSH into private instances.',
    applies: (a) => a.topology === 'private',
    choices: () => [
      { value: 'no', label: 'no bastion', description: 'instances are reachable only from inside the VPC' },
      { value: 'yes', label: 'add a bastion', description: 'one t3.micro instance group named bastions' },
    ],
    chosen: (a) => [a.bastion ? 'yes' : 'no'],
    pick: (a, value) => ({ ...a, bastion: value === 'yes' }),
    check: (a) => (a.bastion ? { note: `SSH in through bastion.${a.name}` } : { note: 'no bastion' }),
    summary: (a) => (a.bastion ? 'yes' : 'no'),
  }),
  select({
    id: 'networking',
    title: 'Networking (CNI)',
    explanation: 'The CNI plugin gives pods their addresses and carries traffic between nodes.',
    choices: () => NETWORKING_NAMES.map((n) => ({ value: n, label: n, description: CNI_DESCRIPTIONS[n] })),
    chosen: (a) => [a.networking],
    pick: (a, value) => ({ ...a, networking: value as NetworkingName }),
    check: (a) => ({ note: CNI_DESCRIPTIONS[a.networking] }),
    summary: (a) => a.networking,
  }),
  select({
    id: 'dns',
    title: 'DNS',
    explanation: 'kops publishes api.<name> in a Route 53 hosted zone; with none (kops\' default), the API is reached through its load balancer (on the simulator, directly).',
    choices: (_a, ctx) => [
      { value: '', label: 'none', description: 'no DNS: the API is reached through its load balancer' },
      ...ctx.env.hostedZones.map((z) => ({ value: z.name, label: z.name, description: `${z.private ? 'private' : 'public'} hosted zone ${z.id}` })),
    ],
    chosen: (a) => [a.dnsZone ?? ''],
    pick: (a, value, env) => withAnswer(a, 'dnsZone', value === '' ? null : value, env),
    check: (a, ctx) => checkDns(a, ctx),
    summary: (a) => a.dnsZone ?? 'none (API through its load balancer)',
  }),
  text({
    id: 'nodeSize',
    title: 'Node machine type',
    label: 'node machine type',
    explanation: 'The EC2 instance type for worker nodes, where your workloads run.',
    read: (a) => a.nodeSize,
    write: (a, value) => ({ ...a, nodeSize: value.trim() }),
    check: (a, ctx) => checkMachineType(a.nodeSize, 'worker nodes', ctx.machineTypes, a.region),
    summary: (a) => a.nodeSize,
  }),
  text({
    id: 'nodeMin',
    title: 'Nodes per zone',
    label: 'nodes per zone',
    explanation: 'Each zone gets its own node group; this is how many nodes each starts with (its minimum size).',
    read: (a) => a.nodeMin,
    write: (a, value) => {
      // The maximum follows the minimum until it is set apart from it.
      const follows = a.nodeMax === a.nodeMin;
      return { ...a, nodeMin: value, nodeMax: follows ? value : a.nodeMax };
    },
    check: (a) => {
      const parsed = parseCount(a.nodeMin, 'number of nodes per zone', 0, MAX_NODES_PER_GROUP);
      if (parsed.error) return { error: parsed.error };
      if (parsed.value === 0) return { warning: `no worker nodes: workloads have nowhere to run until a group grows; ${totalLine(a)}` };
      return { note: totalLine(a) };
    },
    summary: (a) => totalLine(a),
  }),
  text({
    id: 'nodeMax',
    title: 'Maximum nodes per zone',
    label: 'maximum nodes per zone',
    explanation: 'The most nodes each group may grow to (for an autoscaler); equal to the minimum for a fixed size.',
    read: (a) => a.nodeMax,
    write: (a, value) => ({ ...a, nodeMax: value }),
    check: (a) => {
      const parsed = parseCount(a.nodeMax, 'maximum nodes per zone', 0, MAX_NODES_PER_GROUP);
      if (parsed.error) return { error: parsed.error };
      const min = nodeRange(a).min;
      if (min !== undefined && parsed.value! < min) return { error: `the maximum (${parsed.value}) is below the ${min} nodes each zone starts with; type ${min} or more` };
      return { note: totalLine(a) };
    },
    summary: (a) => a.nodeMax,
  }),
  select({
    id: 'kubernetesVersion',
    title: 'Kubernetes version',
    explanation: "The Kubernetes release the cluster runs, from the stable channel's recommended patches; the newest stable one is preselected, and you can upgrade later.",
    choices: (a) => {
      const offered = recommendedVersions().map((r) => ({
        value: r.version,
        label: r.version,
        description: r.newest ? 'newest stable (recommended)' : r.deprecated ? `deprecated: kops ${KOPS_MINOR} recommends ${OLDEST_RECOMMENDED_KUBERNETES_VERSION} or newer` : undefined,
      }));
      // A version typed on the command line (or kept from an earlier answer) stays selectable.
      return offered.some((c) => c.value === a.kubernetesVersion) ? offered : [{ value: a.kubernetesVersion, label: a.kubernetesVersion, description: undefined }, ...offered];
    },
    chosen: (a) => [a.kubernetesVersion],
    pick: (a, value) => ({ ...a, kubernetesVersion: value }),
    check: (a) => checkKubernetesVersion(a.kubernetesVersion),
    summary: (a) => a.kubernetesVersion,
  }),
  text({
    id: 'sshPublicKey',
    title: 'SSH public key',
    label: 'SSH public key path',
    explanation: 'Optional: a public key installed on every instance so you can SSH in; leave empty for none.',
    read: (a) => a.sshPublicKey,
    write: (a, value) => ({ ...a, sshPublicKey: value.trim() }),
    check: (a) => checkSshPublicKey(a.sshPublicKey),
    summary: (a) => a.sshPublicKey || 'none',
  }),
  text({
    id: 'adminAccess',
    title: 'Admin access',
    label: 'admin CIDRs',
    explanation: 'Which addresses may reach the Kubernetes API and SSH, as CIDRs separated by commas.',
    read: (a) => a.adminAccess,
    write: (a, value) => ({ ...a, adminAccess: value }),
    check: (a) => checkAdminAccess(a.adminAccess),
    summary: (a) => a.adminAccess,
  }),
];

function checkControlPlane(a: WizardAnswers, ctx: StepContext): FieldCheck {
  const spread = controlPlaneSpread(a);
  if (a.controlPlaneCount === 1) return { warning: `no high availability: one control-plane instance in ${spread}; if it fails, the API is down until it is replaced` };
  const tolerance = controlPlaneTolerance(a);
  const line = `${a.controlPlaneCount} instances (${spread}); ${tolerance.sentence}`;
  if (!tolerance.highlyAvailable) return { warning: line };
  if (tolerance.zones > 0) return { note: `highly available: ${line}` };
  // Survives a failed instance, not a failed zone: say how many zones would.
  const wanted = tolerance.zonesForZoneLoss;
  const advice = wanted !== undefined && wanted > a.zones.length && wanted <= ctx.zones.length ? `; choose ${wanted} zones (go back to Availability zones) to survive the loss of any one` : '';
  return { warning: `highly available: ${line}${advice}` };
}

function checkDns(a: WizardAnswers, ctx: StepContext): FieldCheck {
  const gossip = isGossipClusterName(a.name);
  if (a.dnsZone === null) {
    if (gossip) return { note: `no DNS: ${a.name} ends in .k8s.local, so the API is reached through its load balancer` };
    return { note: `no DNS (as kops without --dns-zone): api.${a.name} is not published; the API is reached through its load balancer` };
  }
  if (gossip) return { error: `${a.name} ends in .k8s.local and uses no DNS; choose none, or go back and name it under ${a.dnsZone}` };
  const zone = ctx.env.hostedZones.find((z) => z.name === a.dnsZone);
  if (!zone) return { error: `${a.dnsZone} is not a hosted zone of this account` };
  if (hostedZoneForName(a.name, [zone]) === null) {
    return { error: `${a.name} is not under ${a.dnsZone}; choose the zone it is under, or go back and rename it (e.g. ${a.name.split('.')[0]}.${a.dnsZone})` };
  }
  return { note: `api.${a.name} will be published in ${a.dnsZone}` };
}

/** The steps that apply to these answers, in order. */
export function activeSteps(answers: WizardAnswers): WizardStep[] {
  return WIZARD_STEPS.filter((step) => step.applies?.(answers) ?? true);
}

export interface StepProblem {
  step: WizardStep;
  message: string;
}

/** Every refused answer, in step order: the wizard goes to the first before review. */
export function answerProblems(answers: WizardAnswers, ctx: StepContext): StepProblem[] {
  return activeSteps(answers).flatMap((step) => {
    const check = step.check(answers, ctx);
    return check.error ? [{ step, message: check.error }] : [];
  });
}
