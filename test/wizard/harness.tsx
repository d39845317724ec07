// The wizard's test bench: a simulator on 127.0.0.1:0 in a temp dir, console
// services pointed at it (the access start-up code would build), a fresh
// state store, and the console rendered on the create-cluster screen.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { CloudAccess } from '../../src/engine/cloud/access.js';
import { ClusterStore } from '../../src/engine/store/cluster-store.js';
import { FileObjectStore } from '../../src/engine/store/file-store.js';
import type { Route } from '../../src/navigation/routes.js';
import type { Services } from '../../src/hooks/services.js';
import type { CreateFlowSettings } from '../../src/engine/create/index.js';
import { CreateClusterScreen } from '../../src/screens/CreateClusterScreen.js';
import { startSimulator, type RunningSimulator } from '../../src/sim/simulator.js';
import { simulatorAccess } from '../../src/startup/cloud-session.js';
import { makeServices, renderApp, waitForFrame } from '../console/helpers.js';
import { simAdminFetch } from '../../src/sim/admin-client.js';

export interface Bench {
  home: string;
  sim: RunningSimulator;
  access: CloudAccess;
  store: ClusterStore;
  services: Services;
  /** AWS calls by action that change something (Create*, Put*, Update*, Delete*, Run*, ...). */
  mutatingCalls(): Promise<Record<string, number>>;
  close(): Promise<void>;
}

export async function startBench(speed = 50): Promise<Bench> {
  const home = mkdtempSync(join(tmpdir(), 'kopsdeck-wizard-'));
  const sim = await startSimulator({ speed, seed: 11, dir: join(home, 'sim'), port: 0 });
  const access = simulatorAccess({ url: sim.url, kubeconfigPath: sim.kubeconfigPath, speed, token: sim.token });
  const store = new ClusterStore(new FileObjectStore(join(home, 'state')));
  return {
    home,
    sim,
    access,
    store,
    services: makeServices(store, { access }),
    async mutatingCalls() {
      const stats = (await (await simAdminFetch(sim, '/sim/stats')).json()) as { awsCalls: Record<string, number> };
      const reads = /:(Describe|List|Get|Head)/;
      return Object.fromEntries(Object.entries(stats.awsCalls).filter(([action]) => !reads.test(action)));
    },
    async close() {
      await sim.stop();
      rmSync(home, { recursive: true, force: true });
    },
  };
}

/** Narrower than 100 columns: no answers sidebar, so a wrapped sentence reads whole once spaces are folded. */
export const SIZE = { columns: 96, rows: 34 };

/** The frame with every run of white space folded to one space: wrapped messages match as written. */
export function flat(frame: string | undefined): string {
  return (frame ?? '').replace(/\s+/g, ' ');
}

/** A rendered console whose frames are read folded (see flat). */
export function folded<T extends ReturnType<typeof renderApp>>(app: T) {
  const lastFrame = () => flat(app.lastFrame());
  return {
    ...app,
    lastFrame,
    waitFor: (check: string | ((frame: string) => boolean), timeoutMs?: number) => waitForFrame({ lastFrame }, check, timeoutMs),
  };
}

/** The console on the wizard (or on `initialRoute`), with the create flow's timing shortened for tests. */
export function renderWizard(bench: Bench, opts: { initialRoute?: Route; settings?: CreateFlowSettings } = {}) {
  const settings: CreateFlowSettings = { validationIntervalMs: 2_000, cloudIntervalMs: 2_000, ...opts.settings };
  return folded(renderApp({
    services: bench.services,
    size: SIZE,
    initialRoute: opts.initialRoute ?? { name: 'create-cluster' },
    screens: { 'create-cluster': { title: () => 'New cluster', render: () => <CreateClusterScreen settings={settings} /> } },
  }));
}

type WizardApp = ReturnType<typeof renderWizard>;

/**
 * Presses Enter at step `n` and returns the frame once that Enter has surely
 * been handled, without sleeping: a later key, read after it, must show its
 * effect first. In an open text field that key is `~` (typed, seen, then
 * erased); on a choice list it is `?` (the help seen, then closed). If Enter
 * moved on instead, the frame returned shows the step it moved to.
 */
export async function pressEnterAndSettle(app: WizardApp, n: number): Promise<string> {
  const atStep = (f: string) => f.includes(`step ${n} of`);
  const editing = (app.lastFrame() ?? '').includes('█');
  app.press('\r');
  if (editing) {
    app.press('~');
    const probed = await app.waitFor((f) => f.includes('~█') || !atStep(f));
    if (!probed.includes('~█')) return probed;
    app.press('\x7f');
    return app.waitFor((f) => !f.includes('~█'));
  }
  app.press('?');
  await app.waitFor('Help: New cluster');
  app.press('\x1b');
  return app.waitFor((f) => !f.includes('Help: New cluster'));
}
