// The string forms of selectors in a list or watch query: label selectors
// (=, ==, !=, in, notin, exists, !exists), parsed into the engine's label
// requirements and matched by its one matcher (engine/kube/label-selector.ts,
// pure), and field selectors (=, ==, != on dotted paths such as spec.nodeName),
// as the API server accepts them.
import type { LabelRequirement } from '../../engine/kube/label-selector.js';
import type { KubeObject } from './types.js';

export interface FieldRequirement {
  path: string;
  op: '=' | '!=';
  value: string;
}

export class SelectorError extends Error {}

/** Splits on commas that are not inside parentheses. */
function splitTopLevel(text: string): string[] {
  const parts: string[] = [];
  let depth = 0;
  let start = 0;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i];
    if (ch === '(') depth++;
    else if (ch === ')') depth--;
    else if (ch === ',' && depth === 0) {
      parts.push(text.slice(start, i));
      start = i + 1;
    }
  }
  parts.push(text.slice(start));
  return parts.map((p) => p.trim()).filter((p) => p.length > 0);
}

export function parseLabelSelector(text: string | null | undefined): LabelRequirement[] {
  if (!text) return [];
  return splitTopLevel(text).map(parseLabelRequirement);
}

function parseLabelRequirement(part: string): LabelRequirement {
  const set = /^([^\s!=(),]+)\s+(in|notin)\s*\(([^)]*)\)$/.exec(part);
  if (set) {
    const values = set[3].split(',').map((v) => v.trim()).filter((v) => v.length > 0);
    return { key: set[1], op: set[2] as 'in' | 'notin', values };
  }
  const inequality = /^([^\s!=]+)\s*!=\s*(\S*)$/.exec(part);
  if (inequality) return { key: inequality[1], op: 'notin', values: [inequality[2]] };
  const equality = /^([^\s!=]+)\s*==?\s*(\S*)$/.exec(part);
  if (equality) return { key: equality[1], op: 'in', values: [equality[2]] };
  const absent = /^!\s*([^\s!=]+)$/.exec(part);
  if (absent) return { key: absent[1], op: '!exists' };
  if (/^[^\s!=(),]+$/.test(part)) return { key: part, op: 'exists' };
  throw new SelectorError(`unable to parse requirement: ${part}`);
}

export function parseFieldSelector(text: string | null | undefined): FieldRequirement[] {
  if (!text) return [];
  return text
    .split(',')
    .map((p) => p.trim())
    .filter((p) => p.length > 0)
    .map((part) => {
      const match = /^([A-Za-z0-9_.]+)\s*(!=|==|=)\s*(.*)$/.exec(part);
      if (!match) throw new SelectorError(`invalid field selector: ${part}`);
      return { path: match[1], op: match[2] === '!=' ? '!=' : '=', value: match[3] } as FieldRequirement;
    });
}

export function fieldValue(obj: KubeObject, path: string): string {
  let current: unknown = obj;
  for (const part of path.split('.')) {
    if (current === null || typeof current !== 'object') return '';
    current = (current as Record<string, unknown>)[part];
  }
  if (current === undefined || current === null) return path === 'spec.unschedulable' ? 'false' : '';
  return String(current);
}

export function matchesFields(requirements: FieldRequirement[], obj: KubeObject): boolean {
  for (const req of requirements) {
    const equal = fieldValue(obj, req.path) === req.value;
    if (req.op === '=' ? !equal : equal) return false;
  }
  return true;
}
