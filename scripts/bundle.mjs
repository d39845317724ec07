#!/usr/bin/env node
// The CLI as users run it: esbuild bundles src/cli.tsx and everything it
// imports into dist/cli.js, each dynamically imported command or the console
// in its own chunk under dist/chunks/. Why: Node 20 resolves, reads and
// compiles every module file on its own, and the AWS SDK, the Kubernetes
// client and Ink are thousands of files; bundled, only the code a command uses
// is loaded, in a few files (the console's code loads about three times faster,
// see bench/startup.bench.ts and bench/console-nodes.bench.ts). tsc still
// type-checks and writes the module-per-file dist/ that tests and benchmarks
// import; this runs after it and replaces dist/cli.js with the bundle's entry.
// dist/bundle-meta.json (esbuild's metafile) says which sources each output
// holds: test/cli/lazy-loading.test.ts reads it.
import { build } from 'esbuild';
import { readFileSync, realpathSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

/** The package's root (this file is in scripts/): where the stand-ins below resolve the real modules from. */
const PACKAGE_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');

/** Ink's build/output.js, imported by path: Ink's exports map does not list it. */
const INK_OUTPUT = 'kopsdeck:ink-output';

/**
 * The Ink row cache patches Ink's Output class (src/terminal/ink-row-cache.ts).
 * Bundled, the class to patch is the bundle's own copy, so the module that
 * finds it is replaced by a static import of the very file the bundled Ink uses.
 */
const inkOutputPlugin = {
  name: 'ink-output',
  setup(bundle) {
    bundle.onLoad({ filter: /[\\/]src[\\/]terminal[\\/]ink-output-module\.ts$/ }, () => ({
      contents: `export function importInkOutputModule() { return import('${INK_OUTPUT}'); }\n`,
      loader: 'ts',
    }));
    // The real path, as esbuild resolves Ink's own imports: a symlinked node_modules would otherwise give two copies.
    bundle.onResolve({ filter: new RegExp(`^${INK_OUTPUT}$`) }, () => ({ path: realpathSync(resolve('node_modules/ink/build/output.js')) }));
  },
};

/**
 * The Kubernetes client's modules are marked free of side effects, as its
 * package.json does not say: kopsdeck uses its KubeConfig (contexts,
 * credentials, auth plugins) and not its generated API classes and models, and
 * esbuild then leaves out the hundreds of modules nothing uses instead of
 * running them at start-up.
 */
const KUBE_CLIENT = /[\\/]node_modules[\\/]@kubernetes[\\/]client-node[\\/]/;
const kubeClientPlugin = {
  name: 'kube-client-side-effects',
  setup(bundle) {
    bundle.onResolve({ filter: /.*/ }, async (args) => {
      if (args.pluginData?.kubeClient || !(KUBE_CLIENT.test(args.importer) || args.path.startsWith('@kubernetes/client-node'))) return undefined;
      const resolved = await bundle.resolve(args.path, { kind: args.kind, importer: args.importer, resolveDir: args.resolveDir, pluginData: { kubeClient: true } });
      if (resolved.errors.length > 0 || !KUBE_CLIENT.test(resolved.path)) return undefined;
      return { path: resolved.path, sideEffects: false };
    });
  },
};

/**
 * The Kubernetes client's config module imports node-fetch for one thing, the
 * Headers class of applyToFetchOptions (kopsdeck calls applyToHTTPSOptions),
 * and node-fetch brings whatwg-url and tr46's 260 KiB Unicode table, which
 * cost some 25 ms of start-up before the console can ask for its nodes. For
 * the client's own imports, node-fetch is Node's built-in fetch and Headers.
 */
const BUILTIN_FETCH = 'kopsdeck:builtin-fetch';
const builtinFetchPlugin = {
  name: 'kube-client-builtin-fetch',
  setup(bundle) {
    bundle.onResolve({ filter: /^node-fetch$/ }, (args) => (KUBE_CLIENT.test(args.importer) ? { path: BUILTIN_FETCH, namespace: BUILTIN_FETCH } : undefined));
    bundle.onLoad({ filter: /.*/, namespace: BUILTIN_FETCH }, () => ({
      // The client's index re-exports node-fetch's error classes; nothing kopsdeck bundles uses them.
      contents: [
        // Functions, not the globals themselves: reading globalThis.Headers at import would load undici (~15 ms).
        'export function Headers(init) { return new globalThis.Headers(init); }',
        'export default function fetch(...args) { return globalThis.fetch(...args); }',
        "export class AbortError extends Error { name = 'AbortError'; }",
        "export class FetchError extends Error { name = 'FetchError'; }",
      ].join('\n'),
      loader: 'js',
    }));
  },
};

/**
 * The Kubernetes client's config module imports, at load, what only some
 * kubeconfigs use: a SOCKS proxy agent (with socks, ip-address, smart-buffer),
 * JSONPath for the gcp and azure auth providers, and openid-client for oidc.
 * Loaded with the live session, they cost some 18 ms before the node list can
 * be asked for. For the client's own imports, each is a stand-in that loads the
 * real module on first use: a bundled require() (esbuild runs the module's code
 * then, not at load) for the synchronous ones, an import() for oidc's, which
 * are async.
 */
const LAZY_KUBE_CLIENT_IMPORTS = {
  'socks-proxy-agent': [
    "export function SocksProxyAgent(...args) { const { SocksProxyAgent: Agent } = require('socks-proxy-agent'); return new Agent(...args); }",
  ],
  'jsonpath-plus': ["export function JSONPath(...args) { return require('jsonpath-plus').JSONPath(...args); }"],
  'openid-client': [
    "export async function discovery(...args) { return (await import('openid-client')).discovery(...args); }",
    "export async function refreshTokenGrant(...args) { return (await import('openid-client')).refreshTokenGrant(...args); }",
  ],
};
const LAZY_KUBE_CLIENT = 'kopsdeck:lazy-kube-client-import';
const lazyKubeClientImportsPlugin = {
  name: 'kube-client-lazy-imports',
  setup(bundle) {
    const names = Object.keys(LAZY_KUBE_CLIENT_IMPORTS).map((name) => name.replace(/[-/]/g, '\\$&'));
    bundle.onResolve({ filter: new RegExp(`^(${names.join('|')})$`) }, (args) => (KUBE_CLIENT.test(args.importer) ? { path: args.path, namespace: LAZY_KUBE_CLIENT } : undefined));
    // The stand-in's own require() and import() resolve from the package's root, to the real module.
    bundle.onLoad({ filter: /.*/, namespace: LAZY_KUBE_CLIENT }, (args) => ({ contents: LAZY_KUBE_CLIENT_IMPORTS[args.path].join('\n'), loader: 'js', resolveDir: PACKAGE_ROOT }));
  },
};

/**
 * Yoga (Ink's layout engine) is WebAssembly embedded as a base64 data: URL.
 * Its Emscripten loader fetches that URL with the global fetch when there is
 * one: on Node, reading `fetch` loads undici, which then decodes the data: URL
 * (about 45 ms of the console's start-up, in its critical path). With `fetch`
 * shadowed in that one module, the loader takes its own path for a runtime
 * without fetch and decodes the base64 itself (yoga loads in ~27 ms, not ~70).
 */
const YOGA_WASM = /[\\/]node_modules[\\/]yoga-layout[\\/]dist[\\/]binaries[\\/]yoga-wasm-base64-esm\.js$/;
const yogaWithoutFetchPlugin = {
  name: 'yoga-without-fetch',
  setup(bundle) {
    bundle.onLoad({ filter: YOGA_WASM }, (args) => ({
      contents: `var fetch = undefined;\n${readFileSync(args.path, 'utf8')}`,
      loader: 'js',
    }));
  },
};

/**
 * Ink, widest-line and cli-truncate measure text with string-width;
 * in the bundle they get src/terminal/ink-string-width.ts instead: the same
 * widths, with a fast path for text whose characters take one column each
 * (box drawing, arrows, the ellipsis), which string-width would segment into
 * graphemes. Only imports of the top-level string-width are redirected
 * (wrap-ansi brings an older copy of its own), and the wrapper's own import,
 * and everything outside node_modules, get the real package.
 */
const STRING_WIDTH = realpathSync(resolve(PACKAGE_ROOT, 'node_modules/string-width/index.js'));
const INK_STRING_WIDTH = resolve(PACKAGE_ROOT, 'src/terminal/ink-string-width.ts');
const inkStringWidthPlugin = {
  name: 'ink-string-width',
  setup(bundle) {
    bundle.onResolve({ filter: /^string-width$/ }, async (args) => {
      if (args.pluginData?.stringWidth || !/[\\/]node_modules[\\/]/.test(args.importer)) return undefined;
      const resolved = await bundle.resolve(args.path, { kind: args.kind, importer: args.importer, resolveDir: args.resolveDir, pluginData: { stringWidth: true } });
      return resolved.path === STRING_WIDTH ? { path: INK_STRING_WIDTH } : undefined;
    });
  },
};

/** esbuild options shared by the CLI's bundle and the console benchmark's probe. */
export function bundleOptions({ entryPoints, outdir, nodeEnv = 'production' }) {
  return {
    entryPoints,
    outdir,
    bundle: true,
    splitting: true,
    format: 'esm',
    platform: 'node',
    target: 'node20',
    // The AWS SDK's ES module build ("module"), unlike its CommonJS one, lets
    // esbuild keep only the commands kopsdeck sends (EC2 alone has hundreds).
    mainFields: ['module', 'main'],
    entryNames: '[name]',
    chunkNames: 'chunks/[name]-[hash]',
    // Whitespace and syntax only: names stay, so a --debug stack trace still reads.
    minifyWhitespace: true,
    minifySyntax: true,
    // React's production build, fixed at build time (src/cli.tsx selects it at
    // run time for the unbundled code): the development build is left out.
    define: { 'process.env.NODE_ENV': JSON.stringify(nodeEnv) },
    // Ink imports React's devtools only when DEV=true, and they are not installed.
    external: ['react-devtools-core'],
    // Bundled CommonJS packages (the AWS SDK, commander) call require() for Node's own modules.
    banner: { js: "import { createRequire as __kopsdeckRequire } from 'node:module'; const require = __kopsdeckRequire(import.meta.url);" },
    plugins: [inkOutputPlugin, kubeClientPlugin, builtinFetchPlugin, lazyKubeClientImportsPlugin, yogaWithoutFetchPlugin, inkStringWidthPlugin],
    metafile: true,
    logLevel: 'warning',
  };
}

export async function bundleCli() {
  // Chunk names carry a content hash: the last build's would otherwise pile up.
  rmSync('dist/chunks', { recursive: true, force: true });
  const result = await build(bundleOptions({ entryPoints: ['src/cli.tsx'], outdir: 'dist' }));
  writeFileSync('dist/bundle-meta.json', JSON.stringify(result.metafile));
}

/**
 * Another entry bundled the same way (`node scripts/bundle.mjs ENTRY OUTDIR
 * [NODE_ENV]`): the console benchmark's probe, which can measure React's
 * development build too.
 */
async function bundleEntry(entry, outdir, nodeEnv) {
  rmSync(outdir, { recursive: true, force: true });
  await build(bundleOptions({ entryPoints: [entry], outdir, nodeEnv }));
}

if (process.argv[1] && import.meta.url === pathToFileURL(resolve(process.argv[1])).href) {
  const [entry, outdir, nodeEnv] = process.argv.slice(2);
  await (entry && outdir ? bundleEntry(entry, outdir, nodeEnv) : bundleCli());
}
