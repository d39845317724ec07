// Commands load only what they use (issue 16): `--help` and `get clusters` on
// a local store never load the AWS SDK, the Kubernetes client, Ink, React or
// the simulator. The built CLI (the bundle, scripts/bundle.mjs) runs as a user
// runs it, with a module hook that records every file Node loads; the bundle's
// metafile says which sources each of those files holds.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { builtCli } from '../helpers/built-cli.js';
import { fromPackageRoot, readBundleMeta, staticClosureOf } from '../helpers/bundle-meta.js';

const HEAVY = ['node_modules/@aws-sdk/', 'node_modules/@kubernetes/client-node/', 'node_modules/ink/', 'node_modules/react/', 'src/sim/', 'src/screens/'];

/** The sources in the files a run loaded: each bundle file through the metafile, any other file as itself. */
function sourcesOf(loadedUrls: string[]): string[] {
  const meta = readBundleMeta();
  const sources: string[] = [];
  for (const url of loadedUrls) {
    if (!url.startsWith('file:')) continue;
    const path = relative(process.cwd(), fileURLToPath(url));
    const output = meta.outputs[path];
    assert.ok(output || !path.startsWith('dist/'), `${path} is in the bundle's metafile (a stale dist/?)`);
    sources.push(...(output ? Object.keys(output.inputs) : [path]).map(fromPackageRoot));
  }
  return sources;
}


/** The modules a run of the built CLI loads, as file URLs. */
function modulesLoadedBy(args: string[], home: string): string[] {
  const dir = mkdtempSync(join(tmpdir(), 'kopsdeck-loads-'));
  try {
    const log = join(dir, 'loaded.txt');
    writeFileSync(join(dir, 'hooks.mjs'), "import { appendFileSync } from 'node:fs';\nexport async function load(url, context, next) { appendFileSync(process.env.LOAD_LOG, url + '\\n'); return next(url, context); }\n");
    writeFileSync(join(dir, 'register.mjs'), "import { register } from 'node:module';\nregister('./hooks.mjs', import.meta.url);\n");
    writeFileSync(log, '');
    execFileSync(process.execPath, ['--import', pathToFileURL(join(dir, 'register.mjs')).href, resolve('dist/cli.js'), ...args], {
      env: { ...process.env, LOAD_LOG: log, KOPSDECK_HOME: home, KOPS_STATE_STORE: '' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    return readFileSync(log, 'utf8').split('\n').filter(Boolean);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

test('--help and get clusters on a local store load none of the heavy dependencies', () => {
  builtCli();
  const home = mkdtempSync(join(tmpdir(), 'kopsdeck-home-'));
  try {
    for (const args of [['--help'], ['get', 'clusters'], ['rolling-update', '--help']]) {
      const loaded = sourcesOf(modulesLoadedBy(args, home));
      assert.ok(loaded.some((path) => path.startsWith('node_modules/commander/')), `the hook saw the modules of ${args.join(' ')}`);
      const heavy = loaded.filter((path) => HEAVY.some((part) => path.startsWith(part)));
      assert.deepEqual(heavy, [], `kopsdeck ${args.join(' ')} loads only what it uses`);
    }
  } finally {
    rmSync(home, { recursive: true, force: true });
  }
});

// The console's first frame waits only for the console's own chunks and its
// first screen's: the AWS SDK (the cloud poll loads it after the nodes are
// listed), the reconcile and rollout engines and the simulator load with the
// screens and commands that use them (issue 16: first frame within 1 s). On a
// live screen the node list is asked for before Ink and React load: the
// console's command and the live session hold neither.
test("the console and its nodes screen load without the AWS SDK, the reconcile and rollout engines or the simulator", () => {
  builtCli();
  const meta = readBundleMeta();
  const later = ['node_modules/@aws-sdk/', 'src/engine/reconcile/', 'src/engine/rollout/', 'src/sim/'];
  const command = staticClosureOf(meta, 'src/commands/open-console.ts');
  const session = staticClosureOf(meta, 'src/sessions/live-sessions.ts');
  const console = staticClosureOf(meta, 'src/console.tsx');
  const nodes = staticClosureOf(meta, 'src/screens/NodesScreen.tsx');
  // The Kubernetes client library loads with the first client (src/engine/kube/client.ts): the live session's first step.
  const kubeLibrary = staticClosureOf(meta, 'src/engine/kube/kube-config-class.ts');
  const ui = ['node_modules/ink/', 'node_modules/react/', 'node_modules/react-reconciler/'];
  assert.ok(command.includes('src/commands/open-console.ts') && session.includes('src/sessions/live-sessions.ts'));
  assert.ok(session.includes('src/engine/kube/client.ts'), 'the live session holds the Kubernetes client');
  assert.ok(kubeLibrary.some((path) => path.startsWith('node_modules/@kubernetes/client-node/dist/config')), "the client library's chunk holds its KubeConfig");
  for (const [name, closure] of [['the console command', command], ['the live session', session], ['the client library', kubeLibrary]] as const) {
    assert.deepEqual(closure.filter((path) => ui.some((part) => path.startsWith(part))), [], `${name} loads before Ink and React`);
  }
  // What each must hold, so an empty or wrong closure cannot pass.
  assert.ok(console.some((path) => path.startsWith('node_modules/ink/')), 'the console chunk holds Ink');
  assert.ok(nodes.includes('src/screens/NodesScreen.tsx'), 'the nodes screen chunk holds the screen');
  const everything = Object.values(meta.outputs).flatMap((output) => Object.keys(output.inputs)).map(fromPackageRoot);
  for (const part of later) assert.ok(everything.some((path) => path.startsWith(part)), `the bundle holds ${part}, loaded later`);
  // scripts/bundle.mjs: only the Kubernetes client's KubeConfig and what it uses, not its hundreds of generated models.
  const generatedModels = everything.filter((path) => path.startsWith('node_modules/@kubernetes/client-node/dist/gen/models/V1'));
  assert.deepEqual(generatedModels, [], 'the generated models are left out of the bundle');
  // ...and node-fetch, which its config module imports for Headers, is Node's own fetch (no whatwg-url, no tr46 table).
  const fetchPolyfill = kubeLibrary.filter((path) => ['node_modules/node-fetch/', 'node_modules/whatwg-url/', 'node_modules/tr46/'].some((part) => path.startsWith(part)));
  assert.deepEqual(fetchPolyfill, [], 'the client library loads no node-fetch');
  // ...and its oidc, gcp/azure and SOCKS helpers load on first use: oidc's in a chunk of their own.
  for (const helper of ['socks-proxy-agent', 'jsonpath-plus', 'openid-client']) assert.ok(kubeLibrary.includes(`kopsdeck:lazy-kube-client-import:${helper}`), `the client library has the stand-in for ${helper}`);
  const oidc = kubeLibrary.filter((path) => ['node_modules/openid-client/', 'node_modules/oauth4webapi/'].some((part) => path.startsWith(part)));
  assert.deepEqual(oidc, [], 'the client library loads openid-client only for an oidc kubeconfig');
  for (const [name, closure] of [['the console command', command], ['the live session', session], ['the client library', kubeLibrary], ['the console', console], ['the nodes screen', nodes]] as const) {
    assert.deepEqual(closure.filter((path) => later.some((part) => path.startsWith(part))), [], `${name} loads these only when used`);
  }
});

// Yoga's loader (Ink's layout engine, WebAssembly in a base64 data: URL) would
// read the global fetch and fetch its own data: URL through undici, some 45 ms
// of the console's start-up; the bundle hides fetch from that one module
// (scripts/bundle.mjs). The e2e tests (test/e2e/) draw with the bundled Ink.
test('the bundled Ink loads its layout engine without loading undici (Node fetch)', () => {
  builtCli();
  const meta = readBundleMeta();
  const yogaOutput = Object.keys(meta.outputs).find((output) => Object.keys(meta.outputs[output].inputs).some((input) => input.endsWith('yoga-layout/dist/binaries/yoga-wasm-base64-esm.js')));
  assert.ok(yogaOutput, "the bundle holds yoga's WebAssembly loader");
  // Importing the chunk runs yoga's loader: yoga-layout awaits it at import.
  const script = [
    `await import(${JSON.stringify(pathToFileURL(resolve(yogaOutput)).href)});`,
    "console.log(JSON.stringify(process.moduleLoadList.filter((name) => name.includes('undici'))));",
  ].join('\n');
  const loaded = JSON.parse(execFileSync(process.execPath, ['--input-type=module', '-e', script], { encoding: 'utf8' })) as string[];
  assert.deepEqual(loaded, [], 'no undici module was loaded');
});

// Ink measures every line on screen with string-width, which segments any text
// that is not ASCII into graphemes; the bundle gives Ink a measure with a fast
// path for one-column characters (src/terminal/ink-string-width.ts; its widths
// are checked against string-width's in test/terminal/display-width.test.ts).
test("the bundled Ink measures text with kopsdeck's measure, and that measure with string-width", () => {
  builtCli();
  const inputs = readBundleMeta().inputs;
  const measureOf = (source: string) => {
    const input = Object.keys(inputs).find((path) => fromPackageRoot(path) === source);
    assert.ok(input, `the bundle holds ${source}`);
    return inputs[input].imports.map((imported) => fromPackageRoot(imported.path)).filter((path) => /string-width/.test(path));
  };
  for (const source of ['node_modules/ink/build/output.js', 'node_modules/widest-line/index.js', 'node_modules/cli-truncate/index.js']) {
    assert.deepEqual(measureOf(source), ['src/terminal/ink-string-width.ts'], source);
  }
  assert.deepEqual(measureOf('src/terminal/ink-string-width.ts'), ['node_modules/string-width/index.js']);
});
