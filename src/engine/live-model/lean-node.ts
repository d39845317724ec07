// What the node cache keeps of each node: the node minus what no view reads
// (managedFields, the kubelet's image list, which on a real node is most of its
// bytes), with the strings that repeat across thousands of nodes (label keys
// and values, condition reasons and messages, node info, capacities) shared.
import { intern, internLabels } from '../kube/lean-pod.js';
import type { KubeNode, NodeCondition } from '../kube/types.js';

interface WireNode extends KubeNode {
  metadata: KubeNode['metadata'] & { managedFields?: unknown };
  status?: NonNullable<KubeNode['status']> & {
    images?: unknown;
    capacity?: Record<string, string>;
    allocatable?: Record<string, string>;
    nodeInfo?: Record<string, string>;
  };
}

/** What leanNode drops that a list can leave unparsed (ListStreamOptions.dropFields). */
export const NODE_FIELDS_NOT_KEPT = ['metadata.managedFields', 'status.images'] as const;

export function leanNode(node: KubeNode): KubeNode {
  const wire = node as WireNode;
  const { managedFields: _managed, ...metadata } = wire.metadata;
  metadata.labels = internLabels(metadata.labels);
  metadata.annotations = internLabels(metadata.annotations);
  const lean: WireNode = { ...wire, metadata };
  if (wire.status) {
    const { images: _images, ...status } = wire.status;
    if (status.conditions) status.conditions = status.conditions.map(internCondition);
    if (status.capacity) status.capacity = internLabels(status.capacity);
    if (status.allocatable) status.allocatable = internLabels(status.allocatable);
    if (status.nodeInfo) status.nodeInfo = internLabels(status.nodeInfo);
    lean.status = status;
  }
  return lean;
}

function internCondition(condition: NodeCondition): NodeCondition {
  const out: NodeCondition & Record<string, unknown> = { ...condition, type: intern(condition.type), status: intern(condition.status) };
  if (condition.reason !== undefined) out.reason = intern(condition.reason);
  if (condition.message !== undefined) out.message = intern(condition.message);
  return out;
}
