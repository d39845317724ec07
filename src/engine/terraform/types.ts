// What a reconcile task renders when the target is Terraform rather than AWS
// (kops' RenderTerraform): resources, the files they read from data/, and the
// values the module publishes as locals and outputs.
import { expr, quote, type HclBody, type HclExpr } from './hcl.js';

/** A file under data/, read with file(). */
export interface TerraformFile {
  /** The file's name in data/: `<type>_<kops name>_<key>`, as kops names them. */
  name: string;
  content: string;
}

/** A published value: `cluster_name`, `vpc_id`, `node_subnet_ids` (lists collect one item per resource). */
export interface TerraformOutput {
  name: string;
  value: HclExpr;
  /** Part of a list output, sorted and de-duplicated. */
  list?: boolean;
}

export interface TerraformResource {
  /** The provider's resource type: aws_vpc, aws_launch_template... */
  type: string;
  /** The kops name it comes from (`minimal.example.com`); its label is terraformLabel(name). */
  name: string;
  /** Overrides the label kops would derive from name (security group rules, routes and key pairs have their own). */
  label?: string;
  body: HclBody;
  files?: TerraformFile[];
  outputs?: TerraformOutput[];
}

/** What a task may ask while rendering itself. */
export interface TerraformContext {
  readonly clusterName: string;
  /**
   * An attribute of another task's resource (`aws_vpc.x.id`); a task that
   * renders nothing because its resource exists outside the module (a hosted
   * zone) gives its cloud id as a literal instead.
   */
  ref(taskKey: string, attribute: string): HclExpr;
  /** The task's resource exists in the cloud already (found by discovery). */
  existing(taskKey: string): boolean;
}

/** kops' sanitizeName: a label is the kops name with `.` as `-`, `/` as `--`, `:` as `_`, never starting with a digit. */
export function terraformLabel(name: string): string {
  if (name === '') throw new Error('a Terraform resource needs a name');
  const prefixed = /^[0-9]/.test(name) ? `prefix_${name}` : name;
  return prefixed.replace(/\./g, '-').replace(/\//g, '--').replace(/:/g, '_');
}

/** A data/ file's name: kops' `<type>_<name>_<key>`, with `/` and `:` (not allowed in file names everywhere) left out. */
export function dataFileName(type: string, name: string, key: string): string {
  const safe = `${type}_${name}_${key}`.replace(/\//g, '--').replace(/:/g, '');
  if (!/^[A-Za-z0-9._+@-]+$/.test(safe)) throw new Error(`${JSON.stringify(safe)} cannot be a file name in data/`);
  return safe;
}

/** `file("${path.module}/data/<name>")`. */
export function fileExpr(name: string): HclExpr {
  const path = quote(`/data/${name}`).slice(1);
  return expr(`file("\${path.module}${path})`);
}

/** A data file and the expression that reads it. */
export function dataFile(type: string, name: string, key: string, content: string): { file: TerraformFile; value: HclExpr } {
  const fileName = dataFileName(type, name, key);
  return { file: { name: fileName, content }, value: fileExpr(fileName) };
}
