// Which Kubernetes versions kopsdeck accepts, as kops 1.36 does (its
// apply_cluster.go validateKubernetesVersion): any parsable version from the
// oldest supported one up to kops' own minor. Below the oldest recommended
// minor, or below the patch the channel recommends for a minor, it warns; it
// refuses only what it cannot parse or what is outside that range.
import type { Channel } from '../channel/channel.js';
import { ChannelError } from '../channel/channel.js';
import { shippedChannel } from '../channel/load-channel.js';
import { KOPS_COMPATIBLE_VERSION, newClusterKubernetesVersion, recommendedKubernetesVersion, requiredKubernetesVersion } from '../channel/lookups.js';
import { compareVersions, minorOf, parseVersion, plainVersion } from './versions.js';

/** kops 1.36's OldestSupportedKubernetesVersion. */
export const OLDEST_SUPPORTED_KUBERNETES_VERSION = '1.31.0';
/** kops 1.36's OldestRecommendedKubernetesVersion: older minors still work but are deprecated. */
export const OLDEST_RECOMMENDED_KUBERNETES_VERSION = '1.33.0';

const kops = parseVersion(KOPS_COMPATIBLE_VERSION)!;
/** "1.36": kops refuses Kubernetes minors newer than its own. */
export const KOPS_MINOR = `${kops.major}.${kops.minor}`;

/** "1.31.0 to 1.36.x", for messages. */
export function supportedKubernetesRange(): string {
  return `${OLDEST_SUPPORTED_KUBERNETES_VERSION} to ${KOPS_MINOR}.x`;
}

/** Why kopsdeck refuses this version, or null when it accepts it. */
export function kubernetesVersionError(version: string): string | null {
  const v = parseVersion(version);
  if (!v) return `"${version}" is not a Kubernetes version like 1.36.3 (major.minor.patch)`;
  const plain = plainVersion(version)!;
  const supported = `kopsdeck supports ${supportedKubernetesRange()}, as kops ${KOPS_MINOR} does`;
  if (compareVersions(plain, OLDEST_SUPPORTED_KUBERNETES_VERSION) < 0) return `Kubernetes ${plain} is no longer supported; ${supported}`;
  if (v.major > kops.major || (v.major === kops.major && v.minor > kops.minor)) return `Kubernetes ${plain} is not supported yet; ${supported}`;
  return null;
}

export function isSupportedKubernetesVersion(version: string): boolean {
  return kubernetesVersionError(version) === null;
}

/**
 * What is worth knowing about a supported version: its minor is deprecated,
 * the channel requires or recommends a newer patch. Empty for a version
 * that is refused (its error says it all) and for an up-to-date one.
 */
export function kubernetesVersionWarnings(version: string, channel?: Channel, clusterName?: string): string[] {
  if (kubernetesVersionError(version) !== null) return [];
  const plain = plainVersion(version)!;
  const minor = minorOf(plain);
  const how = clusterName ? ` (kopsdeck upgrade cluster ${clusterName})` : '';
  const warnings: string[] = [];
  if (compareVersions(plain, OLDEST_RECOMMENDED_KUBERNETES_VERSION) < 0) {
    warnings.push(`support for Kubernetes ${minor} is deprecated (kops ${KOPS_MINOR} recommends ${OLDEST_RECOMMENDED_KUBERNETES_VERSION} or newer); upgrading is recommended${how}`);
  }
  if (!channel) return warnings;
  const required = requiredKubernetesVersion(channel, plain);
  const recommended = recommendedKubernetesVersion(channel, plain);
  if (required && compareVersions(plain, required) < 0) {
    warnings.push(`Kubernetes ${plain} is older than ${required}, the oldest the ${channel.location} channel accepts for it; upgrade it${how}`);
  } else if (recommended && compareVersions(plain, recommended) < 0) {
    warnings.push(`Kubernetes ${recommended} is available and recommended by the ${channel.location} channel (the cluster asks for ${plain}); upgrading is recommended${how}`);
  }
  return warnings;
}

export interface RecommendedVersion {
  version: string;
  /** Below kops 1.36's oldest recommended minor. */
  deprecated: boolean;
  /** The version new clusters get. */
  newest: boolean;
}

/** The channel's recommended patch of each supported minor, newest minor first (what the wizard offers). */
export function recommendedVersions(channel: Channel = shippedChannel()): RecommendedVersion[] {
  const oldest = parseVersion(OLDEST_SUPPORTED_KUBERNETES_VERSION)!;
  const newest = newClusterKubernetesVersion(channel);
  const found: RecommendedVersion[] = [];
  for (let minor = kops.minor; minor >= oldest.minor; minor--) {
    const version = recommendedKubernetesVersion(channel, `${kops.major}.${minor}.0`);
    if (!version || minorOf(version) !== `${kops.major}.${minor}`) continue;
    found.push({ version, deprecated: compareVersions(version, OLDEST_RECOMMENDED_KUBERNETES_VERSION) < 0, newest: version === newest });
  }
  return found;
}

/** The version a new cluster gets: the channel's Kubernetes version for kops 1.36 (1.36.3 in the shipped channel). */
export function defaultKubernetesVersion(channel: Channel = shippedChannel()): string {
  const version = newClusterKubernetesVersion(channel);
  if (!version) throw new ChannelError(channel.location, `it names no Kubernetes version for kops ${KOPS_COMPATIBLE_VERSION} (spec.kopsVersions)`);
  return version;
}
