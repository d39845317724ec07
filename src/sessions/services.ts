// What the console reaches the world through. Start-up code builds a Services
// value once; sessions take it as an argument and screens read it with
// useServices() (hooks/services.tsx). It lives here, with no React, so that
// the UI-free sessions can name it.
import type { ClusterStore } from '../engine/store/cluster-store.js';
import type { CloudAccess } from '../engine/cloud/access.js';
import type { OpenRehearsalWorld } from '../engine/rehearse/run-rehearsal.js';

export interface Services {
  store: ClusterStore;
  /** The state store URL shown in the header, e.g. file:///home/me/.local/share/kopsdeck/state */
  storeUrl: string;
  /** The cloud provider, 'aws' for now. */
  cloud: string;
  /** True when the cloud and Kubernetes endpoints are the embedded simulator. */
  simulated: boolean;
  region?: string;
  /** How to reach the cloud and the clusters' Kubernetes APIs (endpoints, credentials, clock, kubeconfig). */
  access?: CloudAccess;
  /** Starts a private simulator for a rehearsal (start-up code provides it; absent: no rehearsals). */
  openRehearsalWorld?: OpenRehearsalWorld;
}
