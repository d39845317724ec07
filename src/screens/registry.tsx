// Every screen, by route name: its title and how to render it, plus the `:`
// commands that open screens. A new screen adds a Route member (navigation/routes.ts),
// an entry here and, usually, a command.
import type { ReactElement } from 'react';
import type { Command } from './command-line.js';
import type { Route, RouteName } from '../navigation/routes.js';
import { ClusterSpecScreen } from './ClusterSpecScreen.js';
import { ClustersScreen } from './ClustersScreen.js';
import { CreateClusterScreen } from './CreateClusterScreen.js';
import { ClusterOverviewScreen } from './ClusterOverviewScreen.js';
import { InstanceGroupsScreen } from './InstanceGroupsScreen.js';
import { NodeDetailScreen } from './NodeDetailScreen.js';
import { EventsScreen } from './EventsScreen.js';
import { NodesScreen } from './NodesScreen.js';
import { PodLogsScreen } from './pod-logs/PodLogsScreen.js';
import { PodsScreen } from './pods/PodsScreen.js';
import { YamlScreen, yamlTitle } from './YamlScreen.js';
import { RollingUpdateScreen } from './rollout/RollingUpdateScreen.js';
import { UpgradeScreen } from './rollout/UpgradeScreen.js';
import type { CommandContext } from './command-line.js';

export interface ScreenEntry<N extends RouteName> {
  title(route: Extract<Route, { name: N }>): string;
  render(route: Extract<Route, { name: N }>): ReactElement;
}

export type ScreenTable = { [N in RouteName]: ScreenEntry<N> };

export const screens: ScreenTable = {
  clusters: { title: () => 'Clusters', render: () => <ClustersScreen /> },
  'cluster-spec': {
    title: (route) => `Spec of ${route.cluster}`,
    render: (route) => <ClusterSpecScreen cluster={route.cluster} />,
  },
  cluster: { title: (route) => `Overview of ${route.cluster}`, render: (route) => <ClusterOverviewScreen cluster={route.cluster} /> },
  'instance-groups': { title: (route) => `Instance groups of ${route.cluster}`, render: (route) => <InstanceGroupsScreen cluster={route.cluster} /> },
  nodes: { title: (route) => `Nodes of ${route.cluster}`, render: (route) => <NodesScreen cluster={route.cluster} filter={route.filter} /> },
  node: { title: (route) => `Node ${route.node}`, render: (route) => <NodeDetailScreen cluster={route.cluster} node={route.node} /> },
  events: { title: (route) => `Events of ${route.cluster}`, render: (route) => <EventsScreen cluster={route.cluster} /> },
  pods: {
    title: (route) => (route.node ? `Pods on ${route.node}` : `Pods of ${route.cluster}`),
    render: (route) => <PodsScreen cluster={route.cluster} node={route.node} />,
  },
  'pod-logs': { title: (route) => `Logs of ${route.namespace}/${route.pod}`, render: (route) => <PodLogsScreen route={route} /> },
  yaml: { title: (route) => `YAML of ${yamlTitle(route)}`, render: (route) => <YamlScreen route={route} /> },
  'create-cluster': { title: () => 'New cluster', render: () => <CreateClusterScreen /> },
  rollout: { title: (route) => `Rolling update of ${route.cluster}`, render: (route) => <RollingUpdateScreen cluster={route.cluster} /> },
  upgrade: { title: (route) => `Upgrade ${route.cluster}`, render: (route) => <UpgradeScreen cluster={route.cluster} /> },
};

/** A `:` command that opens one of a cluster's live screens (the named, selected or current cluster). */
function clusterScreenCommand(name: string, aliases: string[], what: string, open: (cluster: string, ctx: CommandContext) => void): Command {
  return {
    name,
    aliases,
    usage: '[CLUSTER]',
    description: `${what} (the selected or current cluster by default)`,
    run: (args, ctx) => {
      const cluster = args[0] ?? ctx.screen.cluster ?? ctx.currentCluster;
      if (!cluster) return `Which cluster? Type :${name} NAME (Tab completes), or select one on the clusters screen.`;
      open(cluster, ctx);
    },
    completeArgument: ({ services }) => services.store.listClusters(),
  };
}

function entryFor<N extends RouteName>(table: ScreenTable, route: Extract<Route, { name: N }>): ScreenEntry<N> {
  return table[route.name as N] as ScreenEntry<N>;
}

export function screenTitle(table: ScreenTable, route: Route): string {
  return entryFor(table, route).title(route);
}

export function renderScreen(table: ScreenTable, route: Route): ReactElement {
  return entryFor(table, route).render(route);
}

export const commands: Command[] = [
  {
    name: 'clusters',
    aliases: ['cluster', 'cl'],
    description: 'list the clusters in the state store',
    run: (_args, { router }) => router.push({ name: 'clusters' }),
  },
  {
    name: 'spec',
    usage: '[CLUSTER]',
    description: "show a cluster's spec (the selected or current cluster by default)",
    run: (args, { router, screen, currentCluster }) => {
      const cluster = args[0] ?? screen.cluster ?? currentCluster;
      if (!cluster) return 'Which cluster? Type :spec NAME (Tab completes), or select one on the clusters screen.';
      router.push({ name: 'cluster-spec', cluster });
    },
    completeArgument: ({ services }) => services.store.listClusters(),
  },
  clusterScreenCommand('overview', ['ov'], "show a cluster's health, counts and validation, live", (cluster, { router }) => router.push({ name: 'cluster', cluster })),
  clusterScreenCommand('nodes', ['node', 'no'], "list a cluster's nodes, live", (cluster, { router }) => router.push({ name: 'nodes', cluster })),
  clusterScreenCommand('events', ['event', 'ev'], "list a cluster's Events, newest first, live", (cluster, { router }) => router.push({ name: 'events', cluster })),
  clusterScreenCommand('pods', ['pod', 'po'], "list a cluster's pods, live", (cluster, { router }) => router.push({ name: 'pods', cluster })),
  clusterScreenCommand('ig', ['instancegroups', 'instancegroup'], "list a cluster's instance groups, live", (cluster, { router }) =>
    router.push({ name: 'instance-groups', cluster }),
  ),
  clusterScreenCommand('rollout', ['rolling-update', 'ru'], "plan and supervise a rolling update, node by node", (cluster, { router }) =>
    router.push({ name: 'rollout', cluster }),
  ),
  clusterScreenCommand('upgrade', ['up'], 'upgrade Kubernetes one minor version: spec, cloud update, rolling update', (cluster, { router }) =>
    router.push({ name: 'upgrade', cluster }),
  ),
  {
    name: 'create',
    aliases: ['new'],
    description: 'create a cluster with a guided wizard (nothing is created before you confirm)',
    run: (_args, { router }) => router.push({ name: 'create-cluster' }),
  },
  { name: 'help', aliases: ['h'], description: 'list the keys of this screen', run: (_args, { shell }) => shell.showHelp() },
  { name: 'quit', aliases: ['q', 'q!', 'exit'], description: 'leave kopsdeck', run: (_args, { shell }) => shell.quit() },
];
