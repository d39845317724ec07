// What a channel says about one version: kops' rule is that the first entry
// whose range holds the version applies (entries are listed newest first).
import type { Channel, ChannelImage, ContainerdPin, KubernetesVersionSpec, NetworkAddon, PinnedRelease } from './channel.js';
import { formatSemver, parseSemver, type Semver } from './semver.js';
import { rangeIncludes } from './version-range.js';

/** kopsdeck follows the rules of this kops release (its channel entries, its supported Kubernetes range). */
export const KOPS_COMPATIBLE_VERSION = '1.36.2';

export type Architecture = 'amd64' | 'arm64';

function asSemver(version: string | Semver): Semver | null {
  return typeof version === 'string' ? parseSemver(version) : version;
}

/** The kubernetesVersions entry that applies to `version`, or null. */
export function kubernetesVersionSpec(channel: Channel, version: string | Semver): KubernetesVersionSpec | null {
  const v = asSemver(version);
  if (!v) return null;
  return channel.kubernetesVersions.find((entry) => !entry.range || rangeIncludes(entry.range, v)) ?? null;
}

/** The patch the channel recommends for this version's range (e.g. 1.31.4 -> 1.31.14), or null. */
export function recommendedKubernetesVersion(channel: Channel, version: string | Semver): string | null {
  const recommended = kubernetesVersionSpec(channel, version)?.recommendedVersion;
  return recommended ? formatSemver(recommended) : null;
}

/** The oldest version the channel still accepts in this version's range, or null. */
export function requiredKubernetesVersion(channel: Channel, version: string | Semver): string | null {
  const required = kubernetesVersionSpec(channel, version)?.requiredVersion;
  return required ? formatSemver(required) : null;
}

/** The Kubernetes version a new cluster gets from kopsdeck (kops' RecommendedKubernetesVersion), or null. */
export function newClusterKubernetesVersion(channel: Channel, kopsVersion: string = KOPS_COMPATIBLE_VERSION): string | null {
  const kops = parseSemver(kopsVersion);
  if (!kops) return null;
  const entry = channel.kopsVersions.find((e) => !e.range || rangeIncludes(e.range, kops));
  return entry?.kubernetesVersion ? formatSemver(entry.kubernetesVersion) : null;
}

/**
 * The image for a cloud, architecture and Kubernetes version (kops'
 * Channel.FindImage): the first image of that provider whose architecture
 * and version range match.
 */
export function findImage(channel: Channel, provider: string, architecture: Architecture, kubernetesVersion: string | Semver): ChannelImage | null {
  const v = asSemver(kubernetesVersion);
  if (!v) return null;
  return (
    channel.images.find(
      (image) =>
        image.providerID === provider &&
        (!image.architectureID || image.architectureID === architecture) &&
        (!image.kubernetesVersion || rangeIncludes(image.kubernetesVersion, v)),
    ) ?? null
  );
}


/** The network add-on pinned for this networking and Kubernetes version: the channel's, else (a channel without the section, such as kops' own) the shipped one's. */
export function findNetworkAddon(channel: Channel, shipped: Channel, networking: string, kubernetesVersion: string | Semver): NetworkAddon | null {
  const version = asSemver(kubernetesVersion);
  if (!version) return null;
  const addons = channel.networking ?? shipped.networking ?? [];
  return addons.find((addon) => addon.name === networking && (!addon.kubernetesVersion || rangeIncludes(addon.kubernetesVersion, version))) ?? null;
}

/** The containerd (and runc) pinned for this Kubernetes version: the channel's, else (a channel without the section, such as kops' own) the shipped one's. */
export function findContainerd(channel: Channel, shipped: Channel, kubernetesVersion: string | Semver): ContainerdPin | null {
  const version = asSemver(kubernetesVersion);
  if (!version) return null;
  const pins = channel.containerd ?? shipped.containerd ?? [];
  return pins.find((pin) => !pin.kubernetesVersion || rangeIncludes(pin.kubernetesVersion, version)) ?? null;
}

/** A pinned release for one architecture: its URL and SHA-256, or null when the channel has no sum for that architecture. */
export function releaseFor(release: PinnedRelease, architecture: Architecture): { version: string; url: string; sha256: string } | null {
  const sha256 = release.sha256[architecture];
  return sha256 ? { version: release.version, url: release.url.replaceAll('@ARCH@', architecture), sha256 } : null;
}
