// IAM's evaluation of identity-based policies, so that a simulated machine
// gets from S3 only what its instance profile's role allows, as on AWS: an
// explicit Deny wins, else any Allow, else the implicit deny. Only what
// identity policies need is modelled: no resource policies, boundaries, SCPs
// or session policies, no policy variables, no ForAnyValue/ForAllValues
// (the request context holds single values). Managed policies are not
// modelled either: the world keeps only their ARNs.
import type { IamRole } from '../world/iam-types.js';

export interface RequestContext {
  /** e.g. { 's3:prefix': 'cluster/pki/' } */
  [key: string]: string;
}

export type Decision = { allowed: true } | { allowed: false; reason: string };

interface Statement {
  Effect?: unknown;
  Action?: unknown;
  NotAction?: unknown;
  Resource?: unknown;
  NotResource?: unknown;
  Condition?: unknown;
}

/** A document's statements; null when it is not a policy (IAM would have refused it, so it grants nothing). */
function statementsOf(text: string): Statement[] | null {
  try {
    // IAM hands documents back URL-encoded; one stored that way still reads the same.
    const doc = JSON.parse(/^%7b/i.test(text) ? decodeURIComponent(text) : text) as { Statement?: unknown } | null;
    const statements = doc?.Statement;
    if (Array.isArray(statements)) return statements.filter((s): s is Statement => !!s && typeof s === 'object');
    return statements && typeof statements === 'object' ? [statements as Statement] : null;
  } catch {
    return null;
  }
}

/** A string or a list of strings; anything else (a malformed field) is null. */
function listOf(value: unknown): string[] | null {
  if (typeof value === 'string') return [value];
  return Array.isArray(value) && value.every((v) => typeof v === 'string') ? value : null;
}

const globCache = new Map<string, RegExp>();

/** IAM's wildcards: `*` any run of characters (`/` and `:` included), `?` exactly one. */
function globMatch(pattern: string, value: string, ignoreCase: boolean): boolean {
  const key = `${ignoreCase ? 'i' : 's'}${pattern}`;
  let regex = globCache.get(key);
  if (!regex) {
    const body = pattern.replace(/[.+^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*').replace(/\?/g, '.');
    regex = new RegExp(`^${body}$`, ignoreCase ? 'is' : 's');
    globCache.set(key, regex);
  }
  return regex.test(value);
}

/** An element with its Not- twin: the statement applies when the value matches the one, or misses every pattern of the other. */
function elementMatches(statement: Statement, field: 'Action' | 'Resource', value: string, ignoreCase: boolean): boolean {
  const positive = listOf(statement[field]);
  if (positive) return positive.some((p) => globMatch(p, value, ignoreCase));
  const negative = listOf(statement[`Not${field}`]);
  return negative ? !negative.some((p) => globMatch(p, value, ignoreCase)) : false;
}

/** ARNs compare colon-separated part by part (the sixth part keeps its colons), each part with wildcards. */
function arnMatch(arn: string, pattern: string): boolean {
  const parts = (s: string) => {
    const split = s.split(':');
    return split.length < 6 ? null : [...split.slice(0, 5), split.slice(5).join(':')];
  };
  const [a, p] = [parts(arn), parts(pattern)];
  return !!a && !!p && p.every((part, i) => globMatch(part, a[i], false));
}

/** The positive operators; each has a negated twin (`StringNotLike`…) that is true when no value matches. */
// Maps, not object literals: an operator named `toString` must not find Object's.
const OPERATORS = new Map<string, (actual: string, expected: string) => boolean>([
  ['StringEquals', (actual, expected) => actual === expected],
  ['StringLike', (actual, expected) => globMatch(expected, actual, false)],
  ['ArnEquals', arnMatch],
  ['ArnLike', arnMatch],
  ['Bool', (actual, expected) => actual.toLowerCase() === expected.toLowerCase()],
]);
const NEGATED = new Map([
  ['StringNotEquals', 'StringEquals'],
  ['StringNotLike', 'StringLike'],
  ['ArnNotEquals', 'ArnEquals'],
  ['ArnNotLike', 'ArnLike'],
]);

/** Operators AND'ed, keys AND'ed, each key's values OR'ed. An unknown operator never holds, so it cannot grant anything. */
function conditionHolds(condition: unknown, context: RequestContext): boolean {
  if (condition === undefined) return true;
  if (!condition || typeof condition !== 'object') return false;
  // Condition keys are case-insensitive in IAM.
  const lookup = new Map(Object.entries(context).map(([k, v]) => [k.toLowerCase(), v]));
  return Object.entries(condition as Record<string, unknown>).every(([operator, block]) => {
    if (!block || typeof block !== 'object') return false;
    return Object.entries(block as Record<string, unknown>).every(([key, raw]) => {
      const expected = (Array.isArray(raw) ? raw : [raw]).map(String);
      const actual = lookup.get(key.toLowerCase());
      // Null tests presence only; kopsdeck's own control-plane policy uses it.
      if (operator === 'Null') return expected.some((e) => (e.toLowerCase() === 'true') === (actual === undefined));
      const positive = OPERATORS.get(operator);
      if (positive) return actual !== undefined && expected.some((e) => positive(actual, e));
      const negated = OPERATORS.get(NEGATED.get(operator) ?? '');
      // AWS: a negated operator holds when the key is missing from the request.
      if (negated) return actual === undefined || !expected.some((e) => negated(actual, e));
      return false;
    });
  });
}

type Outcome = 'allow' | 'explicit deny' | 'implicit deny';

function outcome(documents: string[], action: string, resource: string, context: RequestContext): Outcome {
  let allowed = false;
  for (const statement of documents.flatMap((text) => statementsOf(text) ?? [])) {
    if (statement.Effect !== 'Allow' && statement.Effect !== 'Deny') continue;
    // Service prefixes and action names are case-insensitive; resources are not.
    const applies =
      elementMatches(statement, 'Action', action, true) && elementMatches(statement, 'Resource', resource, false) && conditionHolds(statement.Condition, context);
    if (applies && statement.Effect === 'Deny') return 'explicit deny';
    allowed ||= applies;
  }
  return allowed ? 'allow' : 'implicit deny';
}

/** The decision, with the reason worded as AWS's AccessDenied message. */
function decision(result: Outcome, principal: string, action: string, resource: string, note = ''): Decision {
  if (result === 'allow') return { allowed: true };
  const why = result === 'explicit deny' ? 'with an explicit deny in an identity-based policy' : `because no identity-based policy allows the ${action} action`;
  return { allowed: false, reason: `User: ${principal} is not authorized to perform: ${action} on resource: ${resource} ${why}${note}` };
}

/** IAM's identity-policy logic: an explicit Deny wins, else any Allow, else implicit deny. `principal` only words the reason. */
export function evaluatePolicies(documents: string[], action: string, resource: string, context: RequestContext = {}, principal = 'principal'): Decision {
  return decision(outcome(documents, action, resource, context), principal, action, resource);
}

/**
 * The decision for a role of the world's IAM state: its inline policies. The
 * role's ARN names the caller (AWS would name the assumed-role session, whose
 * instance id the role does not know).
 */
export function roleAllows(role: IamRole, action: string, resource: string, context: RequestContext = {}): Decision {
  const result = outcome(Object.values(role.inlinePolicies), action, resource, context);
  // A managed policy might have allowed it on AWS: say the simulator could not tell.
  const managed = role.attachedPolicies.join(', ');
  let note = '';
  if (result === 'implicit deny' && managed) {
    note = Object.keys(role.inlinePolicies).length
      ? ` (its managed policies ${managed} are not modelled by the simulator)`
      : ` (its only policies are managed ones, which the simulator does not model: ${managed})`;
  }
  return decision(result, role.arn, action, resource, note);
}
