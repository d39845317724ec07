// `kopsdeck get secrets NAME` and `kopsdeck rotate bootstrap-token NAME`: the
// cluster's secrets by name, type and expiry, never their values; and a new
// bootstrap token over the old one. A kops-made cluster's secrets are kops'
// (kept in its own layout): listed as none, never written.
import { detectOwnership, readStoreFacts } from '../engine/ownership/detect.js';
import { listSecrets, rotateBootstrapToken, secretEntry, secretKey, type SecretSummary } from '../engine/pki/index.js';
import { renderData, renderTextTable, type OutputFormat } from '../engine/output/text-table.js';
import { CliError } from './cli-error.js';
import type { CommandContext } from './command-context.js';
import { withAwsClients } from './cluster-connection.js';

export async function getSecrets(ctx: CommandContext, name: string, output: OutputFormat): Promise<void> {
  const store = ctx.store();
  if (!(await store.getCluster(name))) throw new CliError(`Cluster "${name}" was not found in ${store.url}; list clusters with \`kopsdeck get clusters\`.`);
  const secrets = await listSecrets(store.objects, name);
  if (output !== 'table') return ctx.print(renderData(secrets, output));
  if (secrets.length > 0) return ctx.print(renderTextTable(['NAME', 'TYPE', 'EXPIRES'], secrets.map(row)));
  const facts = await readStoreFacts(store.objects, name);
  const byKops = facts.kopsVersion !== undefined || facts.completedSpec;
  ctx.print(
    byKops
      ? `Cluster "${name}" was made by kops, which keeps its secrets in its own layout: list them with \`kops get keypairs --name ${name}\` and \`kops get secrets --name ${name}\`.`
      : `Cluster "${name}" has no secrets in ${store.url} yet; \`kopsdeck update cluster ${name} --yes\` generates them.`,
  );
}

function row(secret: SecretSummary): string[] {
  const expires = secret.expires === null ? 'never' : secret.expired ? `${secret.expires} (expired)` : secret.expires;
  return [secret.name, secret.type, expires];
}

export async function rotateBootstrapTokenCommand(ctx: CommandContext, name: string, ttlMs: number): Promise<void> {
  const store = ctx.store();
  const found = await store.getCluster(name);
  if (!found) throw new CliError(`Cluster "${name}" was not found in ${store.url}; list clusters with \`kopsdeck get clusters\`.`);
  const ownership = await withAwsClients(ctx, found.value, (clients) => detectOwnership({ clients, clusterName: name, store: store.objects }));
  if (ownership.manager === 'kops') {
    const [first] = ownership.evidence;
    throw new CliError(`Cluster "${name}" was made by kops (${first.phrase}), so kopsdeck writes none of its secrets; kops manages its own tokens.`);
  }
  const rotated = await rotateBootstrapToken(store.objects, name, { ttlMs });
  const where = `${store.url}/${secretKey(name, secretEntry('bootstrap-token').privatePath)}`;
  ctx.print(`${rotated.replaced ? 'A new bootstrap token replaced the old one' : 'A bootstrap token was written'} in ${where}; it expires at ${rotated.expires}.`);
}
