// A Terraform module as files, laid out as kops writes them
// (upup/pkg/fi/cloudup/terraformWriter): kubernetes.tf with `locals`, one
// `output` per local, the AWS provider for the cluster's region, the
// resources sorted by type and label, and the `terraform` block requiring the
// AWS provider; data/ with the files resources read. The same module always
// gives the same bytes.
import { blocks, writeBlock, writeBody, type HclBody, type HclExpr } from './hcl.js';
import type { TerraformModule } from './build.js';

export const TERRAFORM_MAIN_FILE = 'kubernetes.tf';
export const TERRAFORM_DATA_DIR = 'data';
export const REQUIRED_TERRAFORM_VERSION = '>= 0.15.0';
export const AWS_PROVIDER = { source: 'hashicorp/aws', version: '>= 5.0.0' };

/** Path (relative to the output folder, `/`-separated) -> content. */
export function moduleFiles(module: TerraformModule): Map<string, string> {
  const files = new Map<string, string>();
  files.set(TERRAFORM_MAIN_FILE, mainFile(module));
  for (const file of module.files) files.set(`${TERRAFORM_DATA_DIR}/${file.name}`, file.content);
  return files;
}

function mainFile(module: TerraformModule): string {
  const outputs = [...module.outputs.keys()].sort();
  const locals: Record<string, HclExpr | HclExpr[]> = {};
  for (const name of outputs) locals[name] = module.outputs.get(name)!;
  const sections: string[] = [writeBlock('locals', [], locals)];
  for (const name of outputs) sections.push(writeBlock('output', [name], { value: module.outputs.get(name)! }));
  sections.push(writeBlock('provider', ['aws'], { region: module.region }));
  for (const resource of module.resources) sections.push(writeBlock('resource', [resource.type, resource.label], resource.body));
  sections.push(terraformBlock());
  return `${sections.join('\n\n')}\n`;
}

/** kops writes required_version before required_providers (not sorted as attributes are): so does the module. */
function terraformBlock(): string {
  const version: HclBody = { required_version: REQUIRED_TERRAFORM_VERSION };
  const providers: HclBody = { required_providers: blocks({ aws: { ...AWS_PROVIDER } }) };
  return ['terraform {', ...writeBody(version, 1), ...writeBody(providers, 1), '}'].join('\n');
}
