// Label selectors as the API server applies them: a metav1.LabelSelector
// (matchLabels, matchExpressions) or the string form of a ?labelSelector=
// query, both reduced to requirements and matched by one function. The
// engine matches PodDisruptionBudgets to pods with it (to say which budget a
// drain waits on); the simulator serves lists and decides evictions with it.
// One rule, so the two never disagree about which pods a budget covers. Pure
// (no I/O), which is why the simulator may import it.
import type { LabelSelector } from './types.js';

export type LabelRequirement =
  | { key: string; op: 'in' | 'notin'; values: readonly string[] }
  | { key: string; op: 'exists' | '!exists' };

/**
 * A selector object as requirements. Undefined when it selects nothing: a
 * null selector (a PodDisruptionBudget's selects no pods; an empty one, {},
 * selects every pod of its namespace), or an operator the API server does not
 * know (it refuses such a selector, so nothing is matched by it).
 */
export function requirementsOf(selector: LabelSelector | null | undefined): LabelRequirement[] | undefined {
  if (!selector) return undefined;
  const requirements: LabelRequirement[] = Object.entries(selector.matchLabels ?? {}).map(([key, value]) => ({ key, op: 'in', values: [value] }));
  for (const expr of selector.matchExpressions ?? []) {
    switch (expr.operator) {
      case 'In':
        requirements.push({ key: expr.key, op: 'in', values: expr.values ?? [] });
        break;
      case 'NotIn':
        requirements.push({ key: expr.key, op: 'notin', values: expr.values ?? [] });
        break;
      case 'Exists':
        requirements.push({ key: expr.key, op: 'exists' });
        break;
      case 'DoesNotExist':
        requirements.push({ key: expr.key, op: '!exists' });
        break;
      default:
        return undefined;
    }
  }
  return requirements;
}

/** Every requirement holds for these labels (no requirements: everything matches). */
export function labelsMatch(requirements: readonly LabelRequirement[], labels: Readonly<Record<string, string>> | undefined): boolean {
  for (const req of requirements) {
    // Own keys only: a label named "constructor" is not there just because objects have one.
    const value = labels && Object.prototype.hasOwnProperty.call(labels, req.key) ? labels[req.key] : undefined;
    switch (req.op) {
      case 'in':
        if (value === undefined || !req.values.includes(value)) return false;
        break;
      case 'notin':
        if (value !== undefined && req.values.includes(value)) return false;
        break;
      case 'exists':
        if (value === undefined) return false;
        break;
      case '!exists':
        if (value !== undefined) return false;
        break;
    }
  }
  return true;
}

export function selectorMatches(selector: LabelSelector | null | undefined, labels: Readonly<Record<string, string>> | undefined): boolean {
  const requirements = requirementsOf(selector);
  return requirements !== undefined && labelsMatch(requirements, labels);
}
