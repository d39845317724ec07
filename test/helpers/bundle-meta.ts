// The bundle's metafile (dist/bundle-meta.json, written by scripts/bundle.mjs):
// which sources each output file holds.
import { readFileSync } from 'node:fs';

export interface Metafile {
  inputs: Record<string, { imports: { path: string; kind: string }[] }>;
  outputs: Record<string, { inputs: Record<string, unknown>; imports: { path: string; kind: string }[]; entryPoint?: string }>;
}

export function readBundleMeta(): Metafile {
  return JSON.parse(readFileSync('dist/bundle-meta.json', 'utf8')) as Metafile;
}

/** A path from the package's root: esbuild names a symlinked node_modules by where the link points. */
export function fromPackageRoot(path: string): string {
  const at = path.lastIndexOf('node_modules/');
  return at === -1 ? path : path.slice(at);
}

/**
 * The sources loaded with `entryPoint`'s output before any of its code runs:
 * its file and every file it imports statically, transitively (not what it
 * loads later with import()).
 */
export function staticClosureOf(meta: Metafile, entryPoint: string): string[] {
  const start = Object.keys(meta.outputs).find((name) => meta.outputs[name].entryPoint === entryPoint);
  if (!start) throw new Error(`no output of ${entryPoint} in the bundle's metafile`);
  const seen = new Set<string>();
  const pending = [start];
  while (pending.length > 0) {
    const output = pending.pop()!;
    if (seen.has(output)) continue;
    seen.add(output);
    for (const imported of meta.outputs[output].imports) if (imported.kind === 'import-statement' && meta.outputs[imported.path]) pending.push(imported.path);
  }
  return [...seen].flatMap((output) => Object.keys(meta.outputs[output].inputs)).map(fromPackageRoot);
}
