#!/usr/bin/env node
// Runs each bench/*.bench.ts in turn; benchmarks print figures, they assert nothing.
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { spawnSync } from 'node:child_process';

const filters = process.argv.slice(2);
const files = readdirSync('bench')
  .filter((name) => name.endsWith('.bench.ts'))
  .filter((name) => filters.length === 0 || filters.some((f) => name.includes(f)))
  .sort();
let failed = 0;
for (const file of files) {
  console.log(`\n== ${file}`);
  // As the CLI does: the SDK's "Node 22 soon" notice is not a figure.
  const env = { ...process.env, AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true' };
  const result = spawnSync(process.execPath, ['--import', 'tsx', join('bench', file)], { stdio: 'inherit', env });
  if (result.status !== 0) failed += 1;
}
if (files.length === 0) console.log('no benchmarks matched');
process.exit(failed === 0 ? 0 : 1);
