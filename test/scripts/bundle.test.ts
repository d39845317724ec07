// The bundle users run (scripts/bundle.mjs): one copy of Ink, and the Ink row
// cache patching that copy's Output class rather than a second Ink loaded from
// node_modules, which would leave the cache silently out of use.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { builtCli } from '../helpers/built-cli.js';
import { fromPackageRoot, readBundleMeta, type Metafile } from '../helpers/bundle-meta.js';

function outputsHolding(meta: Metafile, source: string): string[] {
  return Object.keys(meta.outputs).filter((out) => Object.keys(meta.outputs[out].inputs).some((input) => fromPackageRoot(input) === source));
}

test('the bundled row cache finds the Output class of the bundled Ink', () => {
  builtCli();
  const meta = readBundleMeta();
  const finder = meta.inputs['src/terminal/ink-output-module.ts'];
  assert.ok(finder, 'the module that finds Ink\'s Output class is in the bundle');
  assert.deepEqual(finder.imports.map((i) => fromPackageRoot(i.path)), ['node_modules/ink/build/output.js']);
  const holders = outputsHolding(meta, 'node_modules/ink/build/output.js');
  assert.equal(holders.length, 1, `one copy of Ink's Output in the bundle, found in ${holders.join(', ')}`);
  const inkEntry = outputsHolding(meta, 'node_modules/ink/build/ink.js');
  assert.equal(inkEntry.length, 1, 'one copy of Ink');
  for (const file of readdirSync('dist/chunks')) {
    const code = readFileSync(join('dist/chunks', file), 'utf8');
    assert.ok(!code.includes('import.meta.resolve("ink")'), `${file} does not look Ink up in node_modules at run time`);
  }
});
