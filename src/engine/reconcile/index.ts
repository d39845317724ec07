// The reconcile engine's public surface.
export { planCluster, applyCluster, applyClusterPlan, type ClusterInput, type ClusterPlan, type ApplyClusterInput, type ApplyClusterResult } from './cluster.js';
export { planDelete, deleteCluster, type DeletePlan, type OwnedResource, type DeleteOptions } from './delete.js';
export { buildPlan, hasChanges, planToJson, orderByDependencies, type Plan, type PlannedTask } from './plan.js';
export { renderPlan, renderResourceTable, summarizePlan } from './render-plan.js';
export { applyPlan, type ApplyEvent, type ApplyOptions, type ApplyResult, type TaskRef } from './apply-plan.js';
export { ReconcileSpecError, buildClusterTasks } from './model.js';
export type { Task, TaskKind, FieldChange, ReconcileContext, DeletionTask } from './task.js';
