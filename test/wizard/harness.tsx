// The wizard on the console bench (test/helpers/sim-console.ts: a simulator
// on 127.0.0.1:0 in a temp dir, a fresh state store, the console's services
// pointed at them): the console rendered on the create-cluster screen, its
// frames read with white space folded, and Enter pressed step by step.
import type { Route } from '../../src/navigation/routes.js';
import type { CreateFlowSettings } from '../../src/engine/create/index.js';
import { CreateClusterScreen } from '../../src/screens/CreateClusterScreen.js';
import { renderApp, waitForFrame } from '../console/helpers.js';
import type { Bench } from '../helpers/sim-console.js';

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
