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
    const requirement = requirementOf(expr);
    if (!requirement) return undefined;
    requirements.push(requirement);
  }
  return requirements;
}

/**
 * One match expression (In, NotIn, Exists, DoesNotExist) as a requirement;
 * undefined for another operator. Node selector terms use the same four, plus
 * Gt and Lt, which only they know.
 */
export function requirementOf(expr: { key: string; operator: string; values?: readonly string[] }): LabelRequirement | undefined {
  switch (expr.operator) {
    case 'In':
      return { key: expr.key, op: 'in', values: expr.values ?? [] };
    case 'NotIn':
      return { key: expr.key, op: 'notin', values: expr.values ?? [] };
    case 'Exists':
      return { key: expr.key, op: 'exists' };
    case 'DoesNotExist':
      return { key: expr.key, op: '!exists' };
    default:
      return undefined;
  }
}

/** The value of a label; own keys only: a label named "constructor" is not there just because objects have one. */
export function labelValue(labels: Readonly<Record<string, string>> | undefined, key: string): string | undefined {
  return labels && Object.prototype.hasOwnProperty.call(labels, key) ? labels[key] : undefined;
}

/** Whether a requirement holds for a label's value (undefined: the label is absent). */
export function requirementHolds(req: LabelRequirement, value: string | undefined): boolean {
  switch (req.op) {
    case 'in':
      return value !== undefined && req.values.includes(value);
    case 'notin':
      return value === undefined || !req.values.includes(value);
    case 'exists':
      return value !== undefined;
    case '!exists':
      return value === undefined;
  }
}

/** Every requirement holds for these labels (no requirements: everything matches). */
export function labelsMatch(requirements: readonly LabelRequirement[], labels: Readonly<Record<string, string>> | undefined): boolean {
  for (const req of requirements) if (!requirementHolds(req, labelValue(labels, req.key))) return false;
  return true;
}

export function selectorMatches(selector: LabelSelector | null | undefined, labels: Readonly<Record<string, string>> | undefined): boolean {
  const requirements = requirementsOf(selector);
  return requirements !== undefined && labelsMatch(requirements, labels);
}
