// The switchable faults. Both sides hold the same object, so a change through
// /sim/faults is seen at once; updates mutate it in place for that reason.
import { noFaults, type SimFaults } from './contracts.js';

export function createFaults(initial: Partial<SimFaults> = {}): SimFaults {
  const faults = noFaults();
  mergeFaults(faults, initial);
  return faults;
}

/** Applies a JSON merge patch; throws an Error naming the first bad field. */
export function mergeFaults(faults: SimFaults, patch: unknown): SimFaults {
  if (patch === null || typeof patch !== 'object' || Array.isArray(patch)) {
    throw new Error('faults must be a JSON object');
  }
  const defaults = noFaults();
  const validated: Partial<SimFaults> = {};
  for (const [key, value] of Object.entries(patch)) {
    if (!(key in defaults)) throw new Error(`unknown fault "${key}"`);
    const field = key as keyof SimFaults;
    const fallback = defaults[field];
    const resolved = value === null ? fallback : value;
    if (Array.isArray(fallback)) {
      if (!Array.isArray(resolved) || resolved.some((v) => typeof v !== 'string')) {
        throw new Error(`fault "${key}" must be a list of instance ids`);
      }
    } else if (typeof resolved !== 'number' || !Number.isFinite(resolved) || resolved < 0) {
      throw new Error(`fault "${key}" must be a non-negative number`);
    } else if ((field === 'throttleRate' || field === 'serverErrorRate') && resolved > 1) {
      throw new Error(`fault "${key}" is a share between 0 and 1`);
    }
    (validated as Record<string, unknown>)[field] = resolved;
  }
  Object.assign(faults, validated);
  return faults;
}
