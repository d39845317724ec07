// Tab completion for the wizard's text fields: cluster names under the
// account's hosted zones, EC2 machine types (those the region offers, when
// the cloud listed them), and file paths.
import { readdirSync, statSync } from 'node:fs';
import { dirname, basename, join } from 'node:path';
import { GOSSIP_SUFFIX, type HostedZoneInfo } from './answers.js';
import { COMMON_MACHINE_TYPES, expandHome, type MachineTypeOfferings } from './field-checks.js';

export interface TextCompletion {
  text: string;
  candidates: string[];
}

function commonPrefix(words: readonly string[]): string {
  if (words.length === 0) return '';
  let prefix = words[0];
  for (const word of words) while (!word.startsWith(prefix)) prefix = prefix.slice(0, -1);
  return prefix;
}

function fromCandidates(text: string, all: readonly string[]): TextCompletion {
  const candidates = all.filter((c) => c.startsWith(text));
  if (candidates.length === 1) return { text: candidates[0], candidates: [] };
  const prefix = commonPrefix(candidates);
  return { text: prefix.length > text.length ? prefix : text, candidates };
}

/** "demo" or "demo.ex" -> names under the hosted zones, or .k8s.local. */
export function completeClusterName(text: string, zones: readonly HostedZoneInfo[]): TextCompletion {
  const label = text.split('.')[0] || 'demo';
  const names = [...zones.map((z) => `${label}.${z.name}`), `${label}${GOSSIP_SUFFIX}`];
  return fromCandidates(text, names);
}

/**
 * Common machine types; with the region's offerings, only those it offers, and
 * once a family is typed (t3.), every size of it the region offers.
 */
export function completeMachineType(text: string, offerings?: MachineTypeOfferings): TextCompletion {
  const offered = offerings?.types;
  if (!offered) return fromCandidates(text, COMMON_MACHINE_TYPES);
  const common = COMMON_MACHINE_TYPES.filter((t) => offered.includes(t));
  return fromCandidates(text, text.includes('.') ? offered : common);
}

/** Completes a path against the file system (directories get a trailing slash). */
export function completePath(text: string): TextCompletion {
  const typed = text === '' ? '~/.ssh/' : text;
  const full = expandHome(typed);
  const dir = typed.endsWith('/') ? full : dirname(full);
  const partial = typed.endsWith('/') ? '' : basename(full);
  const shownDir = typed.endsWith('/') ? typed : typed.slice(0, typed.length - partial.length);
  let entries: string[];
  try {
    entries = readdirSync(dir).filter((e) => e.startsWith(partial) && (partial.startsWith('.') || !e.startsWith('.')));
  } catch {
    return { text, candidates: [] };
  }
  const shown = entries.sort().map((e) => {
    try {
      return statSync(join(dir, e)).isDirectory() ? `${shownDir}${e}/` : `${shownDir}${e}`;
    } catch {
      return `${shownDir}${e}`;
    }
  });
  const result = fromCandidates(typed, shown);
  return { text: result.text, candidates: result.candidates.map((c) => basename(c) + (c.endsWith('/') ? '/' : '')) };
}
