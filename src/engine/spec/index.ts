// The spec package in one import: resources, parsing, defaults, validation.
export * from './types.js';
export * from './spec-error.js';
export * from './parse.js';
export * from './defaults.js';
export * from './set-path.js';
export * from './check-cluster-spec.js';
export * from './validate-instance-group.js';
export * from './versions.js';
export * from './kubernetes-version.js';
export * from './regions.js';
export { clusterNameProblem, instanceGroupNameProblem } from './names.js';
export { parseCidr, cidrContains, cidrsOverlap, formatCidr, type Cidr } from './cidr.js';
