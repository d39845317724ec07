// The console's nodes screen on a 5,000-node, 150,000-pod simulated cluster
// (scale.example.com) receiving ~50 watch events a second (node label patches
// sent by a separate process): time to the first full frame, frame render
// time from Ink's onRender (median, p95), the console process's CPU share and
// resident memory. React runs in its production build, as `kopsdeck` runs it
// (src/cli.tsx sets NODE_ENV); BENCH_NODE_ENV=development measures the other
// (and adds React's commit times from its Profiler). Prints figures; asserts nothing.
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import type { Services } from '../src/hooks/services.js';
import { percentile, startSimulatorProcess } from './bench-helpers.js';

// Before React is first loaded (hence the dynamic imports below), as the CLI does.
process.env.NODE_ENV = process.env.BENCH_NODE_ENV ?? 'production';
const { render } = await import('ink');
const { createElement, Profiler } = await import('react');
const { App } = await import('../src/app.js');
const { openStateStore } = await import('../src/engine/store/open-store.js');
const { liveSessionsFor } = await import('../src/hooks/live-sessions.js');
const { simulatorAccess } = await import('../src/startup/cloud-session.js');
const { FakeTerminalIn, FakeTerminalOut } = await import('../test/console/helpers.js');

const NODES = Number(process.env.BENCH_NODES ?? 5000);
const PODS_PER_NODE = Number(process.env.BENCH_PODS_PER_NODE ?? 30);
const EVENTS_PER_SECOND = Number(process.env.BENCH_EVENTS_PER_SECOND ?? 50);
const LOAD_SECONDS = Number(process.env.BENCH_LOAD_SECONDS ?? 20);
const CLUSTER = 'scale.example.com';
const SIZE = { columns: 160, rows: 50 };

// A full collection before reading the heap, so the figure is what the console keeps, not garbage not yet collected.
setFlagsFromString('--expose-gc');
const collectGarbage = runInNewContext('gc') as () => void;
const liveHeapMiB = () => {
  collectGarbage();
  return (process.memoryUsage().heapUsed / 1048576).toFixed(0);
};

/** A separate process that patches a node's labels EVENTS_PER_SECOND times a second, each producing one watch event. */
function startEventSource(kubeUrl: string) {
  const script = `
const base = ${JSON.stringify(kubeUrl)};
const names = (await (await fetch(base + '/api/v1/nodes')).json()).items.map((n) => n.metadata.name);
let i = 0;
setInterval(() => {
  const name = names[Math.floor(Math.random() * names.length)];
  fetch(base + '/api/v1/nodes/' + name, { method: 'PATCH', headers: { 'content-type': 'application/merge-patch+json' }, body: JSON.stringify({ metadata: { labels: { 'bench.kopsdeck/tick': String(i++) } } }) }).catch(() => {});
}, ${1000 / EVENTS_PER_SECOND});
process.stdout.write('started\\n');
`;
  const child = spawn(process.execPath, ['--input-type=module', '-e', script], { stdio: ['ignore', 'pipe', 'inherit'] });
  const started = new Promise<void>((resolve) => child.stdout!.once('data', () => resolve()));
  return { started, stop: () => child.kill('SIGTERM') };
}

const codeRssMiB = (process.memoryUsage().rss / 1048576).toFixed(0);
const home = mkdtempSync(join(tmpdir(), 'kopsdeck-console-bench-'));
const setupStart = performance.now();
const sim = await startSimulatorProcess(join(home, 'sim'), NODES, PODS_PER_NODE);
console.log(`simulator (own process): ${NODES} nodes x ${PODS_PER_NODE} pods ready in ${(performance.now() - setupStart).toFixed(0)} ms`);
console.log(`React build: ${process.env.NODE_ENV}; console process RSS with its code loaded (through tsx), before any data: ${codeRssMiB} MiB`);

const store = openStateStore(pathToFileURL(join(home, 'state')).href);
const services: Services = {
  store,
  storeUrl: store.url,
  cloud: 'aws',
  simulated: true,
  region: 'us-east-1',
  access: simulatorAccess({ url: sim.url, kubeconfigPath: sim.kubeconfigPath, speed: 1 }),
};

const inkFrames: number[] = [];
const commits: number[] = [];
let measuring = false;
const out = new FakeTerminalOut(SIZE.columns, SIZE.rows);
const input = new FakeTerminalIn();
let firstFrameMs: number | undefined;
let resolveFirst!: () => void;
const firstFrame = new Promise<void>((resolve) => (resolveFirst = resolve));
const fullFrame = new RegExp(`Nodes\\(${CLUSTER.replace(/\./g, '\\.')}\\)\\[${NODES}\\][\\s\\S]*ip-[\\s\\S]*1/${NODES}`);
const write = out.write;
out.write = (data: string) => {
  if (firstFrameMs === undefined && fullFrame.test(data)) {
    firstFrameMs = performance.now() - start;
    resolveFirst();
  }
  return write(data);
};

const cpuStart = process.cpuUsage();
const start = performance.now();
const instance = render(
  // A .ts file (the bench runner's pattern), so no JSX here.
  createElement(
    Profiler,
    { id: 'console', onRender: (_id: string, _phase: string, actualDuration: number) => void (measuring && commits.push(actualDuration)) },
    createElement(App, { services, initialRoute: { name: 'nodes', cluster: CLUSTER }, size: SIZE }),
  ),
  {
    stdout: out as unknown as NodeJS.WriteStream,
    stdin: input as unknown as NodeJS.ReadStream,
    stderr: new FakeTerminalOut(SIZE.columns, SIZE.rows) as unknown as NodeJS.WriteStream,
    exitOnCtrlC: false,
    patchConsole: false,
    onRender: ({ renderTime }) => measuring && inkFrames.push(renderTime),
  },
);

let events: ReturnType<typeof startEventSource> | undefined;
try {
  await Promise.race([firstFrame, new Promise((_, reject) => setTimeout(() => reject(new Error('no full frame within 120 s')), 120_000))]);
  const cpuToFirst = process.cpuUsage(cpuStart);
  console.log(`first full frame of the nodes screen:        ${firstFrameMs!.toFixed(0)} ms after start (target 1500 ms)`);
  console.log(`  CPU until then: ${((cpuToFirst.user + cpuToFirst.system) / 1000).toFixed(0)} ms; RSS ${(process.memoryUsage().rss / 1048576).toFixed(0)} MiB`);

  // Pods (150,000) and the cloud keep arriving after the first frame; measure the steady state after they have.
  const session = liveSessionsFor(services).peek(CLUSTER)!;
  while (!(session.state.status === 'live' && session.state.synced)) await new Promise((r) => setTimeout(r, 50));
  const synced = process.cpuUsage(cpuStart);
  console.log(`everything listed (nodes, ${NODES * PODS_PER_NODE} pods, cloud): ${(performance.now() - start).toFixed(0)} ms after start; CPU ${((synced.user + synced.system) / 1000).toFixed(0)} ms; RSS ${(process.memoryUsage().rss / 1048576).toFixed(0)} MiB`);

  events = startEventSource(`${sim.url}/k8s/${CLUSTER}`);
  await events.started;
  await new Promise((r) => setTimeout(r, 2000)); // settle (and let the garbage from listing be collected)
  measuring = true;
  let peakRss = 0;
  const rssTimer = setInterval(() => (peakRss = Math.max(peakRss, process.memoryUsage().rss)), 250);
  const cpuBefore = process.cpuUsage();
  const wallBefore = performance.now();
  const writesBefore = out.writes.length;
  await new Promise((r) => setTimeout(r, LOAD_SECONDS * 1000));
  const cpu = process.cpuUsage(cpuBefore);
  const wall = performance.now() - wallBefore;
  measuring = false;
  clearInterval(rssTimer);

  console.log(`under ${EVENTS_PER_SECOND} watch events/s for ${LOAD_SECONDS} s (${out.writes.length - writesBefore} frames written):`);
  console.log(`  Ink frame render (onRender):   median ${percentile(inkFrames, 50).toFixed(2)} ms   p95 ${percentile(inkFrames, 95).toFixed(2)} ms   max ${Math.max(...inkFrames).toFixed(2)} ms   (${inkFrames.length} frames; target p95 < 16 ms)`);
  if (commits.length) console.log(`  React commit (Profiler):       median ${percentile(commits, 50).toFixed(2)} ms   p95 ${percentile(commits, 95).toFixed(2)} ms   (${commits.length} commits)`);
  console.log(`  console CPU share:             ${(((cpu.user + cpu.system) / 1000 / wall) * 100).toFixed(1)} % of one core`);
  console.log(`  resident memory:               peak ${(peakRss / 1048576).toFixed(0)} MiB (target < 400 MiB); live heap after a full GC ${liveHeapMiB()} MiB, RSS then ${(process.memoryUsage().rss / 1048576).toFixed(0)} MiB`);

  // For scale: Ink's own cost for a screen of the same size holding plain text (no data, no model).
  const bare = await bareScreenFrames(40);
  console.log(`  reference, a bare ${SIZE.columns}x${SIZE.rows} Ink screen of text: median ${percentile(bare, 50).toFixed(2)} ms   p95 ${percentile(bare, 95).toFixed(2)} ms (${bare.length} frames)`);
} finally {
  events?.stop();
  instance.unmount();
  await liveSessionsFor(services).closeAll();
  await sim.stop();
  rmSync(home, { recursive: true, force: true });
}
process.exit(0);

/** Frame times of a screen of plain text lines, re-rendered `count` times. */
async function bareScreenFrames(count: number): Promise<number[]> {
  const { Box, Text } = await import('ink');
  const { useEffect, useState } = await import('react');
  const times: number[] = [];
  let tick = () => {};
  function Bare() {
    const [n, setN] = useState(0);
    useEffect(() => void (tick = () => setN((x) => x + 1)), []);
    const lines = Array.from({ length: SIZE.rows - 1 }, (_, i) => createElement(Text, { key: i, wrap: 'truncate-end' }, `${i} ${n} `.padEnd(SIZE.columns - 1, 'x')));
    return createElement(Box, { flexDirection: 'column', width: SIZE.columns, height: SIZE.rows }, ...lines);
  }
  const bareOut = new FakeTerminalOut(SIZE.columns, SIZE.rows);
  const bare = render(createElement(Bare), {
    stdout: bareOut as unknown as NodeJS.WriteStream,
    stdin: new FakeTerminalIn() as unknown as NodeJS.ReadStream,
    exitOnCtrlC: false,
    patchConsole: false,
    onRender: ({ renderTime }) => times.push(renderTime),
  });
  await new Promise((r) => setTimeout(r, 200));
  times.length = 0;
  for (let i = 0; i < count; i++) {
    tick();
    await new Promise((r) => setTimeout(r, 60));
  }
  bare.unmount();
  return times;
}
