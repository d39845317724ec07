// A plan is data: for every task, whether it must be created, modified (and
// which fields, old -> new) or is already as wanted; plus the owned resources
// the spec no longer wants. Nothing here calls AWS: find() reads the
// discovery snapshot held by the context.
import type { DeletionTask, FieldChange, ReconcileContext, Task, TaskKind } from './task.js';
import type { LeftAlone } from '../ownership/types.js';

export type PlannedAction = 'create' | 'modify' | 'unchanged';

export interface PlannedTask {
  task: Task;
  action: PlannedAction;
  desired: unknown;
  actual: unknown | null;
  changes: FieldChange[];
  /** Cloud id when the resource exists already. */
  id?: string;
}

export interface Plan {
  clusterName: string;
  /** Every task, dependencies before dependants. */
  tasks: PlannedTask[];
  creates: PlannedTask[];
  modifies: PlannedTask[];
  unchanged: PlannedTask[];
  deletes: DeletionTask[];
  /** Changes and deletions the plan does not make because kopsdeck does not own the resource. */
  leftAlone: LeftAlone[];
  /** Ids found during planning, by task key. */
  ids: Map<string, string>;
}

export function hasChanges(plan: Plan): boolean {
  return plan.creates.length + plan.modifies.length + plan.deletes.length > 0;
}

export function buildPlan(tasks: Task[], ctx: ReconcileContext, deletes: DeletionTask[] = []): Plan {
  const ordered = orderByDependencies(tasks);
  const planned: PlannedTask[] = [];
  for (const task of ordered) {
    const actual = task.find(ctx);
    if (actual !== null) ctx.ids.set(task.key, task.idOf(actual));
    // Desired after find: a dependency's id is known if it exists already.
    const desired = task.desired(ctx);
    if (actual === null) {
      planned.push({ task, action: 'create', desired, actual: null, changes: [] });
      continue;
    }
    const changes = task.diff(desired, actual);
    planned.push({ task, action: changes.length ? 'modify' : 'unchanged', desired, actual, changes, id: task.idOf(actual) });
  }
  return {
    clusterName: ctx.clusterName,
    tasks: planned,
    creates: planned.filter((p) => p.action === 'create'),
    modifies: planned.filter((p) => p.action === 'modify'),
    unchanged: planned.filter((p) => p.action === 'unchanged'),
    deletes: orderByDependencies(deletes),
    leftAlone: [],
    ids: new Map(ctx.ids),
  };
}

/** Kahn's algorithm, stable in input order; refuses unknown dependencies and cycles. */
export function orderByDependencies<T extends { key: string; dependencies: readonly string[] }>(items: T[]): T[] {
  const byKey = new Map<string, T>();
  for (const item of items) {
    if (byKey.has(item.key)) throw new Error(`duplicate task ${item.key}`);
    byKey.set(item.key, item);
  }
  for (const item of items) {
    for (const dep of item.dependencies) if (!byKey.has(dep)) throw new Error(`${item.key} depends on unknown task ${dep}`);
  }
  const done = new Set<string>();
  const ordered: T[] = [];
  let remaining = items;
  while (remaining.length) {
    const ready = remaining.filter((item) => item.dependencies.every((dep) => done.has(dep)));
    if (ready.length === 0) throw new Error(`dependency cycle among ${remaining.map((i) => i.key).join(', ')}`);
    for (const item of ready) {
      ordered.push(item);
      done.add(item.key);
    }
    remaining = remaining.filter((item) => !done.has(item.key));
  }
  return ordered;
}

/** The plan as plain JSON (for `-o json`). */
export function planToJson(plan: Plan) {
  const entry = (p: PlannedTask) => ({ kind: p.task.kind, name: p.task.name, id: p.id ?? null, changes: p.changes });
  return {
    cluster: plan.clusterName,
    changes: hasChanges(plan),
    creates: plan.creates.map((p) => ({ kind: p.task.kind, name: p.task.name, fields: p.task.describe(p.desired) })),
    modifies: plan.modifies.map(entry),
    deletes: plan.deletes.map((d) => ({ kind: d.kind, name: d.name, id: d.id })),
    unchanged: plan.unchanged.map((p) => ({ kind: p.task.kind, name: p.task.name, id: p.id ?? null })),
    leftAlone: plan.leftAlone,
  };
}

export function countByKind(items: { kind: TaskKind }[]): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const item of items) counts[item.kind] = (counts[item.kind] ?? 0) + 1;
  return counts;
}
