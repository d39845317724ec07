// The EC2 instance behind a node, from its spec.providerID as the AWS cloud
// provider writes it (aws:///us-east-1a/i-0abc). The one reading of it, so
// the console, validation and the rollout join nodes to the same instances.
import type { KubeNode } from './types.js';

/** `aws:///us-east-1a/i-0abc` -> `i-0abc`; undefined when the node names no EC2 instance. */
export function instanceIdOf(node: KubeNode): string | undefined {
  const providerId = node.spec?.providerID ?? '';
  const last = providerId.slice(providerId.lastIndexOf('/') + 1);
  return last.startsWith('i-') ? last : undefined;
}
