// Generated names and ids in Kubernetes' own styles (uids, pod-template-hash,
// the five-character suffix of generated pod names), drawn from the seeded source.
import type { SimRandom } from '../contracts.js';

// The alphabet apimachinery uses for generated names (no vowels, no confusables).
const SAFE = 'bcdfghjklmnpqrstvwxz2456789';

export function uidFrom(random: SimRandom): string {
  const h = random.hex(32);
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-a${h.slice(17, 20)}-${h.slice(20, 32)}`;
}

export function nameSuffix(random: SimRandom, length = 5): string {
  let out = '';
  for (let i = 0; i < length; i++) out += SAFE[Math.floor(random.next() * SAFE.length)];
  return out;
}

/** A stable pod-template-hash: the same template always gets the same ReplicaSet name. */
export function templateHash(text: string): string {
  let hash = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    hash ^= text.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193) >>> 0;
  }
  let out = '';
  let value = hash;
  for (let i = 0; i < 10; i++) {
    out += SAFE[value % SAFE.length];
    value = Math.floor(value / SAFE.length) || Math.imul(value + i + 7, 2654435761) >>> 0;
  }
  return out;
}
