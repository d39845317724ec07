// The routes whose screens show their cluster's live session (useLiveCluster).
// Kept apart from the screen table, which imports React and Ink: a console that
// opens on one of these asks for the node list before its own code loads
// (commands/open-console.ts). test/screens/registry-live.test.ts checks the set
// against the screens' code.
import type { Route, RouteName } from './routes.js';

const LIVE_ROUTES: ReadonlySet<RouteName> = new Set<RouteName>(['cluster', 'instance-groups', 'nodes', 'node', 'pods', 'pod-logs', 'yaml']);

/** Whether the screen `route` opens shows its cluster's live session. */
export function showsLiveCluster(route: Route): boolean {
  return LIVE_ROUTES.has(route.name);
}
