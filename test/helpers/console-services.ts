// The Services value every console test hands to <App/> (and to the UI-free
// sessions): a store, AWS in us-east-1, simulated unless told otherwise. No
// simulator, no SDK: console tests that need only a store load nothing more.
import type { ClusterStore } from '../../src/engine/store/cluster-store.js';
import type { Services } from '../../src/sessions/services.js';

/** The console's services for a store; `overrides` add cloud access, a region, a rehearsal world, ... */
export function consoleServices(store: ClusterStore, overrides: Partial<Services> = {}): Services {
  return { store, storeUrl: store.url, cloud: 'aws', simulated: true, region: 'us-east-1', ...overrides };
}
