// The console starts a cluster's live session before its code loads when it
// opens on a route listed in navigation/live-routes.ts (commands/open-console.ts).
// The list must match the code: every screen whose component uses
// useLiveCluster is listed, and no other.
import assert from 'node:assert/strict';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import type { ReactElement } from 'react';
import { screens } from '../../src/screens/registry.js';
import { showsLiveCluster } from '../../src/navigation/live-routes.js';
import type { Route, RouteName } from '../../src/navigation/routes.js';

function sourceFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((entry) => {
    const path = join(dir, entry);
    return statSync(path).isDirectory() ? sourceFiles(path) : /\.tsx?$/.test(entry) ? [path] : [];
  });
}

/** Component name -> whether its file calls useLiveCluster. */
const usesLiveCluster = new Map<string, boolean>();
for (const file of sourceFiles('src/screens')) {
  const text = readFileSync(file, 'utf8');
  for (const match of text.matchAll(/export function (\w+Screen)\b/g)) usesLiveCluster.set(match[1], /\buseLiveCluster\(/.test(text));
}

/** A route of each name, with placeholder fields: only the element's type is read. */
function sampleRoute(name: RouteName): Route {
  return { name, cluster: 'c', node: 'n', namespace: 'ns', pod: 'p', kind: 'pod', object: 'o' } as unknown as Route;
}

test('a route is listed as live exactly when its component shows the live session (useLiveCluster)', () => {
  const names = Object.keys(screens) as RouteName[];
  let marked = 0;
  for (const name of names) {
    const route = sampleRoute(name);
    const element: ReactElement = screens[name].render(route as never);
    const component = (element.type as { displayName?: string }).displayName;
    assert.ok(component && usesLiveCluster.has(component), `the ${name} screen renders ${component}, found in src/screens`);
    assert.equal(showsLiveCluster(route), usesLiveCluster.get(component), `${name} (${component}): listed as live iff it calls useLiveCluster`);
    if (showsLiveCluster(route)) marked += 1;
  }
  assert.ok(marked >= 3 && marked < names.length, `some screens are live and some are not (${marked} of ${names.length})`);
});
