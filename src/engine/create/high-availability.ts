// What a control plane survives, worked out from its size and how its
// instances sit in zones (the builder's round-robin, see controlPlaneSpread):
// etcd keeps working while a quorum (a majority) of its members is up, so n
// instances survive the loss of floor((n-1)/2) of them, and a zone can go
// only when it holds no more than that.
import type { WizardAnswers } from './answers.js';

type Spread = Pick<WizardAnswers, 'zones' | 'controlPlaneCount'>;

const NUMBER_WORDS = ['no', 'one', 'two', 'three', 'four', 'five', 'six', 'seven', 'eight', 'nine', 'ten'];
const inWords = (n: number): string => NUMBER_WORDS[n] ?? String(n);
const plural = (n: number, word: string): string => `${inWords(n)} ${word}${n === 1 ? '' : 's'}`;

/** Instances per zone, in zone order, as the builder places them. */
export function controlPlaneZoneCounts(a: Spread): Map<string, number> {
  const count = Math.max(0, Math.floor(a.controlPlaneCount));
  const zones = a.zones.slice(0, Math.max(1, count));
  const perZone = new Map<string, number>();
  if (zones.length === 0) return perZone;
  for (let i = 0; i < count; i++) perZone.set(zones[i % zones.length], (perZone.get(zones[i % zones.length]) ?? 0) + 1);
  return perZone;
}

export interface ControlPlaneTolerance {
  /** True when losing one instance keeps the API up. */
  highlyAvailable: boolean;
  /** Members etcd needs up to keep working. */
  quorum: number;
  /** Instances that may fail at once. */
  instances: number;
  /** Any this many zones may go at once (0 when some single zone holds too many). */
  zones: number;
  /** The sentence, e.g. "survives the loss of one instance or of any one zone (etcd keeps quorum with 2 of 3)". */
  sentence: string;
  /** The sentence without its reason in parentheses, for a one-line list. */
  short: string;
  /** The fewest zones over which this many instances survive the loss of any one zone (undefined: never, e.g. one instance). */
  zonesForZoneLoss?: number;
}

/** What the control plane survives, as a sentence that is true for this count and spread. */
export function controlPlaneTolerance(a: Spread): ControlPlaneTolerance {
  const found = tolerance(a);
  const short = found.sentence.replace(/ \([^()]*\)$/, '');
  const zonesForZoneLoss = found.instances > 0 ? Math.ceil(Math.floor(a.controlPlaneCount) / found.instances) : undefined;
  return { ...found, short, zonesForZoneLoss };
}

function tolerance(a: Spread): Omit<ControlPlaneTolerance, 'short' | 'zonesForZoneLoss'> {
  const n = Math.max(0, Math.floor(a.controlPlaneCount));
  const quorum = Math.floor(n / 2) + 1;
  const instances = Math.max(0, n - quorum);
  const perZone = controlPlaneZoneCounts(a);
  const sizes = [...perZone.values()].sort((x, y) => y - x);
  // The most zones that may go at once, whichever they are: the largest ones must fit in the tolerance.
  let zones = 0;
  for (let sum = 0; zones < sizes.length && sum + sizes[zones] <= instances; zones++) sum += sizes[zones];

  if (n <= 1) {
    const where = sizes.length ? ` in ${[...perZone.keys()][0]}` : '';
    return { highlyAvailable: false, quorum, instances: 0, zones: 0, sentence: `no high availability: one instance${where}; if it fails, the API is down until it is replaced` };
  }
  if (instances === 0) {
    return {
      highlyAvailable: false,
      quorum,
      instances,
      zones: 0,
      sentence: `no high availability: etcd needs all ${n} instances for quorum, so if any one fails the API is down until it is replaced`,
    };
  }
  const survives = `survives the loss of ${plural(instances, 'instance')}`;
  if (perZone.size <= 1) {
    const zone = [...perZone.keys()][0];
    const lost = zone ? `, but not of its zone ${zone}, which holds all ${n}` : '';
    return { highlyAvailable: true, quorum, instances, zones: 0, sentence: `${survives}${lost} (etcd needs ${quorum} of ${n} for quorum)` };
  }
  if (zones === 0) {
    const fatal = [...perZone].filter(([, held]) => held > instances);
    const names = fatal.map(([zone]) => zone);
    const held = fatal[0][1];
    const which = names.length === 1 ? `zone ${names[0]}, which holds ${held} of the ${n}` : `zone ${names.slice(0, -1).join(', ')} or ${names.at(-1)}, each holding ${held} of the ${n}`;
    return { highlyAvailable: true, quorum, instances, zones, sentence: `${survives}, but not of ${which} (etcd needs ${quorum} for quorum)` };
  }
  return { highlyAvailable: true, quorum, instances, zones, sentence: `${survives} or of any ${plural(zones, 'zone')} (etcd keeps quorum with ${quorum} of ${n})` };
}
