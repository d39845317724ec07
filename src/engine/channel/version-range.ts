// Version ranges as kops' channel files write them (the syntax of
// github.com/blang/semver ranges, which kops uses): comparisons separated by
// spaces must all hold (">=1.32.0 <1.33.0"), alternatives are separated by
// "||" (">=1.30.0 <1.31.0 || >=1.32.0"). Operators: >, >=, <, <=, =, ==, !=,
// or none (equal).
import { compareSemver, parseSemver, type Semver } from './semver.js';

type Operator = '>' | '>=' | '<' | '<=' | '=' | '!=';

interface Comparison {
  operator: Operator;
  version: Semver;
}

/** Alternatives (any may hold), each a list of comparisons (all must hold). */
export interface VersionRange {
  text: string;
  alternatives: Comparison[][];
}

export class VersionRangeError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'VersionRangeError';
  }
}

const COMPARISON = /^(>=|<=|!=|==|=|>|<)?\s*(\S+)$/;

/** Parses a range; throws VersionRangeError saying which part is wrong. */
export function parseVersionRange(text: string): VersionRange {
  if (text.trim() === '') throw new VersionRangeError('the range is empty; write it like ">=1.32.0 <1.33.0"');
  const alternatives = text.split('||').map((alternative) => {
    // Allow a space between an operator and its version (">= 1.32.0").
    const parts = alternative.trim().replace(/(>=|<=|!=|==|=|>|<)\s+/g, '$1').split(/\s+/).filter(Boolean);
    if (parts.length === 0) throw new VersionRangeError(`"${text}" has an empty alternative around "||"`);
    return parts.map((part) => parseComparison(part, text));
  });
  return { text, alternatives };
}

function parseComparison(part: string, whole: string): Comparison {
  const match = COMPARISON.exec(part);
  const version = match ? parseSemver(match[2]) : null;
  if (!match || !version) {
    throw new VersionRangeError(`"${part}" in range "${whole}" is not a comparison such as >=1.32.0`);
  }
  const operator = (match[1] === '==' || match[1] === undefined ? '=' : match[1]) as Operator;
  return { operator, version };
}

function holds(comparison: Comparison, version: Semver): boolean {
  const order = compareSemver(version, comparison.version);
  switch (comparison.operator) {
    case '>':
      return order > 0;
    case '>=':
      return order >= 0;
    case '<':
      return order < 0;
    case '<=':
      return order <= 0;
    case '=':
      return order === 0;
    case '!=':
      return order !== 0;
  }
}

export function rangeIncludes(range: VersionRange, version: Semver): boolean {
  return range.alternatives.some((comparisons) => comparisons.every((c) => holds(c, version)));
}
