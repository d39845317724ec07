// What must happen when a console closes, registered by what started it: a
// registry made on first use (rollouts) adds its hook, so closing a console
// that never opened one loads none of its code.
import type { Services } from './services.js';

type CloseHook = (reason: string) => Promise<void>;

const hooks = new WeakMap<Services, Set<CloseHook>>();

export function onConsoleClose(services: Services, hook: CloseHook): void {
  let set = hooks.get(services);
  if (!set) hooks.set(services, (set = new Set()));
  set.add(hook);
}

/** Runs every hook registered for the console of `services`, at once. */
export async function closeConsole(services: Services, reason: string): Promise<void> {
  await Promise.all([...(hooks.get(services) ?? [])].map((hook) => hook(reason)));
}
