// Scale benchmark for the simulated Kubernetes API: 5,000 nodes and 150,000
// pods seeded directly, then full LISTs of nodes and pods through
// @kubernetes/client-node. The simulator runs in a child process so its
// resident memory is measured on its own. Prints figures; asserts nothing.
// Targets (issue 3): a full node list under 300 ms, the simulator under 1.5 GiB.
import { fork, type ChildProcess } from 'node:child_process';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { fileURLToPath } from 'node:url';
import { CoreV1Api, KubeConfig } from '@kubernetes/client-node';
// Not re-exported by the package root; the model decoder every typed call runs.
import { ObjectSerializer } from '@kubernetes/client-node/dist/gen/models/ObjectSerializer.js';
import nodeFetch from 'node-fetch';
import { PREBAKED_NODE_IMAGE_ID, noFaults, type SimInstanceInfo } from '../src/sim/contracts.js';
import { KubeSide } from '../src/sim/kube/kube-side.js';

const NODES = Number(process.env.SIM_BENCH_NODES ?? 5000);
const PODS_PER_NODE = Number(process.env.SIM_BENCH_PODS_PER_NODE ?? 30);
const CLUSTER = 'scale.example.com';

type ChildMessage =
  | { kind: 'ready'; port: number; seedMs: number; seedCpuMs: number; settleMs: number; rss: number; heap: number }
  | { kind: 'memory'; rss: number; heap: number; cpuMs: number };

function cpuMs(usage: NodeJS.CpuUsage): number {
  return (usage.user + usage.system) / 1000;
}

function mib(bytes: number): string {
  return `${(bytes / 1024 / 1024).toFixed(0)} MiB`;
}

function instances(count: number): SimInstanceInfo[] {
  return Array.from({ length: count }, (_, n) => {
    const role = n === 0 ? 'ControlPlane' : 'Node';
    const ig = n === 0 ? 'control-plane-us-east-1a' : 'nodes';
    const ip = `10.${Math.floor(n / 65536)}.${Math.floor(n / 256) % 256}.${n % 256}`;
    return {
      instanceId: `i-${n.toString(16).padStart(17, '0')}`,
      zone: `us-east-1${'abc'[n % 3]}`,
      instanceType: n === 0 ? 'm5.large' : 'm5.xlarge',
      imageId: PREBAKED_NODE_IMAGE_ID,
      privateIp: ip,
      privateDnsName: `ip-${ip.replace(/\./g, '-')}.ec2.internal`,
      userData: `#!/bin/bash\nexport CLUSTER_NAME=${CLUSTER}\nexport INSTANCE_GROUP=${ig}\nexport INSTANCE_GROUP_ROLE=${role}\nexport KUBERNETES_VERSION=1.31.4\n`,
      tags: { KubernetesCluster: CLUSTER },
      launchTime: Date.now(),
    };
  });
}

/** The child: a simulator with only the Kubernetes side, seeded large. */
async function serve(): Promise<void> {
  let seed = 1;
  const random = {
    next: () => {
      seed = (seed * 1103515245 + 12345) >>> 0;
      return seed / 4294967296;
    },
    hex(length: number) {
      let out = '';
      while (out.length < length) out += Math.floor(this.next() * 16).toString(16);
      return out;
    },
  };
  const clock = { speed: 1, now: () => Date.now(), after: (ms: number, fn: () => void) => { const t = setTimeout(fn, ms); return () => clearTimeout(t); } };
  const kube = new KubeSide({ clock, random, faults: noFaults(), stats: { countAwsCall() {}, recordPdbViolation() {} } });
  const started = performance.now();
  const cpuStart = process.cpuUsage();
  kube.seedLargeCluster(CLUSTER, instances(NODES), PODS_PER_NODE);
  const seedMs = performance.now() - started;
  const seedCpuMs = cpuMs(process.cpuUsage(cpuStart));
  // The seeded world's own pods start over its first seconds, and each change
  // runs a reconcile over all 150,000 pods (50-100 ms here) on this thread.
  // Measure the LISTs once that has settled: three seconds with no new resourceVersion.
  const store = kube.world(CLUSTER)!.store;
  const settleStarted = performance.now();
  for (let last = -1, quietSince = settleStarted; performance.now() - settleStarted < 20_000; ) {
    await new Promise((resolve) => setTimeout(resolve, 100));
    if (store.resourceVersion !== last) [last, quietSince] = [store.resourceVersion, performance.now()];
    else if (performance.now() - quietSince >= 3000) break;
  }
  const settleMs = performance.now() - settleStarted;
  const server = createServer((req, res) => {
    const match = /^\/k8s\/([^/?]+)(.*)$/.exec(req.url ?? '/');
    if (!match) return void res.writeHead(404).end();
    kube.handle(req, res, decodeURIComponent(match[1]), match[2] || '/');
  });
  server.listen(0, '127.0.0.1', () => {
    const memory = process.memoryUsage();
    process.send!({ kind: 'ready', port: (server.address() as AddressInfo).port, seedMs, seedCpuMs, settleMs, rss: memory.rss, heap: memory.heapUsed } satisfies ChildMessage);
  });
  process.on('message', (message) => {
    if (message === 'memory') {
      const memory = process.memoryUsage();
      process.send!({ kind: 'memory', rss: memory.rss, heap: memory.heapUsed, cpuMs: cpuMs(process.cpuUsage()) } satisfies ChildMessage);
    } else if (message === 'exit') {
      kube.close();
      server.close();
      server.closeAllConnections();
      process.exit(0);
    }
  });
}

function nextMessage(child: ChildProcess): Promise<ChildMessage> {
  return new Promise((resolve, reject) => {
    const onExit = (code: number | null) => reject(new Error(`simulator child exited with ${code}`));
    child.once('exit', onExit);
    child.once('message', (message) => {
      child.off('exit', onExit);
      resolve(message as ChildMessage);
    });
  });
}

/**
 * Wall time of one call, with the CPU time the client and the simulator spent
 * on it: the machines are shared, so CPU time is the steadier figure.
 */
async function timed<T>(child: ChildProcess, fn: () => Promise<T>): Promise<[T, string]> {
  const serverBefore = await serverCpu(child);
  const clientBefore = process.cpuUsage();
  const started = performance.now();
  const value = await fn();
  const wall = performance.now() - started;
  const client = cpuMs(process.cpuUsage(clientBefore));
  const server = (await serverCpu(child)) - serverBefore;
  return [value, `${wall.toFixed(0)} ms wall (client CPU ${client.toFixed(0)} ms, simulator CPU ${server.toFixed(0)} ms)`];
}

async function serverCpu(child: ChildProcess): Promise<number> {
  child.send('memory');
  const reply = await nextMessage(child);
  return reply.kind === 'memory' ? reply.cpuMs : 0;
}

async function main(): Promise<void> {
  const child = fork(fileURLToPath(import.meta.url), ['--serve'], { execArgv: ['--import', 'tsx', '--max-old-space-size=4096'] });
  try {
    const ready = await nextMessage(child);
    if (ready.kind !== 'ready') throw new Error('unexpected message from the simulator child');
    console.log(
      `seeded ${NODES} nodes x ${PODS_PER_NODE} pods in ${ready.seedMs.toFixed(0)} ms (CPU ${ready.seedCpuMs.toFixed(0)} ms), settled ${ready.settleMs.toFixed(0)} ms later; simulator RSS ${mib(ready.rss)} (heap ${mib(ready.heap)})`,
    );
    const kc = new KubeConfig();
    kc.loadFromOptions({
      clusters: [{ name: CLUSTER, server: `http://127.0.0.1:${ready.port}/k8s/${CLUSTER}`, skipTLSVerify: true }],
      users: [{ name: CLUSTER, token: 'simulated' }],
      contexts: [{ name: CLUSTER, cluster: CLUSTER, user: CLUSTER }],
      currentContext: CLUSTER,
    });
    const core = kc.makeApiClient(CoreV1Api);
    for (let round = 1; round <= 3; round++) {
      const [nodes, figures] = await timed(child, () => core.listNode());
      console.log(`LIST nodes (round ${round}): ${nodes.items.length} items in ${figures}`);
    }
    // The same list as plain JSON (what kopsdeck's own client does): the server and the
    // transport without client-node's model decoding, which is most of the figure above.
    for (let round = 1; round <= 2; round++) {
      const [count, figures] = await timed(child, async () => {
        const res = await fetch(`http://127.0.0.1:${ready.port}/k8s/${CLUSTER}/api/v1/nodes`);
        return ((await res.json()) as { items: unknown[] }).items.length;
      });
      console.log(`LIST nodes as plain JSON (fetch + JSON.parse, round ${round}): ${count} items in ${figures}`);
    }
    // Where client-node's time goes, step by step as its generated listNode does
    // them: node-fetch reads the body as text, JSON.parse, ObjectSerializer.deserialize.
    for (let round = 1; round <= 2; round++) {
      const url = `http://127.0.0.1:${ready.port}/k8s/${CLUSTER}/api/v1/nodes`;
      let started = performance.now();
      const text = await (await nodeFetch(url)).text();
      const download = performance.now() - started;
      started = performance.now();
      const parsed: unknown = JSON.parse(text);
      const parse = performance.now() - started;
      started = performance.now();
      ObjectSerializer.deserialize(parsed, 'V1NodeList', '');
      const decode = performance.now() - started;
      console.log(
        `LIST nodes, client-node's steps (round ${round}): ${(text.length / 1024 / 1024).toFixed(1)} MiB; request + node-fetch text() ${download.toFixed(0)} ms, JSON.parse ${parse.toFixed(0)} ms, ObjectSerializer.deserialize ${decode.toFixed(0)} ms`,
      );
    }
    // One round: decoding 150,000 pods takes client-node most of a minute.
    const [pods, podFigures] = await timed(child, () => core.listPodForAllNamespaces());
    console.log(`LIST pods: ${pods.items.length} items in ${podFigures}`);
    const [page, pageFigures] = await timed(child, () => core.listPodForAllNamespaces({ limit: 500 }));
    console.log(`LIST pods limit=500: ${page.items.length} items in ${pageFigures}`);
    // All pods page by page, as kopsdeck's informers list them (limit=500, plain JSON).
    const [paged, pagedFigures] = await timed(child, async () => {
      let token = '';
      let items = 0;
      let pages = 0;
      do {
        const query = `limit=500${token ? `&continue=${encodeURIComponent(token)}` : ''}`;
        const res = await fetch(`http://127.0.0.1:${ready.port}/k8s/${CLUSTER}/api/v1/pods?${query}`);
        const page = (await res.json()) as { items: unknown[]; metadata: { continue?: string } };
        items += page.items.length;
        pages++;
        token = page.metadata.continue ?? '';
      } while (token);
      return `${items} items in ${pages} pages`;
    });
    console.log(`LIST pods paged by 500 (plain JSON): ${paged}, ${pagedFigures}`);
    const node = `ip-10-0-0-7.ec2.internal`;
    const [onNode, onNodeFigures] = await timed(child, () => core.listPodForAllNamespaces({ fieldSelector: `spec.nodeName=${node}` }));
    console.log(`LIST pods fieldSelector spec.nodeName: ${onNode.items.length} items in ${onNodeFigures}`);
    child.send('memory');
    const after = await nextMessage(child);
    console.log(`simulator RSS after the lists: ${mib(after.rss)} (heap ${mib(after.heap)}); targets: node list < 300 ms, RSS < 1536 MiB`);
  } finally {
    child.send('exit');
  }
}

if (process.argv.includes('--serve')) await serve();
else await main();
