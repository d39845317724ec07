// Every screen, by route name: its title and how to render it, plus the `:`
// commands that open screens. A new screen adds a Route member (navigation/routes.ts),
// an entry here and, usually, a command.
import { useEffect, useState, type ComponentType, type ReactElement } from 'react';
import { Loading } from '../components/Loading.js';
import type { Command, CommandContext } from './command-line.js';
import type { Route, RouteName } from '../navigation/routes.js';
import { yamlTitle } from './yaml-title.js';

/**
 * A screen whose code is loaded when it is first shown (a line says so
 * meanwhile), or before the first frame when the console opens on it
 * (preloadScreen): the console starts with only the screen it opens on, and the
 * AWS SDK, the reconcile and rollout engines load with the screens that use them.
 * Not React.lazy: a suspended screen's content is revealed up to 300 ms late.
 */
interface LazyScreen<P extends object> {
  (props: P): ReactElement;
  load(): Promise<void>;
}

function lazyScreen<P extends object>(importer: () => Promise<Record<string, unknown>>, name: string): LazyScreen<P> {
  let component: ComponentType<P> | undefined;
  let failure: unknown;
  let loading: Promise<void> | undefined;
  const load = () =>
    (loading ??= importer().then(
      (module) => void (component = module[name] as ComponentType<P>),
      (error: unknown) => void (failure = error),
    ));
  const Screen = (props: P): ReactElement => {
    const [, setLoaded] = useState(false);
    useEffect(() => {
      if (!component) void load().then(() => setLoaded(true));
    }, []);
    // A screen whose code cannot be read is a broken install: the console stops and says why.
    if (failure !== undefined) throw failure;
    if (!component) return <Loading label={`Opening the ${name.replace(/Screen$/, '').replace(/(?<=.)([A-Z])/g, ' $1').toLowerCase()} screen`} />;
    const Component = component;
    return <Component {...props} />;
  };
  return Object.assign(Screen, { load, displayName: name });
}

const ClustersScreen = lazyScreen(() => import('./ClustersScreen.js'), 'ClustersScreen');
const ClusterSpecScreen = lazyScreen<{ cluster: string }>(() => import('./ClusterSpecScreen.js'), 'ClusterSpecScreen');
const ClusterOverviewScreen = lazyScreen<{ cluster: string }>(() => import('./ClusterOverviewScreen.js'), 'ClusterOverviewScreen');
const InstanceGroupsScreen = lazyScreen<{ cluster: string }>(() => import('./InstanceGroupsScreen.js'), 'InstanceGroupsScreen');
const NodesScreen = lazyScreen<{ cluster: string; filter?: string }>(() => import('./NodesScreen.js'), 'NodesScreen');
const NodeDetailScreen = lazyScreen<{ cluster: string; node: string }>(() => import('./NodeDetailScreen.js'), 'NodeDetailScreen');
const EventsScreen = lazyScreen<{ cluster: string }>(() => import('./EventsScreen.js'), 'EventsScreen');
const PodsScreen = lazyScreen<{ cluster: string; node?: string }>(() => import('./pods/PodsScreen.js'), 'PodsScreen');
const PodLogsScreen = lazyScreen<{ route: Extract<Route, { name: 'pod-logs' }> }>(() => import('./pod-logs/PodLogsScreen.js'), 'PodLogsScreen');
const YamlScreen = lazyScreen<{ route: Extract<Route, { name: 'yaml' }> }>(() => import('./YamlScreen.js'), 'YamlScreen');
const CreateClusterScreen = lazyScreen(() => import('./CreateClusterScreen.js'), 'CreateClusterScreen');
const RollingUpdateScreen = lazyScreen<{ cluster: string }>(() => import('./rollout/RollingUpdateScreen.js'), 'RollingUpdateScreen');
const UpgradeScreen = lazyScreen<{ cluster: string }>(() => import('./rollout/UpgradeScreen.js'), 'UpgradeScreen');

export interface ScreenEntry<N extends RouteName> {
  title(route: Extract<Route, { name: N }>): string;
  render(route: Extract<Route, { name: N }>): ReactElement;
  /** Loads the screen's code ahead of its first frame (absent: nothing to load). */
  load?(): Promise<void>;
}

export type ScreenTable = { [N in RouteName]: ScreenEntry<N> };

export const screens: ScreenTable = {
  clusters: { title: () => 'Clusters', render: () => <ClustersScreen />, load: ClustersScreen.load },
  'cluster-spec': {
    title: (route) => `Spec of ${route.cluster}`,
    render: (route) => <ClusterSpecScreen cluster={route.cluster} />,
    load: ClusterSpecScreen.load,
  },
  cluster: { title: (route) => `Overview of ${route.cluster}`, render: (route) => <ClusterOverviewScreen cluster={route.cluster} />, load: ClusterOverviewScreen.load },
  'instance-groups': { title: (route) => `Instance groups of ${route.cluster}`, render: (route) => <InstanceGroupsScreen cluster={route.cluster} />, load: InstanceGroupsScreen.load },
  nodes: { title: (route) => `Nodes of ${route.cluster}`, render: (route) => <NodesScreen cluster={route.cluster} filter={route.filter} />, load: NodesScreen.load },
  node: { title: (route) => `Node ${route.node}`, render: (route) => <NodeDetailScreen cluster={route.cluster} node={route.node} />, load: NodeDetailScreen.load },
  events: { title: (route) => `Events of ${route.cluster}`, render: (route) => <EventsScreen cluster={route.cluster} />, load: EventsScreen.load },
  pods: {
    title: (route) => (route.node ? `Pods on ${route.node}` : `Pods of ${route.cluster}`),
    render: (route) => <PodsScreen cluster={route.cluster} node={route.node} />,
    load: PodsScreen.load,
  },
  'pod-logs': { title: (route) => `Logs of ${route.namespace}/${route.pod}`, render: (route) => <PodLogsScreen route={route} />, load: PodLogsScreen.load },
  yaml: { title: (route) => `YAML of ${yamlTitle(route)}`, render: (route) => <YamlScreen route={route} />, load: YamlScreen.load },
  'create-cluster': { title: () => 'New cluster', render: () => <CreateClusterScreen />, load: CreateClusterScreen.load },
  rollout: { title: (route) => `Rolling update of ${route.cluster}`, render: (route) => <RollingUpdateScreen cluster={route.cluster} />, load: RollingUpdateScreen.load },
  upgrade: { title: (route) => `Upgrade ${route.cluster}`, render: (route) => <UpgradeScreen cluster={route.cluster} />, load: UpgradeScreen.load },
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

/** Loads the code of the screen `route` opens, so its first frame does not wait for it. */
export async function preloadScreen(table: ScreenTable, route: Route): Promise<void> {
  await entryFor(table, route).load?.();
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
