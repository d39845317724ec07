// A small stand for testing the Kubernetes half on its own: a loopback HTTP
// server routing /k8s/<cluster>/... to KubeSide, a fast simulated clock, a
// seeded random source, faults and a stats recorder, plus kubeconfig helpers.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { KubeConfig } from '@kubernetes/client-node';
import { PREBAKED_NODE_IMAGE_ID, noFaults, type PdbViolation, type SimClock, type SimFaults, type SimInstanceInfo, type SimRandom, type SimStats } from '../../src/sim/contracts.js';
import { KubeSide } from '../../src/sim/kube/kube-side.js';
import { createSimClock } from '../../src/sim/clock.js';
import { createSimRandom } from '../../src/sim/random.js';
import { untilNoError, type NotYet } from './wait.js';

export interface TestClock extends SimClock {
  stop(): void;
}

/** The simulator's own clock, started at a fixed date so runs repeat. */
export function testClock(speed: number): TestClock {
  const clock = createSimClock(speed, Date.UTC(2026, 0, 1));
  return { speed: clock.speed, now: clock.now, after: clock.after, stop: clock.stopTimers };
}

export function testRandom(seed = 42): SimRandom {
  return createSimRandom(seed);
}


export class RecordingStats implements SimStats {
  readonly violations: PdbViolation[] = [];
  countAwsCall(): void {}
  recordPdbViolation(violation: PdbViolation): void {
    this.violations.push(violation);
  }
}

export interface KubeHarness {
  url: string;
  kube: KubeSide;
  clock: TestClock;
  faults: SimFaults;
  stats: RecordingStats;
  dir: string;
  serverUrl(cluster: string): string;
  kubeConfig(cluster: string): KubeConfig;
  /** Writes a kubeconfig file for kubectl and returns its path. */
  kubeconfigFile(cluster: string): string;
  close(): Promise<void>;
}

export async function startKubeHarness(options: { speed?: number; eventWindow?: number; maxEvents?: number } = {}): Promise<KubeHarness> {
  const clock = testClock(options.speed ?? 100);
  const faults = noFaults();
  const stats = new RecordingStats();
  const kube = new KubeSide({ clock, random: testRandom(), faults, stats }, { eventWindow: options.eventWindow, maxEvents: options.maxEvents });
  const server: Server = createServer((req, res) => {
    const match = /^\/k8s\/([^/?]+)(.*)$/.exec(req.url ?? '/');
    if (!match) return void res.writeHead(404).end();
    kube.handle(req, res, decodeURIComponent(match[1]), match[2] || '/');
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const dir = mkdtempSync(join(tmpdir(), 'kopsdeck-kube-'));
  const serverUrl = (cluster: string) => `${url}/k8s/${cluster}`;
  const kubeconfigText = (cluster: string) =>
    JSON.stringify({
      apiVersion: 'v1',
      kind: 'Config',
      // client-node 1.4 refuses plain http unless the cluster skips TLS verification.
      clusters: [{ name: cluster, cluster: { server: serverUrl(cluster), 'insecure-skip-tls-verify': true } }],
      users: [{ name: cluster, user: { token: 'simulated' } }],
      contexts: [{ name: cluster, context: { cluster, user: cluster } }],
      'current-context': cluster,
    });
  return {
    url,
    kube,
    clock,
    faults,
    stats,
    dir,
    serverUrl,
    kubeConfig(cluster) {
      const kc = new KubeConfig();
      kc.loadFromString(kubeconfigText(cluster));
      return kc;
    },
    kubeconfigFile(cluster) {
      const path = join(dir, `kubeconfig-${cluster}`);
      writeFileSync(path, kubeconfigText(cluster), { mode: 0o600 });
      return path;
    },
    async close() {
      kube.close();
      clock.stop();
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      });
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

let serial = 0;

/** An EC2 instance as the AWS side would report it, with kops-style user-data. */
export function simInstance(
  cluster: string,
  options: { role?: string; ig?: string; version?: string; zone?: string } = {},
): SimInstanceInfo {
  const n = ++serial;
  const ip = `172.20.${Math.floor(n / 250)}.${(n % 250) + 2}`;
  const role = options.role ?? 'Node';
  const ig = options.ig ?? (role === 'ControlPlane' ? 'control-plane-us-east-1a' : 'nodes-us-east-1a');
  return {
    instanceId: `i-${n.toString(16).padStart(17, '0')}`,
    zone: options.zone ?? 'us-east-1a',
    instanceType: 't3.medium',
    imageId: PREBAKED_NODE_IMAGE_ID,
    privateIp: ip,
    privateDnsName: `ip-${ip.replace(/\./g, '-')}.ec2.internal`,
    userData: [
      '#!/bin/bash',
      `export CLUSTER_NAME=${cluster}`,
      `export INSTANCE_GROUP=${ig}`,
      `export INSTANCE_GROUP_ROLE=${role}`,
      `export KUBERNETES_VERSION=${options.version ?? '1.30.2'}`,
    ].join('\n'),
    tags: { KubernetesCluster: cluster, 'kops.k8s.io/instancegroup': ig },
    launchTime: Date.now(),
  };
}

/** Polls `check` until it returns a truthy value (a throwing check counts as not yet), or fails after `timeoutMs` (wall). */
export function waitFor<T>(what: string, check: () => T | NotYet | Promise<T | NotYet>, timeoutMs = 20_000): Promise<T> {
  return untilNoError(what, check, timeoutMs);
}
