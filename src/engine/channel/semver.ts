// Semantic versions as kops' channel files use them: "1.36.3", "v1.31.0",
// "1.36.0-alpha.1". Pre-releases sort before their release, as semver.org
// says (1.36.0-alpha.1 < 1.36.0); build metadata ("+abc") is ignored.

export interface Semver {
  major: number;
  minor: number;
  patch: number;
  /** Pre-release identifiers, e.g. ['alpha', 1]; empty for a release. */
  prerelease: (string | number)[];
}

const NUMBER = '(0|[1-9]\\d{0,8})';
const IDENTIFIER = '[0-9A-Za-z-]+';
const SEMVER = new RegExp(`^v?${NUMBER}\\.${NUMBER}\\.${NUMBER}(?:-(${IDENTIFIER}(?:\\.${IDENTIFIER})*))?(?:\\+${IDENTIFIER}(?:\\.${IDENTIFIER})*)?$`);

/** Parses "1.31.2", "v1.31.2" or "1.36.0-alpha.1"; null for anything else. */
export function parseSemver(text: unknown): Semver | null {
  if (typeof text !== 'string') return null;
  const match = SEMVER.exec(text.trim());
  if (!match) return null;
  const prerelease = match[4] ? match[4].split('.').map((id) => (/^\d+$/.test(id) ? Number(id) : id)) : [];
  return { major: Number(match[1]), minor: Number(match[2]), patch: Number(match[3]), prerelease };
}

/** Negative when a < b, 0 when equal, positive when a > b. */
export function compareSemver(a: Semver, b: Semver): number {
  const core = a.major - b.major || a.minor - b.minor || a.patch - b.patch;
  if (core !== 0) return core;
  // A release is newer than any of its pre-releases.
  if (a.prerelease.length === 0 || b.prerelease.length === 0) return b.prerelease.length - a.prerelease.length;
  for (let i = 0; i < Math.max(a.prerelease.length, b.prerelease.length); i++) {
    const x = a.prerelease[i];
    const y = b.prerelease[i];
    if (x === undefined) return -1;
    if (y === undefined) return 1;
    if (x === y) continue;
    if (typeof x === 'number' && typeof y === 'number') return x - y;
    // Numeric identifiers sort before alphanumeric ones.
    if (typeof x === 'number') return -1;
    if (typeof y === 'number') return 1;
    return x < y ? -1 : 1;
  }
  return 0;
}

/** "1.36.3", "1.36.0-alpha.1" (no leading v). */
export function formatSemver(v: Semver): string {
  const core = `${v.major}.${v.minor}.${v.patch}`;
  return v.prerelease.length > 0 ? `${core}-${v.prerelease.join('.')}` : core;
}

