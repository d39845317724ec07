// What the YAML screen shows, in words: its title and the registry's entry
// read it (the registry without loading the screen's code).
import type { Route } from '../navigation/routes.js';

export function yamlTitle(route: Extract<Route, { name: 'yaml' }>): string {
  return route.kind === 'pod' ? `pod ${route.namespace ?? 'default'}/${route.object}` : `node ${route.object}`;
}
