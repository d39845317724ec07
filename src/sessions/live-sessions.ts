// One live view of a cluster per opened cluster: a Kubernetes client from the
// kubeconfig, AWS clients for the cluster's region, and the engine's live
// cluster (informers + cloud poller -> ClusterModel). Sessions are shared by
// every screen of that cluster through a registry kept per Services value, and
// stopped shortly after the last screen of the cluster lets go (moving from
// the nodes screen to a node's detail keeps the caches warm; going back to the
// clusters list stops them).
import type { AwsClients } from '../engine/cloud/aws/clients.js';
import { clusterRegion } from '../engine/cloud/access.js';
import { createKubeClient, KubeConfigError, type KubeClient } from '../engine/kube/client.js';
import { startLiveCluster, type LiveCluster } from '../engine/live-model/live-cluster.js';
import { lazyAwsInventory } from '../engine/live-model/lazy-aws-inventory.js';
import type { InstanceGroup } from '../engine/spec/types.js';
import type { Services } from './services.js';
import { perServices } from './per-services.js';
import { GracefulSessions } from './session-registry.js';
import { errorMessage } from '../engine/error-message.js';
import { Listeners } from '../engine/listeners.js';
import { cloudGroupsOfSpec } from '../engine/health/validate-cluster-health.js';

export type LiveSessionState =
  | { status: 'connecting'; step: string }
  | { status: 'error'; title: string; message: string; hint: string; retryingInMs?: number }
  | {
      status: 'live';
      live: LiveCluster;
      kube: KubeClient;
      /** The node list has arrived (the nodes screen can show it while pods are still listed). */
      nodesSynced: boolean;
      /** Nodes, pods and the first cloud poll have all arrived. */
      synced: boolean;
      inStore: boolean;
      specGroups: SpecGroup[];
      server: string;
    };

export interface SpecGroup {
  name: string;
  role?: InstanceGroup['spec']['role'];
}

export interface LiveSessionOptions {
  /**
   * Wall ms to gather model changes into one notification (one frame); default 250:
   * a full-screen Ink frame costs tens of milliseconds of CPU whatever changed, so
   * 4 frames a second under a stream of watch events keeps the console light.
   */
  notifyIntervalMs?: number;
  /** Clock ms between cloud polls; default 10 s. */
  cloudIntervalMs?: number;
  /** Wall ms between automatic retries after a connection error; default 5 s. */
  retryMs?: number;
  /** Wall ms a session outlives its last screen; default 1.5 s. */
  graceMs?: number;
  /** Resolves when the console has drawn its next frame: pods and the cloud are listed after the frame that shows the nodes. */
  nextFrame?: () => Promise<void>;
}

const DEFAULT_NOTIFY_MS = 250;
/** Wall ms between model notifications until everything is listed. */
const SYNCING_NOTIFY_MS = 400;

export class LiveClusterSession {
  private current: LiveSessionState = { status: 'connecting', step: 'Starting' };
  private readonly listeners = new Listeners();
  private clients: AwsClients | undefined;
  private retryTimer: NodeJS.Timeout | undefined;
  private stopped = false;
  private attempt = 0;

  constructor(
    readonly cluster: string,
    private readonly services: Services,
    private readonly options: LiveSessionOptions = {},
  ) {}

  get state(): LiveSessionState {
    return this.current;
  }

  subscribe = (listener: () => void): (() => void) => this.listeners.add(listener);

  getState = (): LiveSessionState => this.current;

  /** Connects (again, after an error); a no-op while live. */
  start(): void {
    if (this.stopped || this.current.status === 'live') return;
    clearTimeout(this.retryTimer);
    const attempt = ++this.attempt;
    this.connect(attempt).catch((error: unknown) => {
      if (attempt !== this.attempt || this.stopped) return;
      this.fail('Could not open the live view of ' + this.cluster, errorMessage(error), 'Press r to retry, or Esc to go back.');
    });
  }

  /** Polls the cloud now (the informers are live already); after an error, connects again. */
  async refresh(): Promise<void> {
    if (this.current.status === 'live') await this.current.live.refreshCloud();
    else this.start();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.retryTimer);
    const state = this.current;
    if (state.status === 'live') {
      await state.live.stop().catch(() => undefined);
      state.kube.close();
    }
    this.clients?.destroy();
    this.clients = undefined;
  }

  private async connect(attempt: number): Promise<void> {
    const access = this.services.access;
    if (!access) {
      return this.fail(
        `No cloud to read ${this.cluster} from`,
        'This console was started without cloud access (endpoints, credentials, kubeconfig).',
        'Start kopsdeck with --cloud sim (the simulator) or --cloud aws, then open the cluster again.',
        false,
      );
    }
    this.set({ status: 'connecting', step: `Reading the spec of ${this.cluster} from ${this.services.storeUrl}` });
    let storeError: unknown;
    const stored = await this.services.store.getCluster(this.cluster).catch((error: unknown) => ((storeError = error), null));
    const groups = stored ? await this.services.store.listInstanceGroups(this.cluster).catch(() => []) : [];
    if (attempt !== this.attempt || this.stopped) return;

    this.set({ status: 'connecting', step: `Loading the kubeconfig context ${this.cluster}` });
    let kube: KubeClient;
    try {
      kube = await createKubeClient({ cluster: this.cluster, kubeconfigPath: access.kubeconfigPath });
    } catch (error) {
      if (attempt !== this.attempt || this.stopped) return;
      if (error instanceof KubeConfigError && storeError !== undefined) {
        return this.fail(
          `Could not read ${this.cluster} from the state store`,
          `${errorMessage(storeError)}; and the kubeconfig has no context for it (${errorMessage(error)})`,
          `Retrying every ${Math.round(this.retryMs / 1000)} s, or press r.`,
          true,
        );
      }
      if (error instanceof KubeConfigError && !stored) return this.failUnknown(attempt);
      if (error instanceof KubeConfigError) {
        return this.fail(
          `No kubeconfig context for ${this.cluster}`,
          errorMessage(error),
          `Run \`kopsdeck update cluster ${this.cluster} --yes\` first (it creates the cluster and its context); retrying every ${Math.round(this.retryMs / 1000)} s, or press r.`,
          true,
        );
      }
      throw error;
    }
    if (attempt !== this.attempt || this.stopped) {
      kube.close();
      return;
    }
    this.clients?.destroy();
    this.clients = undefined;
    const cloud = lazyAwsInventory(access, clusterRegion(stored?.value, access), {
      delayMs: AFTER_A_FRAME_MS,
      onClients: (clients) => {
        if (attempt === this.attempt && !this.stopped) this.clients = clients;
        else clients.destroy();
      },
    });
    const live = startLiveCluster({
      cluster: this.cluster,
      kube,
      cloud,
      clock: access.clock,
      notifyIntervalMs: this.options.notifyIntervalMs ?? DEFAULT_NOTIFY_MS,
      cloudIntervalMs: this.options.cloudIntervalMs,
      // The screens show nodes as soon as they are listed; pods and instance groups fill in after.
      nodesFirst: true,
      restAfter: this.options.nextFrame,
    });
    const specGroups = cloudGroupsOfSpec(groups.map((g) => g.value));
    const base = { status: 'live' as const, live, kube, inStore: stored !== null, specGroups, server: kube.server };
    this.set({ ...base, nodesSynced: false, synced: false });
    const update = (change: { nodesSynced?: boolean; synced?: boolean }) => {
      if (this.stopped || this.current.status !== 'live' || this.current.live !== live) return;
      this.set({ ...this.current, ...change });
    };
    // While 150,000 pods arrive page by page, redraw a few times a second, not ten:
    // each frame costs the same CPU the listing needs, whatever changed.
    const notifyIntervalMs = this.options.notifyIntervalMs ?? DEFAULT_NOTIFY_MS;
    if (this.options.notifyIntervalMs === undefined) live.model.setNotifyInterval(SYNCING_NOTIFY_MS);
    live.nodes.synced.then(() => update({ nodesSynced: true }), () => undefined);
    live.synced.then(() => {
      live.model.setNotifyInterval(notifyIntervalMs);
      update({ nodesSynced: true, synced: true });
    }, () => undefined);
  }

  /** In neither the state store nor the kubeconfig: nothing to run would make it readable; say which clusters there are. */
  private async failUnknown(attempt: number): Promise<void> {
    const { store, storeUrl } = this.services;
    const names = await store.listClusters().catch(() => undefined);
    if (this.stopped || attempt !== this.attempt) return;
    const others = names?.filter((name) => name !== this.cluster);
    const hint =
      others === undefined
        ? ':clusters lists the clusters in the state store.'
        : others.length === 0
          ? 'The state store holds no clusters; :create makes one.'
          : `The state store holds ${others.join(', ')}: open one with :overview NAME (Tab completes), or :clusters to list them.`;
    this.fail(`Cluster ${this.cluster} not found`, `${this.cluster} is not in the state store ${storeUrl}, nor is there a kubeconfig context for it.`, hint);
  }

  private get retryMs(): number {
    return this.options.retryMs ?? 5000;
  }

  private fail(title: string, message: string, hint: string, autoRetry = false): void {
    this.set({ status: 'error', title, message, hint, retryingInMs: autoRetry ? this.retryMs : undefined });
    if (autoRetry && !this.stopped) {
      this.retryTimer = setTimeout(() => this.start(), this.retryMs);
      this.retryTimer.unref?.();
    }
  }

  private set(state: LiveSessionState): void {
    this.current = state;
    this.listeners.notify();
  }
}

/**
 * How long after the first cloud poll (which comes after the nodes are listed)
 * the SDK loads: three of Ink's frame intervals (it draws at most every 33 ms),
 * so the frame that shows the nodes is out before the compile holds the loop.
 */
const AFTER_A_FRAME_MS = 100;

/** The sessions of one console (one Services value), by cluster name. */
export class LiveSessions extends GracefulSessions<LiveClusterSession> {
  constructor(services: Services, options: LiveSessionOptions = {}) {
    super((cluster) => new LiveClusterSession(cluster, services, options), options.graceMs);
  }
}

/**
 * The console's session registry: one per Services value, made on first use.
 * Options apply when it is made (tests and benchmarks call this before rendering).
 */
export const liveSessionsFor = perServices((services: Services, options?: LiveSessionOptions) => new LiveSessions(services, options));

