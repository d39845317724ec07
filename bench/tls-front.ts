// An HTTPS front for the simulator's plain-http Kubernetes API, for the
// benchmarks only: kubectl sends no bearer token to a plain-http server
// (kubernetes/kubectl#744), so to time kubectl and kopsdeck side by side both
// reach the simulator through this same TLS listener, with a kubeconfig that
// names its CA. (Not a benchmark itself: the runner only runs *.bench.ts.)
import { writeFileSync } from 'node:fs';
import { request as httpRequest } from 'node:http';
import { createServer } from 'node:https';
import type { AddressInfo } from 'node:net';
import { stringify } from 'yaml';
import { createCaCertificate, issueCertificate } from '../src/engine/pki/certificates.js';
import { generateKeyPair } from '../src/engine/pki/keys.js';

export interface TlsFront {
  /** A kubeconfig with one context, `cluster`, at https://127.0.0.1:<port>/k8s/<cluster>, verified against the front's CA. */
  kubeconfigPath: string;
  close(): Promise<void>;
}

export async function startTlsFront(o: { simUrl: string; cluster: string; token: string; kubeconfigPath: string }): Promise<TlsFront> {
  const now = new Date();
  const caKeys = await generateKeyPair();
  const caPem = await createCaCertificate(caKeys, 'bench-tls-front-ca', now);
  const serving = await issueCertificate({
    ca: { certPem: caPem, keys: caKeys },
    subject: { commonName: '127.0.0.1' }, // not the CA's name: a leaf named as its issuer reads as self-signed
    usage: 'server',
    now,
    notAfter: new Date(now.getTime() + 24 * 3600_000),
    ipAddresses: ['127.0.0.1'],
  });
  const target = new URL(o.simUrl);
  const server = createServer({ key: serving.privateKeyPem, cert: serving.certPem }, (req, res) => {
    const upstream = httpRequest({ host: target.hostname, port: target.port, method: req.method, path: req.url, headers: { ...req.headers, host: target.host } }, (answer) => {
      res.writeHead(answer.statusCode ?? 502, answer.headers);
      answer.pipe(res);
    });
    upstream.on('error', () => res.destroy());
    req.pipe(upstream);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  const { cluster } = o;
  writeFileSync(
    o.kubeconfigPath,
    stringify({
      apiVersion: 'v1',
      kind: 'Config',
      'current-context': cluster,
      clusters: [{ name: cluster, cluster: { server: `https://127.0.0.1:${port}/k8s/${cluster}`, 'certificate-authority-data': Buffer.from(caPem).toString('base64') } }],
      users: [{ name: cluster, user: { token: o.token } }],
      contexts: [{ name: cluster, context: { cluster, user: cluster } }],
    }),
    { mode: 0o600 },
  );
  return {
    kubeconfigPath: o.kubeconfigPath,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
