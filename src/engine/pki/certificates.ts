// Certificates as kubeadm makes them: self-signed CAs valid ten years, and
// leaf certificates signed by a CA for a client or a server. kubeadm's CA key
// usages are digitalSignature, keyEncipherment and keyCertSign; cRLSign is
// added, as RFC 5280 expects of a CA (nothing here issues CRLs yet).
import { createHash, createPublicKey, randomBytes, X509Certificate } from 'node:crypto';
import { x509 } from './x509.js';
import { RSA_SHA256, generateKeyPair, privateKeyPem } from './keys.js';

const DAY_MS = 24 * 3600_000;
/** kubeadm's CACertificateValidityPeriod. */
export const CA_VALIDITY_MS = 10 * 365 * DAY_MS;
/** Leaf certificates start a little in the past, so a client whose clock is behind can use them at once. */
const BACKDATE_MS = 5 * 60_000;

const { KeyUsageFlags: Usage } = x509;

export interface SubjectName {
  commonName: string;
  organizations?: string[];
}

/** A CA: its certificate (PEM) and its key pair. */
export interface CertificateAuthority {
  certPem: string;
  keys: CryptoKeyPair;
}

export async function createCaCertificate(keys: CryptoKeyPair, commonName: string, now: Date, validityMs = CA_VALIDITY_MS): Promise<string> {
  const cert = await x509.X509CertificateGenerator.createSelfSigned({
    serialNumber: randomSerial(),
    name: distinguishedName({ commonName }),
    notBefore: now,
    notAfter: new Date(now.getTime() + validityMs),
    keys,
    signingAlgorithm: RSA_SHA256,
    extensions: [
      new x509.KeyUsagesExtension(Usage.digitalSignature | Usage.keyEncipherment | Usage.keyCertSign | Usage.cRLSign, true),
      new x509.BasicConstraintsExtension(true, undefined, true),
      await x509.SubjectKeyIdentifierExtension.create(keys.publicKey),
    ],
  });
  return cert.toString('pem') + '\n';
}

export interface IssueRequest {
  ca: CertificateAuthority;
  subject: SubjectName;
  usage: 'client' | 'server';
  notAfter: Date;
  now: Date;
  /** For server certificates. */
  dnsNames?: string[];
  ipAddresses?: string[];
}

export interface IssuedCertificate {
  certPem: string;
  privateKeyPem: string;
}

/** A fresh key pair and a certificate for it, signed by the CA. */
export async function issueCertificate(request: IssueRequest): Promise<IssuedCertificate> {
  const keys = await generateKeyPair();
  const ca = new x509.X509Certificate(request.ca.certPem);
  const altNames = [
    ...(request.dnsNames ?? []).map((value) => ({ type: 'dns' as const, value })),
    ...(request.ipAddresses ?? []).map((value) => ({ type: 'ip' as const, value })),
  ];
  const cert = await x509.X509CertificateGenerator.create({
    serialNumber: randomSerial(),
    subject: distinguishedName(request.subject),
    issuer: ca.subject,
    notBefore: new Date(request.now.getTime() - BACKDATE_MS),
    notAfter: request.notAfter,
    publicKey: keys.publicKey,
    signingKey: request.ca.keys.privateKey,
    signingAlgorithm: RSA_SHA256,
    extensions: [
      new x509.KeyUsagesExtension(Usage.digitalSignature | Usage.keyEncipherment, true),
      new x509.ExtendedKeyUsageExtension([request.usage === 'client' ? x509.ExtendedKeyUsage.clientAuth : x509.ExtendedKeyUsage.serverAuth]),
      new x509.BasicConstraintsExtension(false, undefined, true),
      await x509.AuthorityKeyIdentifierExtension.create(request.ca.keys.publicKey),
      ...(altNames.length ? [new x509.SubjectAlternativeNameExtension(altNames)] : []),
    ],
  });
  return { certPem: cert.toString('pem') + '\n', privateKeyPem: await privateKeyPem(keys.privateKey) };
}

/**
 * What `kubeadm join --discovery-token-ca-cert-hash` takes: sha256 of the CA
 * certificate's DER SubjectPublicKeyInfo, as `sha256:<hex>`.
 */
export function caCertHash(certPem: string): string {
  const spki = createPublicKey(certPem).export({ type: 'spki', format: 'der' });
  return `sha256:${createHash('sha256').update(spki).digest('hex')}`;
}

/** When a stored certificate stops being valid. */
export function certificateExpiry(certPem: string): Date {
  return new Date(new X509Certificate(certPem).validTo);
}

/** Go's pkix order (O before CN), so certificates read as kubeadm's do. */
function distinguishedName(name: SubjectName): x509.JsonName {
  return [...(name.organizations ?? []).map((o) => ({ O: [o] })), { CN: [name.commonName] }];
}

/** 128 random bits, positive (top bit clear) and never zero, as RFC 5280 asks. */
function randomSerial(): string {
  const bytes = randomBytes(16);
  bytes[0] = (bytes[0] & 0x7f) | 0x01;
  return bytes.toString('hex');
}
