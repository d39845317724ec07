// `:overview NAME` for a cluster that is neither in the state store nor in the
// kubeconfig: the console says so and names the clusters the store holds,
// instead of advising `kopsdeck update cluster NAME --yes` (which fails for a
// cluster the store does not hold).
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { cleanup } from 'ink-testing-library';
import { systemClock } from '../../src/engine/clock.js';
import { ClusterStore } from '../../src/engine/store/cluster-store.js';
import { liveSessionsFor } from '../../src/sessions/live-sessions.js';
import type { Services } from '../../src/hooks/services.js';
import { keys, makeServices, MemoryObjectStore, renderApp, seedCluster } from '../console/helpers.js';

const home = mkdtempSync(join(tmpdir(), 'kopsdeck-unknown-'));
const kubeconfigPath = join(home, 'kubeconfig');
writeFileSync(kubeconfigPath, 'apiVersion: v1\nkind: Config\nclusters: []\ncontexts: []\nusers: []\n');
after(() => {
  cleanup();
  rmSync(home, { recursive: true, force: true });
});

async function servicesWith(clusters: string[]): Promise<Services> {
  const store = new ClusterStore(new MemoryObjectStore());
  for (const name of clusters) await seedCluster(store, name, ['us-east-1a']);
  const services = makeServices(store, { access: { simulated: true, clock: systemClock, defaultRegion: 'us-east-1', kubeconfigPath } });
  liveSessionsFor(services, { graceMs: 0, retryMs: 500 });
  return services;
}

async function overviewOf(services: Services, cluster: string): Promise<string> {
  const app = renderApp({ services, size: { columns: 160, rows: 30 } });
  await app.waitFor('Clusters [');
  app.press(':');
  await app.waitFor(':█');
  for (const ch of `overview ${cluster}`) app.press(ch);
  app.press(keys.enter);
  const frame = await app.waitFor(`Cluster ${cluster} not found`);
  app.unmount();
  await liveSessionsFor(services).closeAll();
  return frame;
}

test(':overview of an unknown cluster says it is not in the store and lists the clusters that are', async () => {
  const frame = await overviewOf(await servicesWith(['alpha.example.com', 'demo.example.com']), 'typo.example.com');
  assert.match(frame, /typo\.example\.com is not in the state store memory:\/\/test-state, nor is there a kubeconfig context for it\./);
  assert.match(frame, /The state store holds alpha\.example\.com, demo\.example\.com: open one with :overview NAME \(Tab completes\), or :clusters to list them\./);
  assert.ok(!frame.includes('update cluster'), 'no advice to run a command that fails for this cluster');
});

test(':overview of an unknown cluster with an empty store says how to make one', async () => {
  const frame = await overviewOf(await servicesWith([]), 'typo.example.com');
  assert.match(frame, /The state store holds no clusters; :create makes one\./);
  assert.ok(!frame.includes('update cluster'));
});
