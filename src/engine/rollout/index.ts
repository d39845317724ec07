// The rollout engine's public surface.
export { startRollout, planRollout, type RolloutOptions, type RolloutRun } from './run-rollout.js';
export { buildRolloutPlan, renderPlanTable, describePlan, formatDuration, planHasWork, updateReason, type PlanInput } from './plan.js';
export { resolveSettings, parseIntOrPercent, settingsProblem } from './settings.js';
export { makeWaves, orderGroups, prioritizeInstances, kindOfRole, type Wave } from './ordering.js';
export { RolloutJournal, readJournal, replayJournal, stepsFor, nextStep, journalKey, type JournalEntry, type JournalDocument, type InstanceProgress, type RolloutRequest } from './journal.js';
export { acquireLock, readLock, isStale, holderIsGone, lockHolderName, lockKey, RolloutLockedError, DEFAULT_STALE_AFTER_MS, type LockBody } from './lock.js';
export { nextOtherRun, processJudge, journalOfRun, describeHolder, type OtherRun, type StopCause, type Sighting, type HolderJudge } from './other-run.js';
export { foldJournal, watchedCounts, type WatchedRollout, type WatchedInstance, type FoldOptions } from './journal-watch.js';
export { reduceRollout, initialRolloutView, personWaitOf, personWaitedMs, type RolloutView, type InstanceView, type PersonWait } from './rollout-state.js';
export { upgradeCluster, checkUpgrade, proposedUpgrade, UpgradeRefusedError } from './upgrade.js';
export { connectRollout, type ConnectedRollout } from './connect.js';
export { awsRolloutCloud, TAG_DETACHED } from './aws-rollout-cloud.js';
export { kubeRollout } from './kube-rollout.js';
export { ValidationTimeoutError } from './waits.js';
export { noDrainSentence } from './confirm-phase.js';
export type { RolloutDeps, RolloutCloud, RolloutKube, RolloutCloudGroup, RolloutInstance, RolloutNode, Validator } from './deps.js';
export * from './types.js';
