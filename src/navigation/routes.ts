// Routes are data. Add a member to Route for each new screen and register the
// screen in src/screens/registry.tsx.
export type Route =
  | { name: 'clusters' }
  | { name: 'cluster-spec'; cluster: string }
  | { name: 'cluster'; cluster: string }
  | { name: 'instance-groups'; cluster: string }
  | { name: 'nodes'; cluster: string; filter?: string }
  | { name: 'node'; cluster: string; node: string }
  | { name: 'events'; cluster: string }
  | { name: 'pods'; cluster: string; node?: string }
  | { name: 'pod-logs'; cluster: string; namespace: string; pod: string; container?: string }
  | { name: 'yaml'; cluster: string; kind: 'pod' | 'node'; namespace?: string; object: string }
  | { name: 'create-cluster' }
  | { name: 'rollout'; cluster: string }
  | { name: 'upgrade'; cluster: string };

export type RouteName = Route['name'];

/** The cluster a route is about, if any (the header shows it). */
export function routeCluster(route: Route): string | undefined {
  return 'cluster' in route ? route.cluster : undefined;
}

export function sameRoute(a: Route, b: Route): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}
