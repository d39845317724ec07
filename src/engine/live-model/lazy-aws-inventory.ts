// A CloudInventory that loads the AWS SDK on its first call. Compiling the SDK
// holds the event loop for about 250 ms; loaded this way, it happens while the
// Kubernetes API server is answering requests that were sent before it, not
// before they are sent.
import type { AwsClients } from '../cloud/aws/clients.js';
import type { CloudAccess } from '../cloud/access.js';
import type { CloudInventory } from './types.js';

export interface LazyAwsInventoryOptions {
  /** Wall ms to wait before loading (the console lets a frame out first). */
  delayMs?: number;
  /** Told the clients once made; whoever takes them destroys them. Without it, destroy() does. */
  onClients?: (clients: AwsClients) => void;
}

export interface LazyAwsInventory extends CloudInventory {
  /** Destroys the clients, now or when they are made (only without onClients). */
  destroy(): void;
}

export function lazyAwsInventory(access: CloudAccess, region: string, options: LazyAwsInventoryOptions = {}): LazyAwsInventory {
  let inventory: Promise<CloudInventory> | undefined;
  let clients: AwsClients | undefined;
  let destroyed = false;
  const load = async (): Promise<CloudInventory> => {
    if (options.delayMs) await new Promise((resolve) => setTimeout(resolve, options.delayMs));
    const [{ awsClientsFor }, { awsCloudInventory }] = await Promise.all([import('../cloud/aws/clients.js'), import('./aws-inventory.js')]);
    const made = awsClientsFor(access, region);
    if (options.onClients) options.onClients(made);
    else if (destroyed) made.destroy();
    else clients = made;
    return awsCloudInventory(made);
  };
  return {
    listInstanceGroups: async (cluster, signal) => (await (inventory ??= load())).listInstanceGroups(cluster, signal),
    destroy() {
      destroyed = true;
      clients?.destroy();
      clients = undefined;
    },
  };
}
