// The Kubernetes client library's KubeConfig, alone: imported on first use by
// client.ts. A module of its own so that the bundle, which keeps every export
// of a module imported with import(), keeps only this one of the library's.
export { KubeConfig } from '@kubernetes/client-node';
