// The console's "write as Terraform" for a cluster the wizard just described:
// what `create cluster` then `update cluster --target terraform` do from the
// command line. The spec (and the admin SSH key) go to the state store, the
// cluster's secrets are generated there, and the module is written to a
// folder; nothing is created in the cloud, which is only read.
import { createAwsClients } from '../cloud/aws/clients.js';
import { clusterRegion, type CloudAccess } from '../cloud/access.js';
import { storeUnreachableByMachines } from '../bootstrap/store-reach.js';
import type { ClusterBundle } from '../spec/types.js';
import type { ClusterStore } from '../store/cluster-store.js';
import { ConflictError } from '../store/object-store.js';
import { readSshPublicKeyFile } from '../ssh/public-key.js';
import { storeSshPublicKey } from '../ssh/key-store.js';
import { errorMessage } from '../error-message.js';
import { checkOutputFolder, clusterTerraform, writeTerraformFiles } from './cluster-terraform.js';

export interface NewClusterTerraformInput {
  bundle: ClusterBundle;
  store: ClusterStore;
  access: CloudAccess;
  /** The admin SSH public key's path, imported as the cluster's key pair. */
  sshPublicKey?: string;
  outDir: string;
}

export interface NewClusterTerraformResult {
  outDir: string;
  resources: number;
  dataFiles: number;
  storeUrl: string;
  secretsGenerated: string[];
}

/** Refusals before anything is written end with "nothing was written"; later failures say what was. */
export async function writeNewClusterTerraform(input: NewClusterTerraformInput): Promise<NewClusterTerraformResult> {
  const { bundle, store, access, outDir } = input;
  const name = bundle.cluster.metadata.name;
  const unreachable = storeUnreachableByMachines(store.url, access);
  if (unreachable) throw new Error(`${unreachable}; nothing was written`);
  const sshKey = input.sshPublicKey ? readSshPublicKeyFile(input.sshPublicKey) : undefined;
  try {
    checkOutputFolder(outDir);
  } catch (error) {
    throw new Error(`${errorMessage(error)}; nothing was written`);
  }
  try {
    await store.createCluster(bundle.cluster, bundle.instanceGroups);
  } catch (error) {
    if (error instanceof ConflictError) throw new Error(`a cluster named ${name} is already in ${store.url}; nothing was written`);
    throw error;
  }
  const clients = createAwsClients({ region: clusterRegion(bundle.cluster, access), endpoint: access.awsEndpoint, credentials: access.awsCredentials });
  try {
    if (sshKey) await storeSshPublicKey(store.objects, name, sshKey);
    // What the store holds, as `update cluster` reads it.
    const found = await store.getCluster(name);
    if (!found) throw new Error(`the cluster ${name} was written to ${store.url} but cannot be read back`);
    const instanceGroups = (await store.listInstanceGroups(name)).map((entry) => entry.value);
    const result = await clusterTerraform({ cluster: found.value, instanceGroups, clients, store: store.objects, clock: access.clock });
    const written = writeTerraformFiles(outDir, result.files);
    return {
      outDir,
      resources: result.module.resources.length,
      dataFiles: written.written.length - 1,
      storeUrl: store.url,
      secretsGenerated: result.secrets?.generated ?? [],
    };
  } catch (error) {
    throw new Error(`${errorMessage(error)}; the spec of ${name} is in ${store.url}: finish with \`kopsdeck update cluster ${name} --target terraform\``);
  } finally {
    clients.destroy();
  }
}
