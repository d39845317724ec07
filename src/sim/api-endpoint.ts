// The simulated clusters' API servers as a real client meets them: HTTPS, a
// serving certificate signed by the cluster's own CA, and client certificates
// checked against that CA, as kube-apiserver's --client-ca-file does. One
// loopback listener serves every cluster; the TLS server name (SNI) says which,
// as the API's host name does on AWS: the API load balancer's DNS name, or
// api.<cluster> from the cluster's hosted zone.
//
// The CA is read where the cluster's control plane reads it: the state store
// folder its user-data names (ConfigBase), in the simulated S3. A cluster whose
// control plane runs no such machine, or whose store holds no CA, has no
// endpoint here: the handshake fails, as a connection to a load balancer with
// no healthy target does. Nothing is printed: keys stay in memory.
import { createHash } from 'node:crypto';
import { createServer, type Server } from 'node:https';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createSecureContext, type SecureContext, type TLSSocket } from 'node:tls';
import { issueCertificate } from '../engine/pki/certificates.js';
import { importKeyPair } from '../engine/pki/keys.js';
import type { AwsWorldState } from './aws/world/types.js';
import type { InstanceEnvironment } from './contracts.js';
import { failure, sendStatus } from './kube/status.js';

/** The serving certificate's lifetime: kubeadm's one year. */
const SERVING_CERT_MS = 365 * 24 * 3600_000;

export interface ApiEndpointDeps {
  state: () => AwsWorldState;
  environment: InstanceEnvironment;
  /** Serves one request for a cluster, as /k8s/<cluster><path> does. */
  handle(req: IncomingMessage, res: ServerResponse, cluster: string, path: string): void;
}

export interface ApiEndpoint {
  /** https://127.0.0.1:<port>: connect here with the API's host name as the TLS server name. */
  url: string;
  close(): Promise<void>;
}

export async function startApiEndpoint(deps: ApiEndpointDeps): Promise<ApiEndpoint> {
  const contexts = new Map<string, Promise<SecureContext>>();
  const server: Server = createServer(
    {
      // Client certificates are asked for and checked against the cluster's CA;
      // a request without a valid one gets the API server's 401, not a TLS error.
      requestCert: true,
      rejectUnauthorized: false,
      SNICallback: (serverName, done) => {
        contextFor(serverName).then(
          (context) => done(null, context),
          (error: Error) => done(error),
        );
      },
    },
    (req, res) => {
      const socket = req.socket as TLSSocket;
      const cluster = clusterForHost(deps.state(), socket.servername || '');
      if (!cluster) return sendStatus(res, failure(503, 'ServiceUnavailable', 'no API server answers at this name'));
      if (!socket.authorized) return sendStatus(res, failure(401, 'Unauthorized', 'Unauthorized'));
      deps.handle(req, res, cluster, req.url ?? '/');
    },
  );

  async function contextFor(serverName: string): Promise<SecureContext> {
    const cluster = clusterForHost(deps.state(), serverName);
    if (!cluster) throw new Error(`no simulated API server is published as ${serverName}`);
    const configBase = deps.environment.kopsControllerConfigBase(cluster);
    if (!configBase) throw new Error(`no control plane of ${cluster} is running with a state store in S3`);
    const ca = readCa(deps.environment, configBase);
    const key = `${serverName}\n${createHash('sha256').update(ca.certPem).digest('hex')}`;
    let context = contexts.get(key);
    if (!context) {
      context = servingContext(ca, cluster, serverName);
      contexts.set(key, context);
      context.catch(() => contexts.delete(key));
    }
    return context;
  }

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const port = (server.address() as AddressInfo).port;
  return {
    url: `https://127.0.0.1:${port}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

interface CaMaterial {
  certPem: string;
  keyPem: string;
}

function readCa(environment: InstanceEnvironment, configBase: string): CaMaterial {
  const base = configBase.replace(/\/+$/, '');
  const cert = environment.readObject(`${base}/pki/ca.crt`);
  const key = environment.readObject(`${base}/pki/ca.key`);
  if ('error' in cert || 'error' in key) throw new Error(`the cluster CA cannot be read from ${base}/pki/`);
  return { certPem: cert.body, keyPem: key.body };
}

/** kubeadm's apiserver certificate: the cluster's names, signed by its CA. */
async function servingContext(ca: CaMaterial, cluster: string, serverName: string): Promise<SecureContext> {
  const now = new Date();
  const issued = await issueCertificate({
    ca: { certPem: ca.certPem, keys: await importKeyPair(ca.keyPem) },
    subject: { commonName: 'kube-apiserver' },
    usage: 'server',
    now,
    notAfter: new Date(now.getTime() + SERVING_CERT_MS),
    dnsNames: [...new Set([serverName, `api.${cluster}`, 'kubernetes', 'kubernetes.default', 'kubernetes.default.svc', 'kubernetes.default.svc.cluster.local'])],
    ipAddresses: ['127.0.0.1'],
  });
  return createSecureContext({ key: issued.privateKeyPem, cert: issued.certPem, ca: ca.certPem });
}

/** The cluster whose API a host name points at: its API load balancer, or api.<cluster> in a hosted zone. */
export function clusterForHost(state: AwsWorldState, host: string): string | undefined {
  const name = host.toLowerCase().replace(/\.$/, '');
  if (!name) return undefined;
  for (const lb of Object.values(state.loadBalancing.loadBalancers)) {
    if (lb.dnsName.toLowerCase() === name && lb.tags.KubernetesCluster) return lb.tags.KubernetesCluster;
  }
  if (!name.startsWith('api.')) return undefined;
  for (const zone of Object.values(state.hostedZones)) {
    const published = zone.records.some((record) => record.name.toLowerCase().replace(/\.$/, '') === name && (record.type === 'A' || record.type === 'AAAA'));
    if (published) return name.slice('api.'.length);
  }
  return undefined;
}
