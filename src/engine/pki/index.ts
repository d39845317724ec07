// The cluster's secrets: CAs, service-account keys and the bootstrap token,
// generated on the user's machine and kept in the state store.
export { ensureSecrets, planSecrets, type EnsureSecretsResult, type SecretsPlan } from './ensure-secrets.js';
export { listSecrets, loadClusterCa, readCaCertHash, rotateBootstrapToken, type SecretSummary } from './read-secrets.js';
export { issueCertificate, caCertHash, certificateExpiry, type CertificateAuthority, type IssuedCertificate } from './certificates.js';
export { SECRETS, secretKey, secretEntry, type SecretName, type SecretType } from './layout.js';
export { DEFAULT_TOKEN_TTL_MS, TOKEN_PATTERN, parseBootstrapToken, type BootstrapToken } from './bootstrap-token.js';
export { issueAdminCredentials, NoClusterCaError, ADMIN_GROUP, DEFAULT_ADMIN_LIFETIME_MS, type AdminCredentials } from './admin-credentials.js';
