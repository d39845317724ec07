// The plan of `update cluster -o json` as a stable document for pipelines
// (README "In pipelines" lists its fields). formatVersion changes only when a
// field is removed or changes meaning; new fields may be added within a version.
import type { ClusterOwnership } from '../ownership/types.js';
import type { FieldChange } from './task.js';
import { planToJson, type Plan } from './plan.js';

export const PLAN_FORMAT_VERSION = 1;

export interface PlanJsonChange {
  action: 'create' | 'modify';
  kind: string;
  name: string;
  /** The cloud id of the resource when it exists already (modify); null for a create. */
  id: string | null;
  /** create: the fields the new resource will have (as the text preview shows them); modify: {}. */
  fields: Record<string, string>;
  /** modify: each field that differs, old -> new; create: []. */
  changes: FieldChange[];
}

export interface PlanJsonDeletion {
  key: string;
  kind: string;
  name: string;
  id: string;
}

export interface PlanJson {
  formatVersion: number;
  cluster: string;
  /** True exactly when `update cluster` without --yes exits with EXIT_CHANGES_PENDING (4). */
  changesPending: boolean;
  summary: { create: number; modify: number; delete: number; unchanged: number; leftAlone: number; secretsToGenerate: number };
  /** Creates and modifies by task key (`<kind>/<name>`), in the order they are applied. */
  changes: Record<string, PlanJsonChange>;
  /** Owned resources the spec no longer wants, in the order they are deleted. */
  deletions: PlanJsonDeletion[];
  /** What kopsdeck will not touch because it does not own it, and why. */
  leftAlone: { kind: string; name: string; reason: string }[];
  secrets: { toGenerate: string[] };
  ownership: ClusterOwnership;
  /** The earlier per-kind lists (creates, modifies, deletes, unchanged), kept for existing readers. */
  plan: ReturnType<typeof planToJson>;
}

export interface PlanJsonInput {
  plan: Plan;
  ownership: ClusterOwnership;
  secretsToGenerate: string[];
  /** Whether --yes would change anything (false for a cluster kopsdeck does not manage). */
  changesPending: boolean;
}

export function planJson({ plan, ownership, secretsToGenerate, changesPending }: PlanJsonInput): PlanJson {
  const changes: Record<string, PlanJsonChange> = {};
  for (const p of plan.tasks) {
    if (p.action === 'unchanged') continue;
    changes[p.task.key] = {
      action: p.action,
      kind: p.task.kind,
      name: p.task.name,
      id: p.id ?? null,
      fields: p.action === 'create' ? p.task.describe(p.desired) : {},
      changes: p.action === 'modify' ? p.changes : [],
    };
  }
  return {
    formatVersion: PLAN_FORMAT_VERSION,
    cluster: plan.clusterName,
    changesPending,
    summary: {
      create: plan.creates.length,
      modify: plan.modifies.length,
      delete: plan.deletes.length,
      unchanged: plan.unchanged.length,
      leftAlone: plan.leftAlone.length,
      secretsToGenerate: secretsToGenerate.length,
    },
    changes,
    deletions: plan.deletes.map((d) => ({ key: d.key, kind: d.kind, name: d.name, id: d.id })),
    leftAlone: plan.leftAlone.map((l) => ({ kind: l.kind, name: l.name, reason: l.reason })),
    secrets: { toGenerate: secretsToGenerate },
    ownership,
    plan: planToJson(plan),
  };
}
