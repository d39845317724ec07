// The simulator: one loopback HTTP server in front of a simulated AWS and
// simulated Kubernetes clusters. /k8s/<cluster>/... goes to the Kubernetes
// side, /sim/... is the admin API, everything else is AWS (routed by the
// SigV4 credential scope). The world is saved to `dir` and restored from it.
import { mkdirSync } from 'node:fs';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { defaultSimulatorDir } from '../engine/paths.js';
import { handleAdmin } from './admin.js';
import { startApiEndpoint } from './api-endpoint.js';
import { AwsRouter } from './aws/aws-router.js';
import { AwsWorld } from './aws/world/aws-world.js';
import { createSimClock } from './clock.js';
import type { Persistent, SimFaults } from './contracts.js';
import { createFaults } from './faults.js';
import type { BootTiming } from './kube/node-lifecycle.js';
import { KubeSide } from './kube/kube-side.js';
import { instanceEnvironment } from './instance-environment.js';
import { writeKubeconfig } from './kubeconfig.js';
import { failure, sendStatus } from './kube/status.js';
import { tryDecodeUri } from './uri.js';
import { answerAfterSave, WorldPersistence } from './persistence.js';
import { takeWorldLock } from './world-lock.js';
import { bearerOf, isOwnHost, loadOrCreateWorldToken, tokenMatches } from './access-token.js';
import { createSimRandom } from './random.js';
import { seedScaleCluster } from './scale-seed.js';
import { SimStatsRecorder } from './stats.js';

export interface SimulatorOptions {
  /** 0 or absent: an ephemeral port. */
  port?: number;
  /** Simulated milliseconds per wall-clock millisecond (default 1). */
  speed?: number;
  seed?: number;
  /** Where the world and the kubeconfig are kept (default: KOPSDECK_HOME/sim). */
  dir?: string;
  /** Scale mode: seed scale.example.com with this many nodes; such a world is neither restored nor saved. */
  nodes?: number;
  podsPerNode?: number;
  faults?: Partial<SimFaults>;
  /** Kubelet delays other than the defaults (a rehearsal's, measured on the cluster it stands in for). */
  bootTiming?: Partial<BootTiming>;
}

export interface RunningSimulator {
  url: string;
  port: number;
  kubeconfigPath: string;
  /**
   * The clusters' API servers over TLS, as real clients meet them
   * (api-endpoint.ts): connect with the API's host name as the TLS server name.
   */
  apiEndpointUrl: string;
  /** The world's access token (access-token.ts): AWS access key id and bearer token of every client. */
  token: string;
  /** What a client needs: AWS_ENDPOINT_URL, KUBECONFIG, AWS_REGION, and the token as the AWS access key id. */
  env: Record<string, string>;
  /** What the user should know about this start, each a sentence (a damaged world file kept aside). */
  notices: string[];
  /** The live faults (mutating them takes effect at once, as PUT /sim/faults does). */
  faults: SimFaults;
  stop(): Promise<void>;
}

export const DEFAULT_REGION = 'us-east-1';
/** Not a secret: the simulator checks the access key id (the world's token), not signatures. */
export const SIMULATOR_SECRET_KEY = 'kopsdeck-simulator';

export async function startSimulator(options: SimulatorOptions = {}): Promise<RunningSimulator> {
  const dir = options.dir ?? defaultSimulatorDir();
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  // One simulator per world directory: a second one would overwrite this one's saves (world-lock.ts).
  const lock = takeWorldLock(dir);
  try {
    return await serveWorld(dir, options, lock.release);
  } catch (error) {
    lock.release();
    throw error;
  }
}

async function serveWorld(dir: string, options: SimulatorOptions, releaseLock: () => void): Promise<RunningSimulator> {
  // A scale-mode world is for benchmarks: it is built fresh each time and never saved.
  const scaleMode = (options.nodes ?? 0) > 0;
  const { saved, notice } = scaleMode ? { saved: null, notice: undefined } : WorldPersistence.read(dir);
  const clock = createSimClock(options.speed ?? 1, saved?.savedAt ?? Date.now());
  const random = createSimRandom(options.seed ?? Date.now());
  const stats = new SimStatsRecorder(clock.now);
  const faults = createFaults(options.faults);
  // Booting machines read the AWS world (S3, kops-controller): the world is made just below.
  const environment = instanceEnvironment(() => world);
  const kube = new KubeSide({ clock, random, faults, stats, environment, bootTiming: options.bootTiming });
  let persistence: WorldPersistence | undefined;
  const world: AwsWorld = new AwsWorld({ clock, random, faults, kube, onChange: () => (scaleMode ? undefined : persistence?.scheduleSave()) });
  // Faults are not saved: a restart starts from the faults it is given.
  const meta: Persistent = {
    snapshot: () => ({ random: random.state }),
    restore: (data) => {
      const saved = data as { random?: number };
      if (typeof saved.random === 'number') random.state = saved.random;
    },
  };
  persistence = new WorldPersistence(dir, { meta, kube, aws: world }, clock.now);
  if (saved) persistence.restore(saved);
  if (scaleMode) seedScaleCluster(world, kube, options.nodes!, options.podsPerNode ?? 30);

  const token = loadOrCreateWorldToken(dir);
  // A write is answered once the world holding it is saved, as a real cloud answers once it is durable.
  const durable = !scaleMode;
  const router = new AwsRouter({ world, stats, faults, random, accessToken: token, beforeWriteAnswer: (res) => durable && answerAfterSave(res, () => persistence.flushPending()) });
  // A Kubernetes write saves only when it changed something (a refused one, 409 or 422, did not).
  let savedKubeChanges = -1;
  const saveKubeChanges = () => {
    const changes = kube.changeCount();
    if (changes === savedKubeChanges) return persistence.flushPending();
    persistence.saveNow();
    savedKubeChanges = changes;
  };
  const saveKubeWrite = (req: IncomingMessage, res: ServerResponse) => {
    if (durable && req.method !== 'GET' && req.method !== 'HEAD') answerAfterSave(res, saveKubeChanges);
  };
  const kubeconfigPath = join(dir, 'kubeconfig');
  let url = '';
  let port = 0;
  const server = createServer((req, res) => {
    const path = (req.url ?? '/').split('?')[0];
    // Against DNS rebinding: a page that got its host name resolved to 127.0.0.1 still sends its own name.
    if (!isOwnHost(req.headers.host, port)) return refuse(res, 403, 'Forbidden', 'the simulator answers only requests addressed to 127.0.0.1 or localhost on its own port');
    const isKube = path.startsWith('/k8s/');
    const isAdmin = path.startsWith('/sim/') || path === '/sim';
    if ((isKube || isAdmin) && !tokenMatches(token, bearerOf(req.headers.authorization))) {
      return refuse(res, 401, 'Unauthorized', "Unauthorized: present the world's token (in the simulator's kubeconfig and endpoint.json) as a bearer token");
    }
    if (isKube) {
      saveKubeWrite(req, res);
      return dispatchKube(req, res, kube);
    }
    collectBody(req)
      .then((body) => {
        if (path.startsWith('/sim/') || path === '/sim') {
          handleAdmin(req, res, path, body, {
            stats,
            faults,
            health: () => ({ ok: true, url, apiEndpointUrl: apiEndpoint.url, speed: clock.speed, now: new Date(clock.now()).toISOString(), clusters: kube.clusterNames() }),
            etcdMembers: (cluster) => kube.world(cluster)?.etcdMembers,
          });
        } else {
          router.handle(req, res, body);
        }
      })
      .catch(() => {
        if (!res.headersSent) res.writeHead(400).end();
      });
  });
  server.keepAliveTimeout = 5_000;
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, '127.0.0.1', () => resolve());
  });
  port = (server.address() as AddressInfo).port;
  url = `http://127.0.0.1:${port}`;
  const apiEndpoint = await startApiEndpoint({
    state: () => world.state,
    environment,
    handle: (req, res, cluster, path) => {
      saveKubeWrite(req, res);
      dispatchKubeRequest(req, res, kube, cluster, path);
    },
  });
  const refreshKubeconfig = () => writeKubeconfig(kubeconfigPath, url, kube.clusterNames(), token);
  refreshKubeconfig();
  kube.onClustersChanged(refreshKubeconfig);

  let stopped: Promise<void> | undefined;
  const stop = () => {
    stopped ??= (async () => {
      kube.close();
      await apiEndpoint.close();
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      });
      clock.stopTimers();
      try {
        if (scaleMode) persistence.cancel();
        else persistence.saveNow();
      } finally {
        releaseLock();
      }
    })();
    return stopped;
  };

  return {
    url,
    port,
    kubeconfigPath,
    apiEndpointUrl: apiEndpoint.url,
    token,
    notices: notice ? [notice] : [],
    faults,
    env: {
      AWS_ENDPOINT_URL: url,
      KUBECONFIG: kubeconfigPath,
      AWS_REGION: DEFAULT_REGION,
      // The token is the key id; the simulator checks no signature, so the secret key is a placeholder.
      AWS_ACCESS_KEY_ID: token,
      AWS_SECRET_ACCESS_KEY: SIMULATOR_SECRET_KEY,
    },
    stop,
  };
}

function dispatchKube(req: IncomingMessage, res: ServerResponse, kube: KubeSide): void {
  const raw = req.url ?? '/';
  const match = /^\/k8s\/([^/?]+)(.*)$/.exec(raw);
  if (!match) {
    res.writeHead(404).end();
    return;
  }
  const rest = match[2] || '/';
  const cluster = tryDecodeUri(match[1]);
  if (cluster === undefined) return sendStatus(res, failure(400, 'BadRequest', 'the cluster name in the path has a malformed percent escape'));
  dispatchKubeRequest(req, res, kube, cluster, rest.startsWith('/') ? rest : '/' + rest);
}

function dispatchKubeRequest(req: IncomingMessage, res: ServerResponse, kube: KubeSide, cluster: string, path: string): void {
  try {
    kube.handle(req, res, cluster, path);
  } catch (error) {
    // Never out of the server: it hosts every other cluster, and the console itself.
    if (!res.headersSent) sendStatus(res, failure(500, 'InternalError', `an error on the server ("${(error as Error).message}") has prevented the request from succeeding`));
    else res.destroy();
  }
}

/** A refusal every client understands: a Kubernetes Status (JSON), which AWS SDKs report with its status. */
function refuse(res: ServerResponse, code: number, reason: string, message: string): void {
  sendStatus(res, failure(code, reason, message));
}

function collectBody(req: IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => resolve(Buffer.concat(chunks)));
    req.on('error', reject);
  });
}
