// The Kubernetes versions kopsdeck can create and upgrade to, oldest first.
// One minor is marked stable: the default for new clusters, as kops' stable
// channel recommends one.

export interface KubernetesRelease {
  version: string;
  stable?: boolean;
}

export const SUPPORTED_KUBERNETES_VERSIONS: readonly KubernetesRelease[] = [
  { version: '1.29.13' },
  { version: '1.29.14' },
  { version: '1.29.15' },
  { version: '1.30.10' },
  { version: '1.30.11' },
  { version: '1.30.12' },
  { version: '1.30.13' },
  { version: '1.31.7' },
  { version: '1.31.8' },
  { version: '1.31.9' },
  { version: '1.32.3' },
  { version: '1.32.4' },
  { version: '1.32.5', stable: true },
  { version: '1.33.0' },
  { version: '1.33.1' },
  { version: '1.33.2' },
];

export interface SemVer {
  major: number;
  minor: number;
  patch: number;
}

/** Parses "1.31.2" (an optional leading v is tolerated); null otherwise. */
export function parseVersion(text: unknown): SemVer | null {
  if (typeof text !== 'string') return null;
  const match = /^v?(0|[1-9]\d{0,5})\.(0|[1-9]\d{0,5})\.(0|[1-9]\d{0,5})$/.exec(text);
  if (!match) return null;
  return { major: Number(match[1]), minor: Number(match[2]), patch: Number(match[3]) };
}

/** Negative when a < b, 0 when equal, positive when a > b; unparsable versions sort first. */
export function compareVersions(a: string, b: string): number {
  const va = parseVersion(a);
  const vb = parseVersion(b);
  if (!va || !vb) return (va ? 1 : 0) - (vb ? 1 : 0);
  return va.major - vb.major || va.minor - vb.minor || va.patch - vb.patch;
}

export function supportedVersions(): string[] {
  return SUPPORTED_KUBERNETES_VERSIONS.map((r) => r.version);
}

export function isSupported(version: string): boolean {
  const parsed = parseVersion(version);
  if (!parsed) return false;
  const plain = `${parsed.major}.${parsed.minor}.${parsed.patch}`;
  return SUPPORTED_KUBERNETES_VERSIONS.some((r) => r.version === plain);
}

/** The version new clusters get by default. */
export function latestStable(): string {
  const stable = SUPPORTED_KUBERNETES_VERSIONS.filter((r) => r.stable);
  return (stable.length > 0 ? stable : SUPPORTED_KUBERNETES_VERSIONS).at(-1)!.version;
}

/** The newest supported patch of the same minor ('1.31.7' -> '1.31.9'), or null. */
export function latestPatch(version: string): string | null {
  const v = parseVersion(version);
  if (!v) return null;
  return newestOfMinor(v.major, v.minor);
}

/**
 * The newest supported patch of the next minor ('1.31.9' -> '1.32.5'), or null
 * when there is none. Kubernetes upgrades one minor at a time.
 */
export function nextMinor(version: string): string | null {
  const v = parseVersion(version);
  if (!v) return null;
  return newestOfMinor(v.major, v.minor + 1);
}

function newestOfMinor(major: number, minor: number): string | null {
  const matching = supportedVersions().filter((s) => {
    const p = parseVersion(s)!;
    return p.major === major && p.minor === minor;
  });
  return matching.at(-1) ?? null;
}

/** "major.minor" of a version, e.g. '1.31.2' -> '1.31'. */
export function minorOf(version: string): string | null {
  const v = parseVersion(version);
  return v ? `${v.major}.${v.minor}` : null;
}
