// The bundle's metafile (dist/bundle-meta.json, written by scripts/bundle.mjs):
// which sources each output file holds.
import { readFileSync } from 'node:fs';

export interface Metafile {
  inputs: Record<string, { imports: { path: string; kind: string }[] }>;
  outputs: Record<string, { inputs: Record<string, unknown> }>;
}

export function readBundleMeta(): Metafile {
  return JSON.parse(readFileSync('dist/bundle-meta.json', 'utf8')) as Metafile;
}

/** A path from the package's root: esbuild names a symlinked node_modules by where the link points. */
export function fromPackageRoot(path: string): string {
  const at = path.lastIndexOf('node_modules/');
  return at === -1 ? path : path.slice(at);
}
