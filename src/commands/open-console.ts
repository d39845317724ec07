// `kopsdeck` with no subcommand: open the cloud session (the simulator by
// default), build the console's services and run it full-screen.
import type { Services } from '../sessions/services.js';
import { CliError, exitSilently } from './cli-error.js';
import type { CommandContext } from './command-context.js';
import { routeCluster, type Route } from '../navigation/routes.js';
import { showsLiveCluster } from '../navigation/live-routes.js';
import { closeConsole } from '../sessions/console-close.js';
import { FileObjectStore } from '../engine/store/file-store.js';

export async function openConsole(ctx: CommandContext, initialRoute?: Route): Promise<void> {
  // The create wizard may make the store's directory (its first write); any other console only reads,
  // and a store named by a mistyped path is an error here, not an empty console.
  const creating = initialRoute?.name === 'create-cluster';
  const store = ctx.store({ creating });
  if (!creating && store.objects instanceof FileObjectStore) await store.objects.checkExists();
  if (!process.stdin.isTTY) {
    throw new CliError('The console needs an interactive terminal; in scripts use a subcommand such as `kopsdeck get clusters` (see --help).');
  }
  const firstRoute = initialRoute ?? { name: 'clusters' };
  // The console's code (Ink, React, the first screen: a few hundred ms of start-up) loads while the
  // cloud session opens; on a live screen only after the node list is asked for, so the API server
  // answers while it loads.
  const live = showsLiveCluster(firstRoute);
  const consoleCode = live ? undefined : loadConsoleCode(firstRoute);
  consoleCode?.catch(() => undefined); // awaited below; a failure to load is thrown there
  const session = await ctx.cloud();
  // The demo's engine (reconcile, the AWS SDK) loads only on the simulator, where there may be one to create.
  const demo = session.simulated ? await (await import('../startup/demo-cluster.js')).seedDemoCluster(store, session, ctx.io.env) : null;
  let demoFailure: Error | undefined;
  demo?.cloudReady.catch((error: Error) => (demoFailure = error));
  const services: Services = {
    store,
    storeUrl: store.url,
    cloud: 'aws',
    simulated: session.simulated,
    region: session.defaultRegion,
    access: session,
    // Loaded on first use: the simulator's code is not needed until a rehearsal starts.
    openRehearsalWorld: async (input) => (await import('../startup/rehearsal-world.js')).rehearsalWorldOpener()(input),
  };
  const frames = frameSignal();
  const early = await startLiveSessionEarly(services, firstRoute, frames.next);
  const { runConsole } = await (consoleCode ?? loadConsoleCode(firstRoute));
  const running = runConsole(services, { debug: ctx.globals.debug, initialRoute, onRender: frames.drawn });
  // The first frame is rendered: the screen holds the session now (the registry's grace period bridges the two).
  early?.release();
  const result = await running;
  // However the console ended (q, a signal, a crash of the screen), a rollout it ran stops as a crash
  // would, but lets go of its lock: running it again resumes from its journal without breaking anything.
  await closeConsole(services, 'the console was closed');
  // Said only now: nothing may print over the full-screen console.
  if (demoFailure) ctx.warn(`The demo cluster's simulated cloud resources were not all created: ${demoFailure.message}`);
  // The console has already said why it stopped (after restoring the terminal).
  if (result.exitCode !== 0) throw exitSilently(result.exitCode);
}

/**
 * The console's code, ready for its first frame: Ink, React and the app, the
 * code of the screen `route` opens, and Ink's row cache (enabled here rather
 * than when app.tsx is imported: Ink alone rebuilds every cell of every frame,
 * see terminal/ink-row-cache.ts).
 */
export async function loadConsoleCode(route: Route): Promise<{ runConsole: typeof import('../console.js').runConsole }> {
  const [{ runConsole }, { preloadScreen, screens }, { enableInkRowCache }] = await Promise.all([
    import('../console.js'),
    import('../screens/registry.js'),
    import('../terminal/ink-row-cache.js'),
  ]);
  await Promise.all([preloadScreen(screens, route), enableInkRowCache()]);
  return { runConsole };
}

/**
 * When the console opens on one of a cluster's live screens, its session starts
 * before the console's code loads: the node list (hundreds of ms of server time
 * at 5,000 nodes) is asked for first, and arrives while Ink and the screen load.
 */
export async function startLiveSessionEarly(services: Services, route: Route, nextFrame: () => Promise<void>): Promise<{ release(): void } | undefined> {
  const cluster = routeCluster(route);
  if (!cluster || !showsLiveCluster(route)) return undefined;
  const { liveSessionsFor } = await import('../sessions/live-sessions.js');
  // Pods and the cloud wait for the frame after the nodes: listed during start-up, they would slow it.
  return liveSessionsFor(services, { nextFrame }).acquire(cluster);
}

/** Ink's frames as a signal: next() resolves at the next frame drawn, or after FRAME_WAIT_MS when none comes (nothing changed on screen). */
export function frameSignal(): { drawn: () => void; next: () => Promise<void> } {
  let waiting: (() => void)[] = [];
  return {
    drawn: () => {
      const resolve = waiting;
      waiting = [];
      for (const done of resolve) done();
    },
    next: () =>
      new Promise<void>((resolve) => {
        waiting.push(resolve);
        setTimeout(resolve, FRAME_WAIT_MS).unref();
      }),
  };
}

const FRAME_WAIT_MS = 250;
