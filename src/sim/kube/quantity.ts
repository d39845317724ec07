// Kubernetes resource quantities ("100m", "1", "512Mi", "1Gi", "1e3", "1.5k")
// as numbers, for the scheduler's resource fit: cpu in millicores, memory in
// bytes. Written for the forms the API server accepts; anything else is
// reported as NaN so that a caller can refuse it rather than guess.

const BINARY: Record<string, number> = { Ki: 2 ** 10, Mi: 2 ** 20, Gi: 2 ** 30, Ti: 2 ** 40, Pi: 2 ** 50, Ei: 2 ** 60 };
const DECIMAL: Record<string, number> = { n: 1e-9, u: 1e-6, m: 1e-3, '': 1, k: 1e3, M: 1e6, G: 1e9, T: 1e12, P: 1e15, E: 1e18 };

const FORM = /^([+-]?(?:\d+\.?\d*|\.\d+))(?:([eE][+-]?\d+)|(Ki|Mi|Gi|Ti|Pi|Ei|n|u|m|k|M|G|T|P|E)?)$/;

/** The quantity's value in base units (cores, bytes); NaN when it is not a quantity. */
export function parseQuantity(text: string | number | undefined): number {
  if (typeof text === 'number') return text;
  if (text === undefined) return NaN;
  const match = FORM.exec(text.trim());
  if (!match) return NaN;
  const [, digits, exponent, suffix = ''] = match;
  if (exponent) return Number(`${digits}${exponent}`);
  return Number(digits) * (BINARY[suffix] ?? DECIMAL[suffix]);
}

/** Cpu in whole millicores, rounded up as the API server rounds sub-milli cpu (via whole nanocores, so that 0.1 * 1000 is 100, not 101). */
export function milliCpu(text: string | number | undefined): number {
  const value = parseQuantity(text);
  return Number.isNaN(value) ? NaN : Math.ceil(Math.round(value * 1e9) / 1e6);
}

/** Memory in bytes, rounded up. */
export function memoryBytes(text: string | number | undefined): number {
  const value = parseQuantity(text);
  return Number.isNaN(value) ? NaN : Math.ceil(value);
}
