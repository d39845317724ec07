// CIDR arithmetic for validation (containment, overlap) and for carving the
// default subnets out of the network CIDR. Addresses are bigints so IPv4 and
// IPv6 share one code path.

export interface Cidr {
  family: 4 | 6;
  /** The network address (host bits cleared). */
  base: bigint;
  prefix: number;
  /** True when the text had host bits set, e.g. 172.20.1.0/16. */
  hadHostBits: boolean;
}

const IPV4_OCTET = /^(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)$/;

function bitsOf(family: 4 | 6): number {
  return family === 4 ? 32 : 128;
}

export function parseIpv4(text: string): bigint | null {
  const parts = text.split('.');
  if (parts.length !== 4 || !parts.every((p) => IPV4_OCTET.test(p))) return null;
  return parts.reduce((acc, p) => (acc << 8n) | BigInt(Number(p)), 0n);
}

export function parseIpv6(text: string): bigint | null {
  if (!/^[0-9a-fA-F:]+$/.test(text) || text.length < 2) return null;
  const halves = text.split('::');
  if (halves.length > 2) return null;
  const groupsOf = (s: string): string[] | null => {
    if (s === '') return [];
    const groups = s.split(':');
    return groups.every((g) => /^[0-9a-fA-F]{1,4}$/.test(g)) ? groups : null;
  };
  const head = groupsOf(halves[0]);
  const tail = halves.length === 2 ? groupsOf(halves[1]) : [];
  if (!head || !tail) return null;
  const missing = 8 - head.length - tail.length;
  if (halves.length === 1 ? missing !== 0 : missing < 1) return null;
  const groups = [...head, ...Array<string>(halves.length === 2 ? missing : 0).fill('0'), ...tail];
  return groups.reduce((acc, g) => (acc << 16n) | BigInt(parseInt(g, 16)), 0n);
}

/** Parses "a.b.c.d/n" or an IPv6 "x::/n"; null when the text is not a CIDR. */
export function parseCidr(text: unknown): Cidr | null {
  if (typeof text !== 'string') return null;
  const slash = text.indexOf('/');
  if (slash < 0 || slash !== text.lastIndexOf('/')) return null;
  const addressText = text.slice(0, slash);
  const prefixText = text.slice(slash + 1);
  if (!/^\d{1,3}$/.test(prefixText)) return null;
  const prefix = Number(prefixText);
  const v4 = parseIpv4(addressText);
  const family: 4 | 6 = v4 !== null ? 4 : 6;
  const address = v4 ?? parseIpv6(addressText);
  if (address === null || prefix > bitsOf(family)) return null;
  const base = address & maskOf(family, prefix);
  return { family, base, prefix, hadHostBits: base !== address };
}

function maskOf(family: 4 | 6, prefix: number): bigint {
  const bits = BigInt(bitsOf(family));
  const all = (1n << bits) - 1n;
  return all ^ ((1n << (bits - BigInt(prefix))) - 1n);
}

/** True when `inner` lies wholly inside `outer`. */
export function cidrContains(outer: Cidr, inner: Cidr): boolean {
  if (outer.family !== inner.family || inner.prefix < outer.prefix) return false;
  return (inner.base & maskOf(outer.family, outer.prefix)) === outer.base;
}

export function cidrsOverlap(a: Cidr, b: Cidr): boolean {
  return cidrContains(a, b) || cidrContains(b, a);
}

export function formatIp(family: 4 | 6, address: bigint): string {
  if (family === 4) {
    return [24n, 16n, 8n, 0n].map((shift) => String((address >> shift) & 255n)).join('.');
  }
  const groups: string[] = [];
  for (let shift = 112n; shift >= 0n; shift -= 16n) groups.push(((address >> shift) & 0xffffn).toString(16));
  return groups.join(':').replace(/(^|:)0(:0)+(:|$)/, '::');
}

export function formatCidr(c: Pick<Cidr, 'family' | 'base' | 'prefix'>): string {
  return `${formatIp(c.family, c.base)}/${c.prefix}`;
}

/**
 * Splits `c` into `2^extraBits` equal pieces, in address order, as kops does
 * when it carves /19 zone subnets out of a /16 network.
 */
export function splitCidr(c: Cidr, extraBits: number): Cidr[] {
  const prefix = c.prefix + extraBits;
  if (extraBits < 0 || prefix > bitsOf(c.family)) return [];
  const step = 1n << BigInt(bitsOf(c.family) - prefix);
  const pieces: Cidr[] = [];
  for (let i = 0n; i < 1n << BigInt(extraBits); i++) {
    pieces.push({ family: c.family, base: c.base + i * step, prefix, hadHostBits: false });
  }
  return pieces;
}
