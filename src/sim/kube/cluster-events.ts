// What the simulated components say about what they do, worded as the real
// ones word it: kube-scheduler (Scheduled, FailedScheduling, through the
// events.k8s.io recorder), the kubelet (Starting, NodeReady, NodeNotReady,
// NodeSchedulable, NodeNotSchedulable, Pulling, Pulled, Created, Started,
// Killing) and the node lifecycle controller (RegisteredNode, NodeNotReady of
// a node whose kubelet went silent, RemovingNode), both through the legacy
// recorder. Node events follow the Node objects themselves (a cordon made
// through the API is seen like any other change); pod events are told by the
// code that moves the pod.
import type { StoredEvent } from './api-store.js';
import type { ClusterWorld } from './cluster-world.js';
import { EventRecorder } from './event-recorder.js';
import type { EventType, ObjectRef } from './event-objects.js';
import { createSimRandom } from '../random.js';
import { uidFrom } from './names.js';
import { conditionStatus, type KubeObject } from './types.js';

interface ImagePull {
  /** The pod whose start pulls it, and since when; absent once the image is on the node. */
  by?: string;
  since: number;
}

function podRef(pod: KubeObject, container?: string): ObjectRef {
  return {
    kind: 'Pod',
    namespace: pod.metadata.namespace,
    name: pod.metadata.name,
    uid: pod.metadata.uid,
    apiVersion: 'v1',
    resourceVersion: pod.metadata.resourceVersion,
    ...(container ? { fieldPath: `spec.containers{${container}}` } : {}),
  };
}

function containersOf(pod: KubeObject): { name: string; image: string }[] {
  return (pod.spec?.containers as { name: string; image: string }[] | undefined) ?? [];
}

/** Go's time.Duration text for whole milliseconds, as the kubelet prints pull times: 850ms, 2.5s, 1m3.25s. */
export function goDuration(ms: number): string {
  if (ms < 1000) return `${ms}ms`;
  const minutes = Math.floor(ms / 60_000);
  const seconds = ((ms % 60_000) / 1000).toFixed(3).replace(/\.?0+$/, '');
  return minutes > 0 ? `${minutes}m${seconds}s` : `${seconds}s`;
}

/** FNV-1a: a stable number from a text. */
function hashOf(text: string): number {
  let hash = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) hash = Math.imul(hash ^ text.charCodeAt(i), 0x01000193) >>> 0;
  return hash;
}

/** A plausible, stable size for an image (the simulator has no registry). */
function imageSize(image: string): number {
  return 20_000_000 + (hashOf(image) % 60_000_000);
}

export class ClusterEvents {
  readonly recorder: EventRecorder;
  /** Images on each node (pulled, or being pulled by a pod's start). */
  private readonly images = new Map<string, Map<string, ImagePull>>();
  private schedulerInstance: string | undefined;

  constructor(
    private readonly world: ClusterWorld,
    maxEvents?: number,
  ) {
    // Event uids come from a source of their own: recording them must not shift the ids and delays the world draws.
    const random = createSimRandom(hashOf(world.name) ^ world.now());
    this.recorder = new EventRecorder(world.store, world.deps.clock, () => uidFrom(random), maxEvents);
    world.store.subscribe((change) => {
      if (change.resource === 'nodes') this.nodeChanged(change);
    });
  }

  /** kube-scheduler bound the pod. */
  scheduled(pod: KubeObject, nodeName: string): void {
    const note = `Successfully assigned ${pod.metadata.namespace}/${pod.metadata.name} to ${nodeName}`;
    this.recorder.recordSeries(this.scheduler(), 'Binding', { ref: podRef(pod), type: 'Normal', reason: 'Scheduled', message: note });
  }

  /** kube-scheduler found no node for the pod; `message` is its "0/N nodes are available: ..." text. */
  failedScheduling(pod: KubeObject, message: string): void {
    this.recorder.recordSeries(this.scheduler(), 'Scheduling', { ref: podRef(pod), type: 'Warning', reason: 'FailedScheduling', message });
  }

  /** The kubelet starts on a bound pod: images not on the node yet are pulled. */
  podStarting(pod: KubeObject): void {
    const nodeName = pod.spec?.nodeName as string | undefined;
    if (!nodeName) return;
    const images = this.imagesOn(nodeName);
    for (const c of containersOf(pod)) {
      if (images.has(c.image)) continue;
      images.set(c.image, { by: pod.metadata.uid, since: this.world.now() });
      this.kubelet(nodeName, podRef(pod, c.name), 'Normal', 'Pulling', `Pulling image "${c.image}"`);
    }
  }

  /** The kubelet created and started the pod's containers. */
  podStarted(pod: KubeObject): void {
    const nodeName = pod.spec?.nodeName as string | undefined;
    if (!nodeName) return;
    const images = this.imagesOn(nodeName);
    const now = this.world.now();
    for (const c of containersOf(pod)) {
      const ref = podRef(pod, c.name);
      const pull = images.get(c.image);
      if (pull?.by && pull.by === pod.metadata.uid) {
        const took = goDuration(Math.max(1, now - pull.since));
        this.kubelet(nodeName, ref, 'Normal', 'Pulled', `Successfully pulled image "${c.image}" in ${took} (${took} including waiting). Image size: ${imageSize(c.image)} bytes.`);
      } else {
        this.kubelet(nodeName, ref, 'Normal', 'Pulled', `Container image "${c.image}" already present on machine`);
      }
      images.set(c.image, { since: now });
      this.kubelet(nodeName, ref, 'Normal', 'Created', `Created container: ${c.name}`);
      this.kubelet(nodeName, ref, 'Normal', 'Started', `Started container ${c.name}`);
    }
  }

  /** The kubelet stops the containers of a pod being deleted (an eviction, a scale-down). */
  podKilling(pod: KubeObject): void {
    const nodeName = pod.spec?.nodeName as string | undefined;
    if (!nodeName || pod.status?.phase !== 'Running') return;
    for (const c of containersOf(pod)) this.kubelet(nodeName, podRef(pod, c.name), 'Normal', 'Killing', `Stopping container ${c.name}`);
  }

  private nodeChanged(change: StoredEvent): void {
    const before = change.previous;
    const after = change.type === 'DELETED' ? undefined : change.holder.obj;
    const node = (after ?? before)!;
    const name = node.metadata.name;
    // A terminated machine's kubelet says nothing more; the node controller speaks for it.
    const kubeletUp = !this.world.instanceOfNode(name)?.terminated;
    if (!before) {
      this.kubeletNode(name, 'Starting', 'Starting kubelet.');
      this.nodeController(node, 'RegisteredNode', `Node ${name} event: Registered Node ${name} in Controller`);
      return;
    }
    if (!after) {
      this.images.delete(name);
      this.nodeController(node, 'RemovingNode', `Node ${name} event: Removing Node ${name} from Controller`);
      return;
    }
    const ready = conditionStatus(after, 'Ready');
    if (ready !== conditionStatus(before, 'Ready')) {
      const status = ready === 'True' ? 'NodeReady' : 'NodeNotReady';
      if (kubeletUp && ready !== 'Unknown') this.kubeletNode(name, status, `Node ${name} status is now: ${status}`);
      else if (ready !== 'True') this.nodeController(after, 'NodeNotReady', `Node ${name} status is now: NodeNotReady`);
    }
    const cordoned = Boolean(after.spec?.unschedulable);
    if (kubeletUp && cordoned !== Boolean(before.spec?.unschedulable)) {
      const status = cordoned ? 'NodeNotSchedulable' : 'NodeSchedulable';
      this.kubeletNode(name, status, `Node ${name} status is now: ${status}`);
    }
  }

  private kubelet(nodeName: string, ref: ObjectRef, type: EventType, reason: string, message: string): void {
    this.recorder.record({ component: 'kubelet', host: nodeName }, { ref, type, reason, message });
  }

  /** The kubelet's reference to its own Node carries the node's name as uid. */
  private kubeletNode(nodeName: string, reason: string, message: string): void {
    this.kubelet(nodeName, { kind: 'Node', name: nodeName, uid: nodeName }, 'Normal', reason, message);
  }

  private nodeController(node: KubeObject, reason: string, message: string): void {
    const ref: ObjectRef = { kind: 'Node', name: node.metadata.name, uid: node.metadata.uid, apiVersion: 'v1' };
    this.recorder.record({ component: 'node-controller' }, { ref, type: 'Normal', reason, message });
  }

  /** kube-scheduler names its instance after the control-plane host it runs on. */
  private scheduler(): { controller: string; instance: string } {
    if (!this.schedulerInstance) {
      for (const node of this.world.store.values('nodes')) {
        if (this.world.isControlPlane(node)) {
          this.schedulerInstance = `default-scheduler-${node.metadata.name.split('.')[0]}`;
          break;
        }
      }
    }
    return { controller: 'default-scheduler', instance: this.schedulerInstance ?? 'default-scheduler' };
  }

  private imagesOn(nodeName: string): Map<string, ImagePull> {
    let images = this.images.get(nodeName);
    if (!images) this.images.set(nodeName, (images = new Map()));
    return images;
  }
}
