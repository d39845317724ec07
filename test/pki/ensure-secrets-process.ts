// One process of the concurrency test: ensures the secrets of a cluster in a
// file:// store, then signs an admin certificate with the CA it finds there,
// and prints what it did (names and the public certificate only) as JSON.
import { FileObjectStore } from '../../src/engine/store/file-store.js';
import { ensureSecrets, issueAdminCredentials } from '../../src/engine/pki/index.js';

const [dir, cluster] = process.argv.slice(2);
const store = new FileObjectStore(dir);
const made = await ensureSecrets(store, cluster);
const admin = await issueAdminCredentials(store, cluster, { localUser: `process-${process.pid}`, lifetimeMs: 3600_000 });
process.stdout.write(JSON.stringify({ generated: made.generated, adminCert: admin.certPem }));
