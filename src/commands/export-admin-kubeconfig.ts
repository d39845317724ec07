// `export kubeconfig --admin`: a client certificate for the local user, signed
// by the cluster's CA from the state store (kops' default lifetime 18h), with
// the API server kops would choose and the CA embedded. Nothing secret is
// printed: the key goes only into the 0600 kubeconfig.
import { userInfo } from 'node:os';
import { apiServerUrl, ApiServerNotFoundError } from '../engine/cloud/aws/api-server-url.js';
import { detectOwnership } from '../engine/ownership/detect.js';
import { issueAdminCredentials, NoClusterCaError, ADMIN_GROUP } from '../engine/pki/admin-credentials.js';
import { CliError } from './cli-error.js';
import type { CommandContext } from './command-context.js';
import { withAwsClients } from './cluster-connection.js';
import { mergeIntoKubeconfig } from './kubeconfig-file.js';

export async function exportAdminKubeconfig(ctx: CommandContext, name: string, target: string, lifetimeMs: number): Promise<void> {
  const store = ctx.store();
  const found = await store.getCluster(name);
  if (!found) throw new CliError(`Cluster "${name}" was not found in ${store.url}; list clusters with \`kopsdeck get clusters\`.`);
  await withAwsClients(ctx, found.value, async (clients) => {
    const ownership = await detectOwnership({ clients, clusterName: name, store: store.objects });
    if (ownership.manager === 'kops') {
      throw new CliError(`Cluster "${name}" was made by kops, which keeps its CA in its own layout: run \`kops export kubeconfig ${name} --admin\` instead.`);
    }
    // The CA first: without it no update has run, which also explains a missing load balancer.
    const credentials = await issueAdminCredentials(store.objects, name, { localUser: localUser(ctx.io.env), lifetimeMs }).catch(explain);
    const server = await apiServerUrl(found.value, clients).catch(explain);
    const pemData = (pem: string) => Buffer.from(pem, 'utf8').toString('base64');
    mergeIntoKubeconfig(
      target,
      {
        clusters: [{ name, cluster: { server: server.url, 'certificate-authority-data': pemData(credentials.caPem) } }],
        users: [{ name, user: { 'client-certificate-data': pemData(credentials.certPem), 'client-key-data': pemData(credentials.privateKeyPem) } }],
        contexts: [{ name, context: { cluster: name, user: name } }],
      },
      name,
    );
    ctx.print(
      [
        `kubeconfig: context "${name}" written to ${target} (now the current context).`,
        `  server: ${server.url} (${server.from})`,
        `  user: ${credentials.user} in group ${ADMIN_GROUP}, a certificate signed by the cluster's CA, valid until ${credentials.notAfter.toISOString()}`,
      ].join('\n'),
    );
  });
}

function explain(error: unknown): never {
  if (error instanceof NoClusterCaError || error instanceof ApiServerNotFoundError) throw new CliError(capitalise(error.message) + '.');
  throw error;
}

function capitalise(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}

function localUser(env: NodeJS.ProcessEnv): string {
  try {
    return userInfo().username;
  } catch {
    // No passwd entry (some containers): the environment's name, else a neutral one.
    return env.USER || env.USERNAME || 'admin';
  }
}
