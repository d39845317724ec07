// Kubernetes version text: parsing and ordering. Which versions kopsdeck
// accepts and recommends is in kubernetes-version.ts (the rules) and in the
// channel file (the recommended patches), not here.

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

/** "major.minor" of a version, e.g. '1.31.2' -> '1.31'. */
export function minorOf(version: string): string | null {
  const v = parseVersion(version);
  return v ? `${v.major}.${v.minor}` : null;
}

/** '1.31.2' and 'v1.31.2' -> '1.31.2'; null when unparsable. */
export function plainVersion(version: string): string | null {
  const v = parseVersion(version);
  return v ? `${v.major}.${v.minor}.${v.patch}` : null;
}
