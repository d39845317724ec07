// Where a cluster's secrets live in the state store, laid out as kubeadm lays
// out /etc/kubernetes/pki (kops keeps its own pki/ in its store too, in another
// layout: a kops-made cluster's store is never written by kopsdeck).
//   <cluster>/pki/ca.crt, ca.key                         Kubernetes CA
//   <cluster>/pki/front-proxy-ca.crt, front-proxy-ca.key  front-proxy CA
//   <cluster>/pki/etcd/ca.crt, etcd/ca.key                etcd CA (peer and client)
//   <cluster>/pki/sa.key, sa.pub                          service-account signing keys
//   <cluster>/secrets/bootstrap-token                     the workers' bootstrap token (JSON)

export type SecretName = 'ca' | 'front-proxy-ca' | 'etcd-ca' | 'service-account' | 'bootstrap-token';
export type SecretType = 'CertificateAuthority' | 'KeyPair' | 'BootstrapToken';

export interface SecretEntry {
  name: SecretName;
  type: SecretType;
  /** The private object (a key, or the token), relative to <cluster>/. */
  privatePath: string;
  /** The public object (a certificate or public key), when there is one. */
  publicPath?: string;
  /** A CA certificate's subject, as kubeadm names it. */
  commonName?: string;
}

export const SECRETS: readonly SecretEntry[] = [
  { name: 'ca', type: 'CertificateAuthority', privatePath: 'pki/ca.key', publicPath: 'pki/ca.crt', commonName: 'kubernetes' },
  { name: 'front-proxy-ca', type: 'CertificateAuthority', privatePath: 'pki/front-proxy-ca.key', publicPath: 'pki/front-proxy-ca.crt', commonName: 'front-proxy-ca' },
  { name: 'etcd-ca', type: 'CertificateAuthority', privatePath: 'pki/etcd/ca.key', publicPath: 'pki/etcd/ca.crt', commonName: 'etcd-ca' },
  { name: 'service-account', type: 'KeyPair', privatePath: 'pki/sa.key', publicPath: 'pki/sa.pub' },
  { name: 'bootstrap-token', type: 'BootstrapToken', privatePath: 'secrets/bootstrap-token' },
];

export const secretKey = (cluster: string, path: string): string => `${cluster}/${path}`;

export function secretEntry(name: SecretName): SecretEntry {
  return SECRETS.find((entry) => entry.name === name)!;
}

/** The store objects of an entry, private first (the private object is the claim: see ensure-secrets.ts). */
export function objectsOf(entry: SecretEntry): string[] {
  return entry.publicPath ? [entry.privatePath, entry.publicPath] : [entry.privatePath];
}
