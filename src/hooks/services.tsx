// What the console reaches the world through. Start-up code (cli.tsx) builds a
// Services value once; screens and hooks read it with useServices(). Later issues
// add fields (kube watchers, the rollout engine, the cluster creator) as optional
// members so existing call sites keep compiling.
import { createContext, useContext, type ReactNode } from 'react';
import type { ClusterStore } from '../engine/store/cluster-store.js';
import type { CloudAccess } from '../engine/cloud/access.js';

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
}

const ServicesContext = createContext<Services | null>(null);

export function ServicesProvider({ value, children }: { value: Services; children?: ReactNode }) {
  return <ServicesContext.Provider value={value}>{children}</ServicesContext.Provider>;
}

export function useServices(): Services {
  const services = useContext(ServicesContext);
  if (!services) throw new Error('useServices() called outside <ServicesProvider>');
  return services;
}
