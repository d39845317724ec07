// A read-then-write on an object others change too (a Node: its status,
// labels, taints) sends the resourceVersion it read, so a change made
// meanwhile is refused (409) instead of overwritten; then it is read again.
import { KubeApiError } from './client.js';

/** Node objects change often; a few conflicts in a row are normal. */
const CONFLICT_ATTEMPTS = 5;

/** Runs `readThenWrite` again while it is refused as changed meanwhile, up to a few times. */
export async function retryOnConflict<T>(readThenWrite: () => Promise<T>): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await readThenWrite();
    } catch (error) {
      if (!(error instanceof KubeApiError && error.status === 409) || attempt >= CONFLICT_ATTEMPTS) throw error;
    }
  }
}
