// A seeded pseudo-random source (mulberry32): the same seed gives the same ids,
// zones and fault rolls, so a simulated run can be repeated.
import type { SimRandom } from './contracts.js';

export interface SeededRandom extends SimRandom {
  /** The generator's position, saved with the world so a restored run does not repeat ids. */
  state: number;
}

export function createSimRandom(seed: number = Date.now()): SeededRandom {
  let state = seed >>> 0;
  const next = (): number => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  return {
    get state() {
      return state;
    },
    set state(value: number) {
      state = value >>> 0;
    },
    next,
    hex(length) {
      let out = '';
      while (out.length < length) out += Math.floor(next() * 16).toString(16);
      return out;
    },
  };
}
