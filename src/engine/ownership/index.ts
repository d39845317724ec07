// Ownership: who manages a cluster and each of its resources.
export * from './types.js';
export * from './bootstrap-kind.js';
export * from './evidence.js';
export * from './decide.js';
export * from './resources.js';
export * from './detect.js';
