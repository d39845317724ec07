// The console being measured by console-nodes.bench.ts, in a process of its
// own that runs what `node dist/cli.js` runs: plain node, bundled as the CLI is
// (console-nodes.bench.ts bundles this file with scripts/bundle.mjs's options),
// React's production build. It renders <App> on the nodes screen on a fake
// 160x50 terminal and reports to the parent over IPC (process.send):
//   { type: 'loaded', rss, memory }            code loaded, the node list asked for
//   { type: 'first-frame', ms, cpuMs, rss }    first full frame of the nodes screen
//   { type: 'synced', ms, cpuMs, rss, listingPeak } nodes, pods and the cloud listed; the highest RSS meanwhile
//   { type: 'load', ... }                      after { type: 'measure', seconds } from the parent
//   { type: 'paging', frames }                 then PgDn pressed PAGES times, 100 ms apart, events still arriving
//   { type: 'bare', frames }                   a bare Ink screen of text, for scale
// Run with --expose-gc (the live heap figure is read after a full collection).
// Configuration comes in PROBE_* variables (see below); PROBE_ALLOCATION_PROFILE=file
// also records where the load phase allocates. Not a benchmark itself (no .bench.ts).
import { EventEmitter } from 'node:events';
import { readFileSync } from 'node:fs';
import { pathToFileURL } from 'node:url';
import v8 from 'node:v8';

// As src/cli.tsx does, before React and the AWS SDK are first loaded (hence the dynamic imports).
process.env.NODE_ENV ??= 'production';
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';

const config = {
  simUrl: required('PROBE_SIM_URL'),
  kubeconfigPath: required('PROBE_KUBECONFIG'),
  // The simulator's token (its AWS key id), read from the file it names, as the CLI reads it.
  simToken: readFileSync(required('PROBE_SIM_TOKEN_FILE'), 'utf8').trim(),
  stateDir: required('PROBE_STATE_DIR'),
  cluster: required('PROBE_CLUSTER'),
  nodes: Number(required('PROBE_NODES')),
  columns: 160,
  rows: 50,
};

const start = performance.now();
// What `node dist/cli.js` has loaded when the console starts on a live screen:
// the command line and the console's command (commands/open-console.ts), the
// local state store and the simulator's access, as command-context.ts opens them.
await import('../src/commands/program.ts');
const { startLiveSessionEarly, loadConsoleCode, frameSignal } = await import('../src/commands/open-console.ts');
const { openFileStateStore } = await import('../src/engine/store/state-store-url.ts');
const { simulatorAccess } = await import('../src/startup/cloud-session.ts');
const route = { name: 'nodes', cluster: config.cluster };
const store = openFileStateStore(pathToFileURL(config.stateDir).href);
const services = {
  store,
  storeUrl: store.url,
  cloud: 'aws',
  simulated: true,
  region: 'us-east-1',
  access: simulatorAccess({ url: config.simUrl, kubeconfigPath: config.kubeconfigPath, token: config.simToken, speed: 1 }),
};
// As openConsole does: the cluster's live session starts (the node list is asked for), then the
// console's code loads (Ink, React, the app, the nodes screen, Ink's row cache).
const frames = frameSignal();
const early = await startLiveSessionEarly(services, route, frames.next);
await loadConsoleCode(route);
const { render, Box, Text } = await import('ink');
// React is CommonJS: bundled, its exports are the namespace's default.
const react = await import('react');
const { createElement, useEffect, useState } = react.default ?? react;
const { App } = await import('../src/app.tsx');

const MiB = (bytes) => Math.round(bytes / 1048576);
const send = (message) => process.send(message);
const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));
/** process.memoryUsage() and V8's heap spaces, in MiB, after a full collection when `collect`. */
function memory(collect) {
  if (collect) globalThis.gc();
  const spaces = Object.fromEntries(v8.getHeapSpaceStatistics().map((s) => [s.space_name, MiB(s.space_used_size)]));
  return { ...memoryOf(process.memoryUsage()), spaces, maxRss: Math.round(process.resourceUsage().maxRSS / 1024) };
}
function memoryOf(usage) {
  return {
    rss: MiB(usage.rss),
    heapTotal: MiB(usage.heapTotal),
    heapUsed: MiB(usage.heapUsed),
    external: MiB(usage.external),
    arrayBuffers: MiB(usage.arrayBuffers),
  };
}
const cpuMs = (since) => {
  const cpu = process.cpuUsage(since);
  return (cpu.user + cpu.system) / 1000;
};

// Not after a full collection here: the node list may be arriving (started early, as the console does).
send({ type: 'loaded', loadMs: performance.now() - start, memory: memory(false) });

let measuring = false;
const inkFrames = [];
let framesWritten = 0;
let firstFrameMs;
let resolveFirst;
const firstFrame = new Promise((resolve) => (resolveFirst = resolve));
const escaped = config.cluster.replace(/\./g, '\\.');
const fullFrame = new RegExp(`Nodes\\(${escaped}\\)\\[${config.nodes}\\][\\s\\S]*ip-[\\s\\S]*1/${config.nodes}`);
let lastFrame = '';
const out = fakeStdout((data) => {
  framesWritten += 1;
  if (data.includes('Nodes(')) lastFrame = data; // a frame, not a lone escape sequence
  if (firstFrameMs === undefined && fullFrame.test(data)) {
    firstFrameMs = performance.now() - renderStart;
    resolveFirst();
  }
});

const renderStart = performance.now();
// The highest RSS while the cluster is listed, with what made it up (V8's heap, external memory).
let listingPeak = { rss: 0 };
let listingPeakBytes = 0;
const listingSampler = setInterval(() => {
  const usage = process.memoryUsage();
  if (usage.rss <= listingPeakBytes) return;
  listingPeakBytes = usage.rss;
  listingPeak = { atMs: Math.round(performance.now() - renderStart), ...memoryOf(usage) };
}, 100);
const renderCpu = process.cpuUsage();
const keyboard = fakeStdin();
const instance = render(createElement(App, { services, initialRoute: { name: 'nodes', cluster: config.cluster }, size: { columns: config.columns, rows: config.rows } }), {
  stdout: out,
  stdin: keyboard,
  stderr: fakeStdout(() => {}),
  exitOnCtrlC: false,
  patchConsole: false,
  onRender: ({ renderTime }) => {
    frames.drawn();
    if (measuring) inkFrames.push(renderTime);
  },
});
early?.release(); // the screen holds the session now, as in openConsole

await Promise.race([firstFrame, sleep(120_000).then(() => Promise.reject(new Error('no full frame within 120 s')))]);
send({ type: 'first-frame', ms: firstFrameMs, cpuMs: cpuMs(renderCpu), rss: MiB(process.memoryUsage().rss) });

// Pods and the cloud keep arriving after the first frame; the steady state is measured after they have.
// Loaded by the nodes screen already (its chunk), so this import costs nothing now.
const { liveSessionsFor } = await import('../src/sessions/live-sessions.ts');
const session = liveSessionsFor(services).peek(config.cluster);
const listedBy = performance.now() + 120_000;
while (!(session.state.status === 'live' && session.state.synced)) {
  // A cloud or API that keeps failing is said, not waited on forever.
  if (performance.now() > listedBy) throw new Error(`not everything listed within 120 s: ${JSON.stringify(session.state.status === 'live' ? session.state.live.model.snapshot().cloudError ?? session.state.live.model.snapshot().kubeError : session.state)}`);
  await sleep(50);
}
clearInterval(listingSampler);
send({ type: 'synced', ms: performance.now() - renderStart, cpuMs: cpuMs(renderCpu), rss: MiB(process.memoryUsage().rss), memory: memory(false), listingPeak });

process.on('message', async (message) => {
  if (message.type !== 'measure') return;
  await sleep(2000); // settle (and let the garbage from listing be collected)
  measuring = true;
  let peakRss = 0;
  const samples = [];
  const sample = () => {
    const rss = process.memoryUsage().rss;
    samples.push(MiB(rss));
    peakRss = Math.max(peakRss, rss);
  };
  const rssTimer = setInterval(sample, 250);
  const profile = process.env.PROBE_ALLOCATION_PROFILE ? await startAllocationSampling() : undefined;
  const cpuBefore = process.cpuUsage();
  const wallBefore = performance.now();
  const writesBefore = framesWritten;
  await sleep(message.seconds * 1000);
  const cpu = cpuMs(cpuBefore);
  const wall = performance.now() - wallBefore;
  measuring = false;
  clearInterval(rssTimer);
  await profile?.save(process.env.PROBE_ALLOCATION_PROFILE);
  sample();
  const beforeGc = memory(false);
  send({
    type: 'load',
    framesWritten: framesWritten - writesBefore,
    inkFrames,
    cpuShare: cpu / wall,
    peakRss: MiB(peakRss),
    rssSamples: samples,
    beforeGc,
    afterGc: memory(true),
  });

  const frames = await pagingFrames(40);
  // The table's status line, e.g. 1951/5000: proof the keys paged.
  const position = [...lastFrame.matchAll(new RegExp(`(\\d+)/${config.nodes}`, 'g'))].at(-1)?.[0] ?? 'unknown';
  send({ type: 'paging', frames, position });

  instance.unmount();
  await liveSessionsFor(services).closeAll();
  send({ type: 'bare', frames: await bareScreenFrames(40) });
  process.exit(0);
});

/** Frame times while paging down the nodes table: every row on screen is new in each of these frames. */
async function pagingFrames(pages) {
  const PAGE_DOWN = '\x1b[6~';
  inkFrames.length = 0;
  measuring = true;
  for (let i = 0; i < pages; i++) {
    keyboard.type(PAGE_DOWN);
    await sleep(100);
  }
  measuring = false;
  return [...inkFrames];
}

/** Frame times of a screen of plain text lines, re-rendered `count` times: Ink's own cost, for scale. */
async function bareScreenFrames(count) {
  const times = [];
  let tick = () => {};
  function Bare() {
    const [n, setN] = useState(0);
    useEffect(() => void (tick = () => setN((x) => x + 1)), []);
    const lines = Array.from({ length: config.rows - 1 }, (_, i) => createElement(Text, { key: i, wrap: 'truncate-end' }, `${i} ${n} `.padEnd(config.columns - 1, 'x')));
    return createElement(Box, { flexDirection: 'column', width: config.columns, height: config.rows }, ...lines);
  }
  const bare = render(createElement(Bare), {
    stdout: fakeStdout(() => {}),
    stdin: fakeStdin(),
    exitOnCtrlC: false,
    patchConsole: false,
    onRender: ({ renderTime }) => times.push(renderTime),
  });
  await sleep(200);
  times.length = 0;
  for (let i = 0; i < count; i++) {
    tick();
    await sleep(60);
  }
  bare.unmount();
  return times;
}

/**
 * V8's sampling heap profiler over the load phase (PROBE_ALLOCATION_PROFILE=file.heapprofile):
 * where the allocations come from, garbage included; opens in Chrome DevTools' Memory tab.
 */
async function startAllocationSampling() {
  const { Session } = await import('node:inspector/promises');
  const { writeFile } = await import('node:fs/promises');
  const session = new Session();
  session.connect();
  // Garbage included: what a full collection frees is what makes the heap (and RSS) grow between collections.
  await session.post('HeapProfiler.startSampling', { samplingInterval: 32768, includeObjectsCollectedByMajorGC: true, includeObjectsCollectedByMinorGC: true });
  return {
    async save(path) {
      const { profile } = await session.post('HeapProfiler.stopSampling');
      await writeFile(path, JSON.stringify(profile));
      session.disconnect();
    },
  };
}

/** A stdout that says it is a terminal of the probe's size and hands each write to `onWrite`. */
function fakeStdout(onWrite) {
  return Object.assign(new EventEmitter(), {
    columns: config.columns,
    rows: config.rows,
    isTTY: true,
    write(data) {
      onWrite(String(data));
      return true;
    },
  });
}

/** A stdin that claims to be a terminal (so Ink enables raw-mode input); type() is a key press. */
function fakeStdin() {
  const pending = [];
  const stdin = Object.assign(new EventEmitter(), {
    isTTY: true,
    read: () => pending.shift() ?? null,
    type(data) {
      pending.push(data);
      stdin.emit('readable');
    },
    setEncoding() {},
    setRawMode() {},
    resume() {},
    pause() {},
    ref() {},
    unref() {},
  });
  return stdin;
}

function required(name) {
  const value = process.env[name];
  if (!value) throw new Error(`console-probe: ${name} is not set (console-nodes.bench.ts sets it)`);
  return value;
}
