// Guided cluster creation without a UI: the wizard's answers and steps, their
// checks, the spec and command line they stand for, and the create-and-watch flow.
export * from './answers.js';
export * from './field-checks.js';
export * from './steps.js';
export * from './to-options.js';
export * from './command-line.js';
export * from './cloud-lookups.js';
export * from './create-flow.js';
export * from './watch-cluster.js';
export * from './completions.js';
export * from './high-availability.js';
