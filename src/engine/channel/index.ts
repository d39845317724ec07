// Channels in kops' format: versions and images come from data, not code.
export * from './channel.js';
export * from './semver.js';
export * from './version-range.js';
export * from './lookups.js';
export * from './architecture.js';
export * from './load-channel.js';
