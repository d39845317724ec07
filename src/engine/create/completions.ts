// Tab completion for the wizard's text fields: cluster names under the
// account's hosted zones, common EC2 machine types, and file paths.
import { readdirSync, statSync } from 'node:fs';
import { dirname, basename, join } from 'node:path';
import { GOSSIP_SUFFIX, type HostedZoneInfo } from './answers.js';
import { expandHome } from './field-checks.js';

export const COMMON_MACHINE_TYPES: readonly string[] = [
  't3.small', 't3.medium', 't3.large', 't3.xlarge', 't3.2xlarge',
  't4g.medium', 't4g.large',
  'm6i.large', 'm6i.xlarge', 'm6i.2xlarge', 'm7i.large', 'm7i.xlarge',
  'm6g.large', 'm7g.large',
  'c6i.large', 'c6i.xlarge', 'c7i.large',
  'r6i.large', 'r6i.xlarge',
];

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

export function completeMachineType(text: string): TextCompletion {
  return fromCandidates(text, COMMON_MACHINE_TYPES);
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
