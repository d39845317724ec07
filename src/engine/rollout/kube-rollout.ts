// RolloutKube over the engine's Kubernetes client: nodes by instance id (from
// their providerID), the pods of a node with their budgets, cordon, drain.
// Given a node informer (the live cluster's), nodes are read from its cache
// once it has synced, and waits can wake on node changes instead of polling.
import type { Clock } from '../clock.js';
import type { KubeClient } from '../kube/client.js';
import type { Informer } from '../kube/informer.js';
import { excludeFromLoadBalancers, includeInLoadBalancers } from '../kube/node-labels.js';
import { cordonForRollout, drain, uncordon } from '../kube/node-ops.js';
import { hasNeedsUpdateAnnotation } from '../kube/needs-update-annotation.js';
import { isNodeReady } from '../kube/node-readiness.js';
import { describeNodePods } from '../kube/node-pods.js';
import { taintScheduledForUpdate } from '../kube/node-taints.js';
import { instanceIdOf } from '../kube/provider-id.js';
import type { KubeList, KubeNode } from '../kube/types.js';
import type { RolloutKube, RolloutNode } from './deps.js';

export const INSTANCE_GROUP_LABEL = 'kops.k8s.io/instancegroup';

export function kubeRollout(client: KubeClient, clock: Clock, options: { nodes?: Informer<KubeNode> } = {}): RolloutKube {
  const informer = options.nodes;
  let cacheSynced = false;
  void informer?.synced.then(() => (cacheSynced = true));
  return {
    async nodesByInstance() {
      const items = informer && cacheSynced ? [...informer.values()] : (await client.request<KubeList<KubeNode>>('GET', '/api/v1/nodes')).items;
      return byInstance(items);
    },
    ...(informer
      ? {
          onNodesChanged(listener: () => void) {
            return informer.subscribe(() => listener());
          },
        }
      : {}),
    describePods: (nodeName) => describeNodePods(client, nodeName),
    cordon: (nodeName, rolloutId) => cordonForRollout(client, nodeName, rolloutId),
    uncordon: async (nodeName) => void (await uncordon(client, nodeName)),
    excludeFromLoadBalancers: (nodeName) => excludeFromLoadBalancers(client, nodeName),
    includeInLoadBalancers: (nodeName) => includeInLoadBalancers(client, nodeName),
    taintScheduledForUpdate: (nodeName) => taintScheduledForUpdate(client, nodeName),
    drain: (nodeName, options) => drain(client, nodeName, { clock, timeoutMs: options.timeoutMs, onProgress: options.onProgress, signal: options.signal, cordon: false }),
  };
}

const CONTROL_PLANE_LABELS = ['node-role.kubernetes.io/control-plane', 'node-role.kubernetes.io/master'];

function byInstance(items: KubeNode[]): Map<string, RolloutNode> {
  const nodes = new Map<string, RolloutNode>();
  for (const node of items) {
    const instanceId = instanceIdOf(node);
    if (!instanceId) continue;
    nodes.set(instanceId, {
      name: node.metadata.name,
      instanceId,
      // Validation's rule, so a replacement counts as back only when validation would pass it.
      ready: isNodeReady(node),
      unschedulable: node.spec?.unschedulable === true,
      kubeletVersion: node.status?.nodeInfo?.kubeletVersion,
      instanceType: node.metadata.labels?.['node.kubernetes.io/instance-type'],
      instanceGroup: node.metadata.labels?.[INSTANCE_GROUP_LABEL],
      controlPlane: CONTROL_PLANE_LABELS.some((label) => node.metadata.labels?.[label] !== undefined),
      needsUpdateAnnotation: hasNeedsUpdateAnnotation(node),
    });
  }
  return nodes;
}
