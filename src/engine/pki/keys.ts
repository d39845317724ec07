// Key pairs as kubeadm makes them: RSA 2048 (kubeadm's default
// encryptionAlgorithm), private keys written PKCS#1 ("RSA PRIVATE KEY", as
// kubeadm writes ca.key and sa.key), public keys as PKIX ("PUBLIC KEY", sa.pub).
import { createPrivateKey, createPublicKey } from 'node:crypto';
import { subtle } from './x509.js';

/** The signature algorithm of every key kopsdeck makes: RSA PKCS#1 v1.5 with SHA-256. */
export const RSA_SHA256: RsaHashedKeyGenParams = {
  name: 'RSASSA-PKCS1-v1_5',
  hash: 'SHA-256',
  modulusLength: 2048,
  publicExponent: new Uint8Array([1, 0, 1]),
};

export async function generateKeyPair(): Promise<CryptoKeyPair> {
  return subtle.generateKey(RSA_SHA256, true, ['sign', 'verify']);
}

export async function privateKeyPem(key: CryptoKey): Promise<string> {
  const pkcs8 = Buffer.from(await subtle.exportKey('pkcs8', key));
  return createPrivateKey({ key: pkcs8, format: 'der', type: 'pkcs8' }).export({ type: 'pkcs1', format: 'pem' }).toString();
}

export function publicKeyPemOf(privatePem: string): string {
  return createPublicKey(privatePem).export({ type: 'spki', format: 'pem' }).toString();
}

/** A stored private key (PKCS#1 or PKCS#8 PEM) back as a WebCrypto pair for signing. */
export async function importKeyPair(privatePem: string): Promise<CryptoKeyPair> {
  const key = createPrivateKey(privatePem);
  const pkcs8 = key.export({ type: 'pkcs8', format: 'der' });
  const spki = createPublicKey(key).export({ type: 'spki', format: 'der' });
  const [privateKey, publicKey] = await Promise.all([
    subtle.importKey('pkcs8', pkcs8, RSA_SHA256, true, ['sign']),
    subtle.importKey('spki', spki, RSA_SHA256, true, ['verify']),
  ]);
  return { privateKey, publicKey };
}

/** True when the public key (PEM, or a certificate's) belongs to the private key. */
export function keysMatch(privatePem: string, publicPemOrCert: string): boolean {
  const fromPrivate = createPublicKey(privatePem).export({ type: 'spki', format: 'der' });
  const other = createPublicKey(publicPemOrCert).export({ type: 'spki', format: 'der' });
  return Buffer.compare(fromPrivate, other) === 0;
}
