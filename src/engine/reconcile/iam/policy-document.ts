// IAM policy documents as data, rendered as stable JSON (keys sorted, action
// lists sorted) so that the same policy always renders to the same bytes and
// a re-run plans no change. Documents read back from IAM (URL-encoded, in
// whatever layout they were written) are compared in that same form.

export type ConditionBlock = Record<string, Record<string, string | string[]>>;

export interface PolicyStatement {
  Effect: 'Allow' | 'Deny';
  Action: string | string[];
  Resource?: string | string[];
  Principal?: Record<string, string | string[]>;
  Condition?: ConditionBlock;
}

export interface PolicyDocument {
  Version: '2012-10-17';
  Statement: PolicyStatement[];
}

export function policy(statements: PolicyStatement[]): PolicyDocument {
  return { Version: '2012-10-17', Statement: statements };
}

/** An Allow statement with its actions sorted and de-duplicated. */
export function allow(actions: Iterable<string>, resource: string | string[], condition?: ConditionBlock): PolicyStatement {
  const sorted = [...new Set(actions)].sort();
  return { Effect: 'Allow', Action: sorted.length === 1 ? sorted[0] : sorted, Resource: resource, ...(condition ? { Condition: condition } : {}) };
}

/** JSON with every object's keys sorted; arrays keep their order. */
export function stableJson(value: unknown): string {
  return JSON.stringify(sortKeys(value));
}

function sortKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sortKeys);
  if (value && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return Object.fromEntries(entries.map(([k, v]) => [k, sortKeys(v)]));
  }
  return value;
}

/** A document as IAM returns it (URL-encoded JSON), in stable form; the text itself when it is not JSON. */
export function normalisePolicyText(text: string | undefined): string | undefined {
  if (text === undefined) return undefined;
  let decoded = text;
  try {
    decoded = decodeURIComponent(text);
  } catch {
    // Not URL-encoded: take it as it is.
  }
  try {
    return stableJson(JSON.parse(decoded));
  } catch {
    return decoded;
  }
}

/** One line per action and resource, for a preview of what a policy grants. */
export function grantLines(text: string | undefined): string[] {
  if (!text) return [];
  let doc: Partial<PolicyDocument>;
  try {
    doc = JSON.parse(text) as Partial<PolicyDocument>;
  } catch {
    return [text];
  }
  const lines: string[] = [];
  const list = (v: string | string[] | undefined) => (v === undefined ? ['*'] : Array.isArray(v) ? v : [v]);
  for (const s of doc.Statement ?? []) {
    const condition = s.Condition ? ` if ${stableJson(s.Condition)}` : '';
    for (const action of list(s.Action)) for (const resource of list(s.Resource)) lines.push(`${s.Effect} ${action} on ${resource}${condition}`);
  }
  return lines;
}

/** The actions a document allows, sorted: what a report or a test lists. */
export function allowedActions(doc: PolicyDocument): string[] {
  const actions = doc.Statement.filter((s) => s.Effect === 'Allow').flatMap((s) => (Array.isArray(s.Action) ? s.Action : [s.Action]));
  return [...new Set(actions)].sort();
}
