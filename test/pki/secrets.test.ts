// The cluster's secrets as ensureSecrets writes them to a file:// store: kubeadm's
// layout, key types and usages, owner-only files, each written once; checked
// with openssl where it is installed.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash, createPrivateKey, X509Certificate } from 'node:crypto';
import { readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { FileObjectStore } from '../../src/engine/store/file-store.js';
import { caCertHash, ensureSecrets, issueAdminCredentials, parseBootstrapToken, planSecrets, SECRETS, TOKEN_PATTERN } from '../../src/engine/pki/index.js';
import { OPENSSL_MISSING, openssl, opensslBytes, opensslStatus } from './openssl.js';
import { tempDir } from '../helpers/temp-dir.js';

const NAME = 'pki.example.com';
const ALL = ['ca', 'front-proxy-ca', 'etcd-ca', 'service-account', 'bootstrap-token'];
const FILES = ['pki/ca.crt', 'pki/ca.key', 'pki/front-proxy-ca.crt', 'pki/front-proxy-ca.key', 'pki/etcd/ca.crt', 'pki/etcd/ca.key', 'pki/sa.key', 'pki/sa.pub', 'secrets/bootstrap-token'];
const YEAR_MS = 365 * 24 * 3600_000;

async function freshSecrets() {
  const dir = tempDir('kopsdeck-pki-');
  const store = new FileObjectStore(dir);
  const before = Date.now();
  const made = await ensureSecrets(store, NAME);
  const after = Date.now();
  const path = (file: string) => join(dir, NAME, ...file.split('/'));
  return { dir, store, made, before, after, path, read: (file: string) => readFileSync(path(file), 'utf8') };
}

test('the plan lists every secret as missing and writes nothing; ensureSecrets writes them all once, owner-only', async () => {
  const dir = tempDir('kopsdeck-pki-plan-');
  const empty = new FileObjectStore(dir);
  assert.deepEqual((await planSecrets(empty, NAME)).missing, ALL);
  assert.deepEqual(await empty.list(''), [], 'planning wrote nothing');

  const s = await freshSecrets();
  assert.deepEqual(s.made.generated, ALL);
  assert.deepEqual(await s.store.list(`${NAME}/`), FILES.map((f) => `${NAME}/${f}`).sort());
  for (const file of FILES) assert.equal(statSync(s.path(file)).mode & 0o777, 0o600, `${file} is 0600`);
  for (const dir of ['pki', 'pki/etcd', 'secrets']) assert.equal(statSync(s.path(dir)).mode & 0o777, 0o700, `${dir}/ is 0700`);
  for (const key of ['pki/ca.key', 'pki/front-proxy-ca.key', 'pki/etcd/ca.key', 'pki/sa.key']) {
    assert.match(s.read(key), /^-----BEGIN RSA PRIVATE KEY-----\n/, `${key} is PKCS#1, as kubeadm writes it`);
  }
  assert.match(s.read('pki/sa.pub'), /^-----BEGIN PUBLIC KEY-----\n/);
  assert.deepEqual((await planSecrets(s.store, NAME)).missing, []);

  const bodies = FILES.map(s.read);
  const again = await ensureSecrets(s.store, NAME);
  assert.deepEqual(again, { generated: [], existing: ALL });
  assert.deepEqual(FILES.map(s.read), bodies, 'a second run changes nothing');
});

test("the bootstrap token has kubeadm's format, groups and a 24h expiry", async () => {
  const s = await freshSecrets();
  const token = parseBootstrapToken(s.read('secrets/bootstrap-token'), 'test');
  assert.match(token.token, TOKEN_PATTERN);
  assert.match(token.token, /^[a-z0-9]{6}\.[a-z0-9]{16}$/);
  const expires = Date.parse(token.expires);
  assert.ok(expires >= s.before + 24 * 3600_000 && expires <= s.after + 24 * 3600_000, token.expires);
  assert.deepEqual(token.usages, ['signing', 'authentication']);
  assert.deepEqual(token.groups, ['system:bootstrappers:kubeadm:default-node-token']);
});

test('each CA is self-signed, RSA 2048, CA:TRUE with the key usages of a CA, valid ten years, and matches its key', { skip: OPENSSL_MISSING }, async () => {
  const s = await freshSecrets();
  const cas: [string, string, string][] = [
    ['pki/ca.crt', 'pki/ca.key', 'kubernetes'],
    ['pki/front-proxy-ca.crt', 'pki/front-proxy-ca.key', 'front-proxy-ca'],
    ['pki/etcd/ca.crt', 'pki/etcd/ca.key', 'etcd-ca'],
  ];
  for (const [cert, key, cn] of cas) {
    const text = openssl(['x509', '-noout', '-text', '-in', s.path(cert)]);
    assert.match(text, new RegExp(`Subject: CN = ${cn}\\n`), cert);
    assert.match(text, new RegExp(`Issuer: CN = ${cn}\\n`), `${cert} is self-signed`);
    assert.match(text, /Public-Key: \(2048 bit\)/);
    assert.match(text, /Signature Algorithm: sha256WithRSAEncryption/);
    assert.match(text, /X509v3 Basic Constraints: critical\n\s+CA:TRUE\n/);
    assert.match(text, /X509v3 Key Usage: critical\n\s+Digital Signature, Key Encipherment, Certificate Sign, CRL Sign\n/);
    assert.match(text, /X509v3 Subject Key Identifier/);
    assert.match(openssl(['verify', '-CAfile', s.path(cert), s.path(cert)]), /: OK\n/);
    assert.equal(openssl(['x509', '-noout', '-pubkey', '-in', s.path(cert)]), openssl(['pkey', '-pubout', '-in', s.path(key)]), `${cert} belongs to ${key}`);
    const x = new X509Certificate(s.read(cert));
    const validity = Date.parse(x.validTo) - Date.parse(x.validFrom);
    assert.ok(Math.abs(validity - 10 * YEAR_MS) < 2000, `${cert} is valid ten years (${x.validFrom} - ${x.validTo})`);
  }
  const [ca, frontProxy, etcd] = cas.map(([cert]) => s.read(cert));
  assert.ok(ca !== frontProxy && ca !== etcd && frontProxy !== etcd, 'three distinct CAs');
  assert.equal(s.read('pki/sa.pub'), openssl(['pkey', '-pubout', '-in', s.path('pki/sa.key')]), 'sa.pub is the public half of sa.key');
  assert.match(openssl(['rsa', '-check', '-noout', '-in', s.path('pki/sa.key')]), /RSA key ok/);
});

test("the CA hash is kubeadm's discovery hash: sha256 of the certificate's public key info", { skip: OPENSSL_MISSING }, async () => {
  const s = await freshSecrets();
  const spki = openssl(['x509', '-noout', '-pubkey', '-in', s.path('pki/ca.crt')]);
  const der = opensslBytes(['pkey', '-pubin', '-outform', 'der'], spki);
  assert.equal(caCertHash(s.read('pki/ca.crt')), `sha256:${createHash('sha256').update(der).digest('hex')}`);
});

test("an admin certificate chains to the cluster CA, is a client certificate in kubeadm's admin group and expires when asked", { skip: OPENSSL_MISSING }, async () => {
  const s = await freshSecrets();
  const now = new Date();
  const admin = await issueAdminCredentials(s.store, NAME, { localUser: 'tester', lifetimeMs: 2 * 3600_000, now });
  const certFile = join(s.dir, 'admin.crt');
  writeFileSync(certFile, admin.certPem, { mode: 0o600 });
  assert.match(openssl(['verify', '-CAfile', s.path('pki/ca.crt'), '-purpose', 'sslclient', certFile]), /admin\.crt: OK\n/);
  const wrongCa = opensslStatus(['verify', '-CAfile', s.path('pki/front-proxy-ca.crt'), '-purpose', 'sslclient', certFile]);
  assert.notEqual(wrongCa.status, 0, 'another CA does not vouch for it');
  const serverUse = opensslStatus(['verify', '-CAfile', s.path('pki/ca.crt'), '-purpose', 'sslserver', certFile]);
  assert.notEqual(serverUse.status, 0, 'it cannot serve TLS');
  const text = openssl(['x509', '-noout', '-text', '-in', certFile]);
  assert.match(text, /Subject: O = kubeadm:cluster-admins, CN = kubecfg-tester\n/);
  assert.match(text, /Issuer: CN = kubernetes\n/);
  assert.match(text, /X509v3 Extended Key Usage: \n\s+TLS Web Client Authentication\n/);
  assert.match(text, /CA:FALSE/);
  assert.match(text, /X509v3 Authority Key Identifier/);
  const notAfter = Date.parse(new X509Certificate(admin.certPem).validTo);
  assert.ok(Math.abs(notAfter - (now.getTime() + 2 * 3600_000)) < 1000, new X509Certificate(admin.certPem).validTo);
  assert.equal(admin.notAfter.getTime(), now.getTime() + 2 * 3600_000);
  assert.equal(admin.caPem, s.read('pki/ca.crt'));
  assert.equal(openssl(['x509', '-noout', '-pubkey', '-in', certFile]), openssl(['pkey', '-pubout'], admin.privateKeyPem));
});

test('a run stopped between a key and its certificate is finished from the stored key', async () => {
  const s = await freshSecrets();
  const key = s.read('pki/etcd/ca.key');
  await s.store.delete(`${NAME}/pki/etcd/ca.crt`);
  await s.store.delete(`${NAME}/pki/sa.pub`);
  assert.deepEqual((await planSecrets(s.store, NAME)).missing, ['etcd-ca', 'service-account']);
  const made = await ensureSecrets(s.store, NAME);
  assert.deepEqual(made.generated, ['etcd-ca', 'service-account']);
  assert.equal(s.read('pki/etcd/ca.key'), key, 'the key stays');
  assert.ok(new X509Certificate(s.read('pki/etcd/ca.crt')).checkPrivateKey(createPrivateKey(key)));
});

test('a certificate that does not belong to the key beside it is refused, not overwritten', async () => {
  const s = await freshSecrets();
  const frontProxy = s.read('pki/front-proxy-ca.crt');
  await s.store.delete(`${NAME}/pki/ca.crt`);
  await s.store.put(`${NAME}/pki/ca.crt`, frontProxy);
  await assert.rejects(ensureSecrets(s.store, NAME), /pki\/ca\.crt does not belong to the key pki\.example\.com\/pki\/ca\.key/);
  assert.equal(s.read('pki/ca.crt'), frontProxy);
});

test('the catalogue names every object once', () => {
  const paths = SECRETS.flatMap((e) => [e.privatePath, ...(e.publicPath ? [e.publicPath] : [])]);
  assert.deepEqual([...paths].sort(), [...FILES].sort());
});
