// The console's nodes screen on a 5,000-node, 150,000-pod simulated cluster
// (scale.example.com) receiving ~50 watch events a second (node label patches
// sent by a separate process): time to the first full frame, frame render
// time from Ink's onRender (median, p95), the console process's CPU share and
// resident memory. The console runs as `kopsdeck` runs it: its own plain-node
// process (bench/console-probe.mjs) bundled as the CLI is, React's production
// build (BENCH_NODE_ENV=development measures the other); so build first
// (`npm run bench` does). Three processes: the simulator, the event source and
// the console, so no figure includes another's work. Prints figures; asserts nothing.
import { execFileSync, fork, spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { median, nodeStartMs, percentile, startSimulatorProcess } from './bench-helpers.js';

const NODES = Number(process.env.BENCH_NODES ?? 5000);
const PODS_PER_NODE = Number(process.env.BENCH_PODS_PER_NODE ?? 30);
const EVENTS_PER_SECOND = Number(process.env.BENCH_EVENTS_PER_SECOND ?? 50);
const LOAD_SECONDS = Number(process.env.BENCH_LOAD_SECONDS ?? 20);
// The first frame differs by a few hundred ms from one launch to the next on a
// 2-core machine (the simulator and the console share it, and the host's own
// speed varies): its figure is the median of this many launches, each printed.
// Nine, not five: with five, the median of the same code moved by 150 ms from
// one run to the next.
const FIRST_FRAME_LAUNCHES = Number(process.env.BENCH_FIRST_FRAME_LAUNCHES ?? 9);
const CLUSTER = 'scale.example.com';
// The probe is bundled as the CLI is (scripts/bundle.mjs), so its load time is the one a user waits for.
const PROBE_DIR = 'dist/bench-probe';
const REACT_BUILD = process.env.BENCH_NODE_ENV ?? 'production';
execFileSync(process.execPath, ['scripts/bundle.mjs', fileURLToPath(new URL('./console-probe.mjs', import.meta.url)), PROBE_DIR, REACT_BUILD], { stdio: 'inherit' });
const PROBE = join(PROBE_DIR, 'console-probe.js');

interface Memory {
  rss: number;
  heapTotal: number;
  heapUsed: number;
  external: number;
  arrayBuffers: number;
  spaces: Record<string, number>;
  /** The process's peak RSS over its whole life (getrusage). */
  maxRss: number;
}
type ProbeMessage =
  | { type: 'loaded'; loadMs: number; memory: Memory }
  | { type: 'first-frame'; ms: number; cpuMs: number; rss: number }
  | { type: 'synced'; ms: number; cpuMs: number; rss: number; memory: Memory; listingPeak: Omit<Memory, 'spaces' | 'maxRss'> & { atMs: number } }
  | { type: 'load'; framesWritten: number; inkFrames: number[]; cpuShare: number; peakRss: number; rssSamples: number[]; beforeGc: Memory; afterGc: Memory }
  | { type: 'paging'; frames: number[]; position: string }
  | { type: 'bare'; frames: number[] };

/** A separate process that patches a node's labels EVENTS_PER_SECOND times a second, each producing one watch event. */
function startEventSource(kubeUrl: string, tokenFile: string) {
  const script = `
const base = ${JSON.stringify(kubeUrl)};
const { readFileSync } = await import('node:fs');
// The simulator answers only bearers of its token (src/sim/access-token.ts).
const auth = { authorization: 'Bearer ' + readFileSync(${JSON.stringify(tokenFile)}, 'utf8').trim() };
const names = (await (await fetch(base + '/api/v1/nodes', { headers: auth })).json()).items.map((n) => n.metadata.name);
let i = 0;
setInterval(() => {
  const name = names[Math.floor(Math.random() * names.length)];
  fetch(base + '/api/v1/nodes/' + name, { method: 'PATCH', headers: { ...auth, 'content-type': 'application/merge-patch+json' }, body: JSON.stringify({ metadata: { labels: { 'bench.kopsdeck/tick': String(i++) } } }) }).catch(() => {});
}, ${1000 / EVENTS_PER_SECOND});
process.stdout.write('started\\n');
`;
  const child = spawn(process.execPath, ['--input-type=module', '-e', script], { stdio: ['ignore', 'pipe', 'inherit'] });
  const started = new Promise<void>((resolve) => child.stdout!.once('data', () => resolve()));
  return { started, stop: () => child.kill('SIGTERM') };
}

/** The console in its own process: plain node (not tsx), the bundled code, --expose-gc for the live-heap figure. */
function startConsoleProbe(env: Record<string, string>) {
  // As a user waits: from the moment the process is launched, before Node itself starts.
  const launchedAt = performance.now();
  const child: ChildProcess = fork(PROBE, [], {
    execArgv: ['--expose-gc', ...(process.env.PROBE_CPU_PROF ? ['--cpu-prof', `--cpu-prof-dir=${process.env.PROBE_CPU_PROF}`] : [])],
    env: { ...process.env, NODE_ENV: REACT_BUILD, ...env },
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  const queue: ProbeMessage[] = [];
  let waiting: (() => void) | undefined;
  let exited: Error | undefined;
  child.on('message', (message) => {
    queue.push(message as ProbeMessage);
    waiting?.();
  });
  child.once('exit', (code, signal) => {
    exited = new Error(`the console probe exited (${signal ?? code}) early`);
    waiting?.();
  });
  /** The probe's next report, which must be of `type`. */
  async function next<T extends ProbeMessage['type']>(type: T): Promise<Extract<ProbeMessage, { type: T }>> {
    while (queue.length === 0) {
      if (exited) throw exited;
      await new Promise<void>((resolve) => (waiting = resolve));
    }
    const message = queue.shift()!;
    if (message.type !== type) throw new Error(`the console probe sent ${message.type}, expected ${type}`);
    return message as Extract<ProbeMessage, { type: T }>;
  }
  return {
    launchedAt,
    next,
    measure: (seconds: number) => child.send({ type: 'measure', seconds }),
    stop: () => void (child.exitCode === null && child.kill('SIGTERM')),
    exited: () => (child.exitCode !== null || child.signalCode !== null ? Promise.resolve() : new Promise<void>((resolve) => child.once('exit', () => resolve()))),
  };
}

/** Launches the console FIRST_FRAME_LAUNCHES - 1 times, each until its first full frame: ms from launch to it. */
async function firstFramesOfLaunches(env: Record<string, string>): Promise<number[]> {
  const times: number[] = [];
  for (let i = 1; i < FIRST_FRAME_LAUNCHES; i++) {
    const probe = startConsoleProbe(env);
    try {
      await probe.next('loaded');
      await probe.next('first-frame');
      times.push(performance.now() - probe.launchedAt);
    } finally {
      probe.stop();
      await probe.exited();
    }
  }
  return times;
}

const home = mkdtempSync(join(tmpdir(), 'kopsdeck-console-bench-'));
const setupStart = performance.now();
const sim = await startSimulatorProcess(join(home, 'sim'), NODES, PODS_PER_NODE);
console.log(`simulator (own process): ${NODES} nodes x ${PODS_PER_NODE} pods ready in ${(performance.now() - setupStart).toFixed(0)} ms`);

const probeEnv = {
  PROBE_SIM_URL: sim.url,
  PROBE_KUBECONFIG: sim.kubeconfigPath,
  PROBE_SIM_TOKEN_FILE: sim.tokenFile,
  PROBE_STATE_DIR: join(home, 'state'),
  PROBE_CLUSTER: CLUSTER,
  PROBE_NODES: String(NODES),
};
// Measured before the launches, while nothing else of the benchmark runs.
const nodeMs = nodeStartMs();
const earlierLaunches = await firstFramesOfLaunches(probeEnv);
const probe = startConsoleProbe(probeEnv);
let events: ReturnType<typeof startEventSource> | undefined;
try {
  const loaded = await probe.next('loaded');
  console.log(`React build: ${REACT_BUILD}; console process (plain node, bundled) with its code loaded, the node list already asked for: RSS ${loaded.memory.rss} MiB, heap ${loaded.memory.heapUsed} MiB (loaded in ${loaded.loadMs.toFixed(0)} ms)`);

  const first = await probe.next('first-frame');
  const fromLaunch = performance.now() - probe.launchedAt;
  const launches = [...earlierLaunches, fromLaunch];
  const each = launches.map((ms) => ms.toFixed(0)).join(', ');
  console.log(`first full frame of the nodes screen:        median ${median(launches).toFixed(0)} ms from the process's launch, as a user waits (target 1000 ms); ${launches.length} launches: ${each} ms`);
  console.log(`  this host now: \`node -e 0\` takes ${nodeMs.toFixed(0)} ms (median of 7), so the first frame is ${(median(launches) / nodeMs).toFixed(1)}x that`);
  console.log(`  the last launch: ${first.ms.toFixed(0)} ms of it after the code had loaded and the node list was asked for`);
  console.log(`  CPU until then: ${first.cpuMs.toFixed(0)} ms; RSS ${first.rss} MiB`);

  const synced = await probe.next('synced');
  console.log(`everything listed (nodes, ${NODES * PODS_PER_NODE} pods, cloud): ${synced.ms.toFixed(0)} ms after start; CPU ${synced.cpuMs.toFixed(0)} ms; RSS ${synced.rss} MiB (peak so far ${synced.memory.maxRss} MiB)`);
  const peak = synced.listingPeak;
  console.log(`  highest RSS sampled while listing (MiB): ${describe({ ...peak, spaces: {}, maxRss: 0 })}, ${peak.atMs} ms after start`);

  events = startEventSource(`${sim.url}/k8s/${CLUSTER}`, sim.tokenFile);
  await events.started;
  probe.measure(LOAD_SECONDS);
  const load = await probe.next('load');
  const frames = load.inkFrames;
  console.log(`under ${EVENTS_PER_SECOND} watch events/s for ${LOAD_SECONDS} s (${load.framesWritten} frames written):`);
  console.log(`  Ink frame render (onRender):   median ${percentile(frames, 50).toFixed(2)} ms   p95 ${percentile(frames, 95).toFixed(2)} ms   max ${Math.max(...frames).toFixed(2)} ms   (${frames.length} frames; target p95 < 16 ms)`);
  console.log(`  console CPU share:             ${(load.cpuShare * 100).toFixed(1)} % of one core`);
  console.log(`  resident memory:               peak ${load.peakRss} MiB under load, ${load.afterGc.maxRss} MiB over the whole run (target < 400 MiB); live heap after a full GC ${load.afterGc.heapUsed} MiB, RSS then ${load.afterGc.rss} MiB`);
  console.log(`  memory before that GC (MiB):   ${describe(load.beforeGc)}`);
  console.log(`  memory after it (MiB):         ${describe(load.afterGc)}`);

  const { frames: paging, position } = await probe.next('paging');
  console.log(`  paging down (PgDn every 100 ms, every row new each frame): median ${percentile(paging, 50).toFixed(2)} ms   p95 ${percentile(paging, 95).toFixed(2)} ms   (${paging.length} frames; selected row now ${position})`);

  const bare = (await probe.next('bare')).frames;
  console.log(`  reference, a bare 160x50 Ink screen of text, every line new each frame: median ${percentile(bare, 50).toFixed(2)} ms   p95 ${percentile(bare, 95).toFixed(2)} ms (${bare.length} frames)`);
} finally {
  events?.stop();
  probe.stop();
  await sim.stop();
  rmSync(home, { recursive: true, force: true });
}
process.exit(0);

function describe(m: Memory): string {
  const spaces = Object.entries(m.spaces)
    .filter(([, used]) => used > 0)
    .map(([name, used]) => `${name.replace(/_space$/, '')} ${used}`)
    .join(', ');
  return `rss ${m.rss}, heapTotal ${m.heapTotal}, heapUsed ${m.heapUsed}, external ${m.external} (arrayBuffers ${m.arrayBuffers})${spaces ? `; heap spaces: ${spaces}` : ''}`;
}
