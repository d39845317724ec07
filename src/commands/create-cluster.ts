// `kopsdeck create cluster NAME --zones a,b,c ...`: builds the spec with kops'
// defaults, validates it and writes it to the state store (or prints it with
// --dry-run). Nothing is written when the spec does not validate, or when
// --ssh-public-key names a file that is missing, unreadable, private or not an
// RSA or ED25519 public key. The key is kept where kops keeps it (the
// cluster's `admin` SSH key under pki/ssh/public/), not in the spec.
import { applyNodeMaxSize } from '../engine/create/to-options.js';
import { buildClusterSpec, type ClusterOptions } from '../engine/spec/defaults.js';
import { serialiseClusterFile } from '../engine/spec/parse.js';
import { NETWORKING_NAMES, type NetworkingName } from '../engine/spec/types.js';
import { checkCluster } from '../engine/spec/check-cluster-spec.js';
import { shippedChannel } from '../engine/channel/load-channel.js';
import { ConflictError } from '../engine/store/object-store.js';
import { renderData, type OutputFormat } from '../engine/output/text-table.js';
import { CliError, specInvalid } from './cli-error.js';
import type { CommandContext } from './command-context.js';
import { printSpecWarnings } from './spec-warnings.js';
import { expandHome } from '../engine/create/field-checks.js';
import { readSshPublicKeyFile, SshKeyError, type SshPublicKey } from '../engine/ssh/public-key.js';
import { storeSshPublicKey } from '../engine/ssh/key-store.js';

/** The flags of `create cluster`, as commander hands them over. */
export interface CreateClusterFlags {
  name?: string;
  zones?: string;
  controlPlaneZones?: string;
  controlPlaneCount?: string;
  controlPlaneSize?: string;
  nodeCount?: string;
  nodeSize?: string;
  nodeMaxSize?: string;
  kubernetesVersion?: string;
  topology?: string;
  bastion?: boolean;
  networking?: string;
  dnsZone?: string;
  sshPublicKey?: string;
  adminAccess?: string;
  image?: string;
  networkCidr?: string;
  dryRun?: boolean;
  /** Also create it in the cloud (what `update cluster NAME --yes` does). */
  yes?: boolean;
  output: OutputFormat;
}

export async function createCluster(ctx: CommandContext, positionalName: string | undefined, flags: CreateClusterFlags): Promise<void> {
  const options = clusterOptionsFromFlags(positionalName, flags);
  const bundle = applyNodeMaxSize(buildClusterSpec(options), optionalCount('--node-max-size', flags.nodeMaxSize));
  // New clusters use the stable channel shipped with kopsdeck, as kops' create uses its stable channel.
  const { errors, warnings } = checkCluster(bundle.cluster, bundle.instanceGroups, { channel: shippedChannel() });
  if (errors.length > 0) throw specInvalid(`Cluster "${options.name}"`, errors);
  const sshKey = options.sshPublicKey ? readKeyOrRefuse(options.sshPublicKey, flags.sshPublicKey!) : undefined;
  printSpecWarnings(ctx, warnings);

  if (flags.dryRun) {
    if (flags.output === 'yaml' || flags.output === 'table') return ctx.print(serialiseClusterFile(bundle));
    return ctx.print(renderData([bundle.cluster, ...bundle.instanceGroups], 'json'));
  }
  try {
    await ctx.store().createCluster(bundle.cluster, bundle.instanceGroups);
  } catch (error) {
    if (error instanceof ConflictError) throw new CliError(`${error.message}.`);
    throw error;
  }
  if (sshKey) await storeSshPublicKey(ctx.store().objects, options.name, sshKey);
  const groups = bundle.instanceGroups.map((ig) => ig.metadata.name).join(', ');
  if (flags.yes) {
    ctx.print(`Cluster "${options.name}" written to ${ctx.store().url} with instance groups: ${groups}.\n`);
    // Loaded here so that a plain `create cluster` never loads the cloud side.
    const { updateCluster } = await import('./update-cluster.js');
    return updateCluster(ctx, options.name, { yes: true, output: flags.output === 'json' ? 'json' : 'table' });
  }
  ctx.print(
    [
      `Cluster "${options.name}" written to ${ctx.store().url} with instance groups: ${groups}.`,
      '',
      'Next steps:',
      `  review or change it:   kopsdeck edit cluster ${options.name}`,
      `  list its groups:       kopsdeck get ig --name ${options.name}`,
      `  create it in the cloud: kopsdeck update cluster ${options.name} --yes`,
    ].join('\n'),
  );
}

/** Turns flag strings into builder options, refusing what cannot be parsed. */
export function clusterOptionsFromFlags(positionalName: string | undefined, flags: CreateClusterFlags): ClusterOptions {
  const name = positionalName ?? flags.name;
  if (!name) throw new CliError('Name the cluster: kopsdeck create cluster NAME --zones ZONE[,ZONE...]', 2);
  const zones = splitList(flags.zones);
  if (zones.length === 0) throw new CliError('Choose at least one zone with --zones, e.g. --zones us-east-1a,us-east-1b,us-east-1c.', 2);
  const topology = flags.topology ?? 'public';
  if (topology !== 'public' && topology !== 'private') {
    throw new CliError(`--topology must be public or private, not "${topology}".`, 2);
  }
  const networking = flags.networking;
  if (networking !== undefined && !(NETWORKING_NAMES as readonly string[]).includes(networking)) {
    throw new CliError(`--networking must be one of ${NETWORKING_NAMES.join(', ')}, not "${networking}".`, 2);
  }
  if (flags.bastion && topology !== 'private') {
    throw new CliError('--bastion needs --topology private: a bastion is the way into private subnets.', 2);
  }
  return {
    name,
    zones,
    controlPlaneZones: optionalList(flags.controlPlaneZones),
    controlPlaneCount: optionalCount('--control-plane-count', flags.controlPlaneCount),
    controlPlaneSize: flags.controlPlaneSize,
    nodeCount: optionalCount('--node-count', flags.nodeCount),
    nodeSize: flags.nodeSize,
    kubernetesVersion: flags.kubernetesVersion,
    topology,
    bastion: flags.bastion,
    networking: networking as NetworkingName | undefined,
    dnsZone: flags.dnsZone,
    sshPublicKey: flags.sshPublicKey ? expandHome(flags.sshPublicKey) : undefined,
    adminAccess: optionalList(flags.adminAccess),
    image: flags.image,
    networkCIDR: flags.networkCidr,
  };
}

function splitList(value: string | undefined): string[] {
  return (value ?? '')
    .split(',')
    .map((item) => item.trim())
    .filter(Boolean);
}

function optionalList(value: string | undefined): string[] | undefined {
  const items = splitList(value);
  return items.length > 0 ? items : undefined;
}

function optionalCount(flag: string, value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  if (!/^\d+$/.test(value.trim())) throw new CliError(`${flag} must be a whole number, not "${value}".`, 2);
  return Number(value);
}

/** The key file, checked; a refusal says why, and that nothing was written. */
function readKeyOrRefuse(path: string, shownAs: string): SshPublicKey {
  try {
    return readSshPublicKeyFile(path, shownAs);
  } catch (error) {
    if (error instanceof SshKeyError) throw new CliError(`--ssh-public-key: ${error.message}. Nothing was written.`);
    throw error;
  }
}
