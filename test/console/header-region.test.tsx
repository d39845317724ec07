// The header names the region of the cluster being looked at (its subnets'
// zones say it), not the session's default region; with no cluster on screen
// it names the session's default region.
import assert from 'node:assert/strict';
import { after, test } from 'node:test';
import { cleanup } from 'ink-testing-library';
import { ClusterStore } from '../../src/engine/store/cluster-store.js';
import { keys, makeServices, MemoryObjectStore, renderApp, seedCluster } from './helpers.js';

after(() => cleanup());

const headerLine = (frame: string) => frame.split('\n').find((line) => line.includes('state: ')) ?? '';

test('a cluster in eu-west-1 shows eu-west-1 in the header, though the session defaults to us-east-1', async () => {
  const store = new ClusterStore(new MemoryObjectStore());
  await seedCluster(store, 'alpha.example.com', ['eu-west-1a', 'eu-west-1b']);
  await seedCluster(store, 'demo.example.com', ['us-east-1a']);
  const app = renderApp({ services: makeServices(store, { region: 'us-east-1' }), size: { columns: 120, rows: 30 } });
  await app.waitFor('alpha.example.com');
  assert.match(headerLine(app.lastFrame()!), /cluster: -\s+cloud: aws us-east-1\s*$/);

  app.press(':');
  await app.waitFor(':█');
  for (const ch of 'spec alpha.example.com') app.press(ch);
  app.press(keys.enter);
  const spec = await app.waitFor((frame) => frame.includes('kind: Cluster') && headerLine(frame).includes('eu-west-1'));
  assert.match(headerLine(spec), /cluster: alpha\.example\.com\s+cloud: aws eu-west-1\s*$/);
  assert.ok(!headerLine(spec).includes('us-east-1'), headerLine(spec));

  app.press(keys.escape);
  const back = await app.waitFor((frame) => frame.includes('Clusters [2]') && headerLine(frame).includes('cluster: -'));
  assert.match(headerLine(back), /cloud: aws us-east-1\s*$/);
  app.unmount();
});
