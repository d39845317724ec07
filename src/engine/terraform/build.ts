// From a plan to a Terraform module: every planned task renders itself
// (Task.terraform, kops' RenderTerraform) from the same desired state apply()
// would make, and references between tasks become Terraform references. The
// module is data; writer.ts turns it into kubernetes.tf and data/.
import type { Plan } from '../reconcile/plan.js';
import type { ReconcileContext, Task } from '../reconcile/task.js';
import { expr, quote, type HclExpr } from './hcl.js';
import { terraformLabel, type TerraformContext, type TerraformFile, type TerraformResource } from './types.js';

export interface LabelledResource extends TerraformResource {
  label: string;
  /** The task it comes from. */
  taskKey: string;
}

export interface TerraformModule {
  clusterName: string;
  region: string;
  resources: LabelledResource[];
  files: TerraformFile[];
  /** Scalar outputs by name, and list outputs (sorted, de-duplicated) by name. */
  outputs: Map<string, HclExpr | HclExpr[]>;
}

/** A plan that cannot be written as Terraform: every problem is listed. */
export class TerraformRenderError extends Error {
  constructor(readonly problems: string[]) {
    super(`the cluster cannot be written as Terraform:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'TerraformRenderError';
  }
}

interface Rendered {
  task: Task;
  resources: LabelledResource[];
}

export function buildTerraform(plan: Plan, ctx: ReconcileContext, region: string): TerraformModule {
  const tasks = plan.tasks;
  const missing = tasks.filter((p) => !p.task.terraform).map((p) => `${p.task.key} (${p.task.kind}) has no Terraform form`);
  if (missing.length) throw new TerraformRenderError(missing);
  const keys = new Set(tasks.map((p) => p.task.key));
  // First pass: which resource (type and label) each task makes, to name it in references.
  const primary = new Map<string, { type: string; label: string }>();
  const probe: TerraformContext = { clusterName: plan.clusterName, ref: () => expr('null'), existing: (key) => isExisting(key) };
  const existing = new Set<string>();
  function isExisting(key: string): boolean {
    return ctx.ids.has(key) && plan.tasks.some((p) => p.task.key === key && p.action !== 'create');
  }
  for (const p of tasks) {
    const [first] = render(p.task, probe, p.desired);
    if (first) primary.set(p.task.key, { type: first.type, label: first.label });
    else existing.add(p.task.key);
  }
  const problems: string[] = [];
  const context = (from: Task): TerraformContext => ({
    clusterName: plan.clusterName,
    existing: isExisting,
    ref(key, attribute) {
      const target = primary.get(key);
      if (target) return expr(`${target.type}.${target.label}.${attribute}`);
      const id = ctx.ids.get(key);
      if (existing.has(key) && id) return expr(quote(id));
      problems.push(`${from.key} refers to ${key}, which ${keys.has(key) ? 'renders no resource and has no id' : 'is not in the plan'}`);
      return expr('null');
    },
  });
  const rendered: Rendered[] = tasks.map((p) => ({ task: p.task, resources: render(p.task, context(p.task), p.desired) }));
  const module: TerraformModule = { clusterName: plan.clusterName, region, resources: [], files: [], outputs: new Map() };
  collect(module, rendered, problems);
  if (problems.length) throw new TerraformRenderError(problems);
  return module;
}

function render(task: Task, t: TerraformContext, desired: unknown): LabelledResource[] {
  return task.terraform!(t, desired).map((r) => ({ ...r, label: r.label ?? terraformLabel(r.name), taskKey: task.key }));
}

/** Resources, files and outputs into the module; clashes (two resources or files under one name) are problems. */
function collect(module: TerraformModule, rendered: Rendered[], problems: string[]): void {
  const labels = new Map<string, string>();
  const files = new Map<string, TerraformFile>();
  const scalars = new Map<string, HclExpr>();
  const lists = new Map<string, Map<string, HclExpr>>();
  scalars.set('cluster_name', expr(quote(module.clusterName)));
  scalars.set('region', expr(quote(module.region)));
  for (const { task, resources } of rendered) {
    for (const resource of resources) {
      const id = `${resource.type}.${resource.label}`;
      const other = labels.get(id);
      if (other) problems.push(`${task.key} and ${other} are both ${id}`);
      labels.set(id, task.key);
      module.resources.push(resource);
      for (const file of resource.files ?? []) {
        const same = files.get(file.name);
        if (same && same.content !== file.content) problems.push(`two different data/${file.name}`);
        files.set(file.name, file);
      }
      for (const output of resource.outputs ?? []) {
        if (output.list) {
          const items = lists.get(output.name) ?? new Map<string, HclExpr>();
          items.set(output.value.expr, output.value);
          lists.set(output.name, items);
          continue;
        }
        const before = scalars.get(output.name);
        if (before && before.expr !== output.value.expr) problems.push(`output ${output.name} is both ${before.expr} and ${output.value.expr}`);
        scalars.set(output.name, output.value);
      }
    }
  }
  module.files = [...files.values()].sort((a, b) => compare(a.name, b.name));
  module.resources.sort((a, b) => compare(a.type, b.type) || compare(a.label, b.label));
  for (const [name, value] of scalars) module.outputs.set(name, value);
  for (const [name, items] of lists) module.outputs.set(name, [...items.keys()].sort(compare).map((k) => items.get(k)!));
}

const compare = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);
