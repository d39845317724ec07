// A small HCL2 writer for what kops' terraformWriter emits: attributes sorted
// by name and aligned as `terraform fmt` aligns them, maps with quoted keys,
// nested blocks (repeated in the order given), raw expressions for references
// and function calls, and strings escaped so that nothing in a value (a `"`,
// a backslash, a `${`) can end the string or start an interpolation.

/**
 * A raw HCL expression: a reference (`aws_vpc.x.id`) or a function call,
 * written as is. A class, so that no map of values (tags with a key `expr`)
 * can pass for one.
 */
export class HclExpr {
  constructor(readonly expr: string) {}
}

/** One or more nested blocks (`tag { ... }`), in the order given. */
export interface HclBlocks {
  readonly blocks: readonly HclBody[];
}

export type HclValue = string | number | boolean | HclExpr | HclMap | readonly HclValue[];
export interface HclMap {
  readonly [key: string]: HclValue;
}

/** A block's body: attributes, and nested blocks; undefined entries are left out. */
export interface HclBody {
  readonly [key: string]: HclValue | HclBlocks | undefined;
}

export const expr = (text: string): HclExpr => new HclExpr(text);
export const isExpr = (value: unknown): value is HclExpr => value instanceof HclExpr;
export const blocks = (...bodies: HclBody[]): HclBlocks => ({ blocks: bodies });
const isBlocks = (value: unknown): value is HclBlocks => typeof value === 'object' && value !== null && 'blocks' in value && Array.isArray((value as HclBlocks).blocks);

/**
 * A string literal; `${` and `%{` are doubled so they stay text (HCL's
 * template escapes). HCL reads every string literal in Unicode NFC: a string
 * that is not would reach AWS changed, so it is refused rather than written.
 */
export function quote(text: string): string {
  if (text !== text.normalize('NFC')) throw new Error(`${JSON.stringify(text)} is not in Unicode NFC: Terraform would read it changed`);
  let out = '"';
  for (const ch of text) {
    const code = ch.codePointAt(0)!;
    if (ch === '"') out += '\\"';
    else if (ch === '\\') out += '\\\\';
    else if (ch === '\n') out += '\\n';
    else if (ch === '\r') out += '\\r';
    else if (ch === '\t') out += '\\t';
    else if (code < 0x20 || code === 0x7f) out += `\\u${code.toString(16).padStart(4, '0')}`;
    else out += ch;
  }
  // Replacement functions: in a replacement string `$$` would mean one `$`.
  return `${out.replace(/\$\{/g, () => '$${').replace(/%\{/g, () => '%%{')}"`;
}

/** A valid HCL identifier can be written bare; anything else is quoted (map keys always are, as kops writes them). */
const IDENTIFIER = /^[A-Za-z_][A-Za-z0-9_-]*$/;

export function checkIdentifier(name: string, what: string): string {
  if (!IDENTIFIER.test(name)) throw new Error(`${what} ${JSON.stringify(name)} is not a valid Terraform identifier`);
  return name;
}

const byKey = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

/** A value on one line when it fits on one (scalars, expressions, lists of those); else undefined. */
function inline(value: HclValue): string | undefined {
  if (typeof value === 'string') return quote(value);
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) throw new Error(`cannot write ${value} as HCL`);
    return String(value);
  }
  if (typeof value === 'boolean') return String(value);
  if (isExpr(value)) return value.expr;
  if (Array.isArray(value)) {
    const items = (value as readonly HclValue[]).map(inline);
    if (items.some((i) => i === undefined)) return undefined;
    return `[${items.join(', ')}]`;
  }
  return undefined;
}

function pad(indent: number): string {
  return '  '.repeat(indent);
}

/** A multi-line map value: `{`, quoted keys sorted and aligned, `}`. */
function writeMap(map: HclMap, indent: number): string {
  const keys = Object.keys(map).sort(byKey);
  if (keys.length === 0) return '{}';
  const quoted = keys.map(quote);
  const width = Math.max(...quoted.map((k) => k.length));
  const lines = keys.map((key, i) => {
    const value = map[key];
    const text = inline(value) ?? (Array.isArray(value) ? writeList(value as readonly HclValue[], indent + 1) : writeMap(value as HclMap, indent + 1));
    return `${pad(indent + 1)}${quoted[i].padEnd(width)} = ${text}`;
  });
  return `{\n${lines.join('\n')}\n${pad(indent)}}`;
}

function writeList(list: readonly HclValue[], indent: number): string {
  const items = list.map((item) => `${pad(indent + 1)}${inline(item) ?? writeMap(item as HclMap, indent + 1)},`);
  return `[\n${items.join('\n')}\n${pad(indent)}]`;
}

/**
 * A body's lines. Runs of one-line attributes are aligned on `=`; a block or
 * a multi-line value ends a run, as `terraform fmt` does.
 */
export function writeBody(body: HclBody, indent: number): string[] {
  const lines: string[] = [];
  let run: [string, string][] = [];
  const flush = () => {
    const width = Math.max(0, ...run.map(([k]) => k.length));
    for (const [key, text] of run) lines.push(`${pad(indent)}${key.padEnd(width)} = ${text}`);
    run = [];
  };
  for (const key of Object.keys(body).sort(byKey)) {
    const value = body[key];
    if (value === undefined) continue;
    checkIdentifier(key, 'attribute');
    if (isBlocks(value)) {
      flush();
      for (const block of value.blocks) lines.push(`${pad(indent)}${key} {`, ...writeBody(block, indent + 1), `${pad(indent)}}`);
      continue;
    }
    const one = inline(value);
    if (one !== undefined) {
      run.push([key, one]);
      continue;
    }
    flush();
    const text = Array.isArray(value) ? writeList(value as readonly HclValue[], indent) : writeMap(value as HclMap, indent);
    lines.push(`${pad(indent)}${key} = ${text}`);
  }
  flush();
  return lines;
}

/** A top-level block: `resource "aws_vpc" "name" { ... }`, `locals { ... }`. */
export function writeBlock(type: string, labels: string[], body: HclBody): string {
  const head = [type, ...labels.map(quote)].join(' ');
  return [`${head} {`, ...writeBody(body, 1), '}'].join('\n');
}
