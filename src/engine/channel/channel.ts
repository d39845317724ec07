// A channel in kops' own format (kind: Channel): the machine image per cloud,
// architecture and Kubernetes version; the recommended and required
// Kubernetes patch per version range; and, per kops version, the Kubernetes
// version a new cluster gets. Parsing checks every field and says where a
// problem is, e.g. `spec.kubernetesVersions[2].range: ...`.
import { parse as parseYaml } from 'yaml';
import { parseSemver, type Semver } from './semver.js';
import { parseVersionRange, VersionRangeError, type VersionRange } from './version-range.js';
import { errorMessage } from '../error-message.js';

export interface ChannelImage {
  name: string;
  /** The cloud, e.g. "aws". */
  providerID: string;
  /** "amd64" or "arm64"; absent: any architecture. */
  architectureID?: string;
  /** The Kubernetes versions it is for; absent: all. */
  kubernetesVersion?: VersionRange;
}

export interface KubernetesVersionSpec {
  range?: VersionRange;
  recommendedVersion?: Semver;
  requiredVersion?: Semver;
}

export interface KopsVersionSpec {
  range?: VersionRange;
  /** The Kubernetes version a new cluster gets from these kops versions. */
  kubernetesVersion?: Semver;
}

/**
 * kopsdeck's own addition to the format (kops keeps these pins in its code,
 * pkg/model/components): the network add-on a new cluster's first
 * control-plane node installs, pinned per networking and Kubernetes version.
 * Exactly one of `manifest` (applied with kubectl) and `chart` (installed with
 * helm, from `helm`, a URL with @ARCH@ for the machine's architecture) is set.
 */
export interface NetworkAddon {
  /** The spec.networking key: cilium, calico, flannel, amazonvpc, kindnet. */
  name: string;
  kubernetesVersion?: VersionRange;
  version: string;
  manifest?: string;
  chart?: string;
  helm?: string;
}

/** A release file at a URL with @ARCH@ for the machine's architecture, and its SHA-256 per architecture. */
export interface PinnedRelease {
  version: string;
  url: string;
  sha256: Partial<Record<'amd64' | 'arm64', string>>;
}

/**
 * kopsdeck's own addition (kops pins these in pkg/model/components): the
 * containerd release, and the runc release it runs containers with, that
 * machines install for these Kubernetes versions.
 */
export interface ContainerdPin extends PinnedRelease {
  kubernetesVersion?: VersionRange;
  runc: PinnedRelease;
}

export interface Channel {
  /** Where it was read from, as the user named it ("stable", a path, a URL). */
  location: string;
  images: ChannelImage[];
  kubernetesVersions: KubernetesVersionSpec[];
  kopsVersions: KopsVersionSpec[];
  /** Absent in kops' own channels: kopsdeck then uses its shipped channel's. */
  networking?: NetworkAddon[];
  /** Absent in kops' own channels: kopsdeck then uses its shipped channel's. */
  containerd?: ContainerdPin[];
}

/** A channel that cannot be read or parsed; the message names the channel and the reason. */
export class ChannelError extends Error {
  constructor(
    readonly location: string,
    readonly reason: string,
  ) {
    super(`channel "${location}" could not be read: ${reason}`);
    this.name = 'ChannelError';
  }
}

type Doc = Record<string, unknown>;
const isDoc = (v: unknown): v is Doc => v !== null && typeof v === 'object' && !Array.isArray(v);

/** Parses a channel's YAML text; throws ChannelError listing every problem. */
export function parseChannel(text: string, location: string): Channel {
  let doc: unknown;
  try {
    doc = parseYaml(text);
  } catch (error) {
    throw new ChannelError(location, `it is not valid YAML (${errorMessage(error).split('\n')[0]})`);
  }
  const problems: string[] = [];
  if (!isDoc(doc)) throw new ChannelError(location, 'it is not a channel: expected a mapping with a spec');
  if (doc.kind !== undefined && doc.kind !== 'Channel') problems.push(`kind: is "${String(doc.kind)}", expected Channel`);
  const spec = doc.spec;
  if (!isDoc(spec)) throw new ChannelError(location, 'it has no spec mapping (expected spec.images, spec.kubernetesVersions, spec.kopsVersions)');
  const reader = new FieldReader(problems);
  const channel: Channel = {
    location,
    images: reader.list(spec, 'spec.images', (item, path) => ({
      name: reader.requiredString(item, 'name', path),
      providerID: reader.requiredString(item, 'providerID', path),
      architectureID: reader.optionalString(item, 'architectureID', path),
      kubernetesVersion: reader.range(item, 'kubernetesVersion', path),
    })),
    kubernetesVersions: reader.list(spec, 'spec.kubernetesVersions', (item, path) => ({
      range: reader.range(item, 'range', path),
      recommendedVersion: reader.version(item, 'recommendedVersion', path),
      requiredVersion: reader.version(item, 'requiredVersion', path),
    })),
    kopsVersions: reader.list(spec, 'spec.kopsVersions', (item, path) => ({
      range: reader.range(item, 'range', path),
      kubernetesVersion: reader.version(item, 'kubernetesVersion', path),
    })),
  };
  if (spec.networking !== undefined) channel.networking = reader.list(spec, 'spec.networking', (item, path) => reader.networkAddon(item, path));
  if (spec.containerd !== undefined) channel.containerd = reader.list(spec, 'spec.containerd', (item, path) => reader.containerdPin(item, path));
  if (problems.length > 0) throw new ChannelError(location, problems.join('; '));
  return channel;
}

/** Reads typed fields, collecting a `path: problem` line for each bad one. */
class FieldReader {
  constructor(private readonly problems: string[]) {}

  list<T>(spec: Doc, path: string, read: (item: Doc, path: string) => T): T[] {
    const key = path.split('.').at(-1)!;
    const value = spec[key];
    if (value === undefined || value === null) return [];
    if (!Array.isArray(value)) {
      this.problems.push(`${path}: must be a list`);
      return [];
    }
    const items: T[] = [];
    value.forEach((item, i) => {
      if (isDoc(item)) items.push(read(item, `${path}[${i}]`));
      else this.problems.push(`${path}[${i}]: must be a mapping`);
    });
    return items;
  }

  optionalString(item: Doc, key: string, path: string): string | undefined {
    const value = item[key];
    if (value === undefined || value === null) return undefined;
    if (typeof value === 'string') return value;
    this.problems.push(`${path}.${key}: must be text`);
    return undefined;
  }

  requiredString(item: Doc, key: string, path: string): string {
    const value = this.optionalString(item, key, path);
    if (value === undefined && item[key] == null) this.problems.push(`${path}.${key}: is required`);
    return value ?? '';
  }

  range(item: Doc, key: string, path: string): VersionRange | undefined {
    const text = this.optionalString(item, key, path);
    if (text === undefined) return undefined;
    try {
      return parseVersionRange(text);
    } catch (error) {
      if (!(error instanceof VersionRangeError)) throw error;
      this.problems.push(`${path}.${key}: ${error.message}`);
      return undefined;
    }
  }

  networkAddon(item: Doc, path: string): NetworkAddon {
    const addon: NetworkAddon = {
      name: this.requiredString(item, 'name', path),
      kubernetesVersion: this.range(item, 'kubernetesVersion', path),
      version: this.requiredString(item, 'version', path),
      manifest: this.url(item, 'manifest', path),
      chart: this.url(item, 'chart', path),
      helm: this.url(item, 'helm', path),
    };
    if (Boolean(addon.manifest) === Boolean(addon.chart)) this.problems.push(`${path}: set exactly one of manifest and chart`);
    if (addon.chart && !addon.helm) this.problems.push(`${path}.helm: is required with a chart (the helm release to install it with)`);
    return addon;
  }

  containerdPin(item: Doc, path: string): ContainerdPin {
    const runc = item.runc;
    if (!isDoc(runc)) this.problems.push(`${path}.runc: is required (the runc release containerd runs containers with)`);
    return {
      ...this.pinnedRelease(item, path),
      kubernetesVersion: this.range(item, 'kubernetesVersion', path),
      runc: isDoc(runc) ? this.pinnedRelease(runc, `${path}.runc`) : { version: '', url: '', sha256: {} },
    };
  }

  /** version, an https url with @ARCH@, and sha256 per architecture (amd64, arm64: 64 hex digits each). */
  private pinnedRelease(item: Doc, path: string): PinnedRelease {
    const url = this.url(item, 'url', path) ?? '';
    if (item.url == null) this.problems.push(`${path}.url: is required`);
    else if (url && !url.includes('@ARCH@')) this.problems.push(`${path}.url: must hold @ARCH@, which becomes the machine's architecture`);
    const sums = item.sha256;
    const sha256: PinnedRelease['sha256'] = {};
    if (!isDoc(sums) || Object.keys(sums).length === 0) this.problems.push(`${path}.sha256: must map an architecture (amd64, arm64) to the release file's SHA-256`);
    else {
      for (const [arch, sum] of Object.entries(sums)) {
        if (arch !== 'amd64' && arch !== 'arm64') this.problems.push(`${path}.sha256.${arch}: is not an architecture (amd64, arm64)`);
        else if (typeof sum !== 'string' || !/^[0-9a-f]{64}$/.test(sum)) this.problems.push(`${path}.sha256.${arch}: must be 64 lowercase hex digits`);
        else sha256[arch] = sum;
      }
    }
    return { version: this.requiredString(item, 'version', path), url, sha256 };
  }

  url(item: Doc, key: string, path: string): string | undefined {
    const text = this.optionalString(item, key, path);
    if (text !== undefined && !/^https:\/\/[A-Za-z0-9._\-+:/@]+$/.test(text)) this.problems.push(`${path}.${key}: must be an https URL without spaces or quotes`);
    return text;
  }

  version(item: Doc, key: string, path: string): Semver | undefined {
    const text = this.optionalString(item, key, path);
    if (text === undefined) return undefined;
    const version = parseSemver(text);
    if (!version) this.problems.push(`${path}.${key}: "${text}" is not a version like 1.36.3`);
    return version ?? undefined;
  }
}
