// The wizard's review: the equivalent command line, then the Cluster and
// InstanceGroup YAML and the plan of cloud resources ("Will create
// resources:"), each scrollable. Nothing exists until the user confirms:
// create (the cloud resources, then watch the cluster come up), or write as
// Terraform (the spec and secrets to the state store, the module to a folder,
// nothing in the cloud).
import { isAbsolute, relative, resolve } from 'node:path';
import { Box, Text } from 'ink';
import { useEffect, useMemo, useState } from 'react';
import { clusterRegion } from '../../engine/cloud/access.js';
import { awsClientsFor } from '../../engine/cloud/aws/clients.js';
import { createClusterArgs, expandHome, wrapCommandLine, type WizardAnswers } from '../../engine/create/index.js';
import { readSshPublicKeyFile } from '../../engine/ssh/public-key.js';
import { planCluster } from '../../engine/reconcile/cluster.js';
import { renderPlan, summarizePlan } from '../../engine/reconcile/render-plan.js';
import { formatSpecErrors } from '../../engine/spec/spec-error.js';
import { serialiseClusterFile } from '../../engine/spec/parse.js';
import type { ClusterBundle } from '../../engine/spec/types.js';
import { checkCluster } from '../../engine/spec/check-cluster-spec.js';
import { shippedChannel } from '../../engine/channel/load-channel.js';
import { TextView, TEXT_VIEW_CHROME_ROWS } from '../../components/TextView.js';
import type { KeyAction } from '../../input/actions.js';
import { useServices } from '../../hooks/services.js';
import { useAsync } from '../../hooks/useAsync.js';
import { useBodySize } from '../../hooks/useBodySize.js';
import { useScreenActions } from '../../hooks/useKeymap.js';
import { useScroll } from '../../hooks/useScroll.js';
import { useShell } from '../../hooks/useShell.js';
import { useTerraformWrite } from '../../hooks/useClusterCreation.js';
import { NOTHING_CREATED } from './WizardStepView.js';

export interface ReviewViewProps {
  answers: WizardAnswers;
  bundle: ClusterBundle;
  onBack(): void;
  onCancel(): void;
  /** q: quit kopsdeck (asks first: the answers would be lost). */
  onQuit(): void;
  onCreate(): void;
  /** The cluster was written as Terraform: leave the wizard, saying where. */
  onWritten(message: string): void;
  /** Where "write as Terraform" puts kubernetes.tf and data/ (default: out/terraform under the working folder, as the CLI). */
  terraformOut?: string;
}

export const DEFAULT_CONSOLE_TERRAFORM_OUT = 'out/terraform';

type Pane = 'spec' | 'plan';

const lines = (text: string) => text.replace(/\n+$/, '').split('\n');

function usePlanText(bundle: ClusterBundle, sshPublicKeyPath: string) {
  const { access, store } = useServices();
  return useAsync(async () => {
    if (!access) return { text: 'No cloud is configured for this console, so the plan of cloud resources cannot be computed.', summary: '' };
    const clients = awsClientsFor(access, clusterRegion(bundle.cluster, access));
    try {
      // The key is not in the store until the cluster is created: the preview takes it from its file.
      const sshPublicKeys = sshPublicKeyPath ? [readSshPublicKeyFile(expandHome(sshPublicKeyPath), sshPublicKeyPath)] : [];
      const planned = await planCluster({ cluster: bundle.cluster, instanceGroups: bundle.instanceGroups, clients, store: store.objects, sshPublicKeys, clock: access.clock });
      return { text: renderPlan(planned.plan), summary: summarizePlan(planned.plan) };
    } finally {
      clients.destroy();
    }
  }, [bundle, access, store, sshPublicKeyPath]);
}

export function ReviewView({ answers, bundle, onBack, onCancel, onQuit, onCreate, onWritten, terraformOut }: ReviewViewProps) {
  const body = useBodySize();
  const shell = useShell();
  const { storeUrl } = useServices();
  const [pane, setPane] = useState<Pane>('spec');
  const command = useMemo(() => wrapCommandLine(createClusterArgs(answers), body.columns - 2), [answers, body.columns]);
  const checked = useMemo(() => checkCluster(bundle.cluster, bundle.instanceGroups, { channel: shippedChannel() }), [bundle]);
  const problems = useMemo(() => formatSpecErrors(checked.errors), [checked]);
  const warnings = useMemo(() => formatSpecErrors(checked.warnings), [checked]);
  const specLines = useMemo(() => lines(serialiseClusterFile(bundle)), [bundle]);
  const plan = usePlanText(bundle, answers.sshPublicKey);
  const terraform = useTerraformWrite(bundle, answers.sshPublicKey ? expandHome(answers.sshPublicKey) : undefined);
  const outDir = useMemo(() => resolve(terraformOut ?? DEFAULT_CONSOLE_TERRAFORM_OUT), [terraformOut]);
  const busy = terraform.status === 'running';
  const failureText = terraform.status === 'failed' ? `Could not write Terraform: ${terraform.error}` : '';
  const planLines =
    plan.status === 'error'
      ? [`Could not compute the plan: ${plan.error.message}`, 'Press r to try again.']
      : plan.value
        ? lines(plan.value.text)
        : ['Computing the plan: looking for what already exists in the cloud…'];

  const fixedRows = 4 + command.length + (problems.length ? problems.length + 1 : 0) + warnings.length + (busy ? 1 : 0) + (failureText ? Math.ceil(failureText.length / Math.max(1, body.columns)) : 0);
  const height = Math.max(3, body.rows - fixedRows - TEXT_VIEW_CHROME_ROWS);
  const specScroll = useScroll('review-spec', specLines.length, height, 'Review');
  const planScroll = useScroll('review-plan', planLines.length, height, 'Review');
  const scroll = pane === 'spec' ? specScroll : planScroll;

  const name = bundle.cluster.metadata.name;
  useEffect(() => {
    const done = terraform.result;
    if (terraform.status !== 'done' || !done) return;
    // One line in the flash: where first (short enough to be read on the line), then what it did and did not do.
    onWritten(`Terraform for ${name} written to ${shownDir(done.outDir)} (${done.resources} resources); the spec and secrets are in ${done.storeUrl}, nothing was created in the cloud.`);
  }, [terraform.status, terraform.result, name, onWritten]);
  const writeTerraform = () => {
    if (busy) return;
    if (problems.length > 0) return shell.flash(`The spec has ${problems.length} problem(s); go back (←) and change the answers.`, 'error');
    shell.confirm({
      message: `Write ${name} as Terraform?`,
      detail: [
        `It writes the spec and the cluster's secrets to ${storeUrl},`,
        `and kubernetes.tf and data/ to ${outDir}.`,
        'Nothing is created in the cloud: your Terraform applies the module.',
      ],
      onYes: () => terraform.write(outDir),
    });
  };
  const create = () => {
    if (busy) return;
    if (problems.length > 0) return shell.flash(`The spec has ${problems.length} problem(s); go back (←) and change the answers.`, 'error');
    shell.confirm({
      message: `Create cluster ${name}?`,
      detail: [
        `It writes the spec to ${storeUrl},`,
        `then makes the cloud resources${plan.value?.summary ? ` (${plan.value.summary})` : ''}`,
        `and starts ${bundle.instanceGroups.length} instance groups.`,
        `Until you answer y, ${NOTHING_CREATED}.`,
      ],
      onYes: onCreate,
    });
  };
  const actions: KeyAction[] = [
    { key: 'enter', aliases: ['c'], label: 'create', run: create },
    { key: 't', label: 'write as Terraform', run: writeTerraform },
    { key: 'tab', label: pane === 'spec' ? 'show plan' : 'show spec', run: () => setPane(pane === 'spec' ? 'plan' : 'spec') },
    { key: 'left', aliases: ['shift+tab', 'b'], label: 'back to the answers', run: onBack },
    { key: 'r', label: 'recompute plan', hidden: true, run: plan.reload },
    { key: 'escape', label: `cancel (${NOTHING_CREATED})`, run: onCancel },
    { key: 'q', label: 'quit (asks first)', run: onQuit },
    ...scroll.actions,
  ];
  useScreenActions('Review new cluster', actions);

  const tab = (id: Pane, label: string) => (
    <Text bold={pane === id} color={pane === id ? 'cyan' : undefined} dimColor={pane !== id}>{` ${pane === id ? '▸' : ' '} ${label} `}</Text>
  );
  return (
    <Box flexDirection="column" width={body.columns}>
      <Text wrap="truncate-end">
        <Text bold color="cyan">{`Review: ${name}`}</Text>
        <Text dimColor>{`  ${NOTHING_CREATED}; Enter creates it (after a y/N question)`}</Text>
      </Text>
      <Text dimColor>The same cluster from a script:</Text>
      {command.map((line, i) => (
        <Text key={i} color="yellow" wrap="truncate-end">{`  ${line}`}</Text>
      ))}
      {problems.length > 0 ? (
        <Box flexDirection="column">
          <Text color="red">{`The spec has ${problems.length} problem(s):`}</Text>
          {problems.map((p, i) => (
            <Text key={i} color="red" wrap="truncate-end">{`  ${p}`}</Text>
          ))}
        </Box>
      ) : null}
      {busy ? <Text color="cyan">{`Writing ${name} as Terraform to ${outDir}…`}</Text> : null}
      {failureText ? <Text color="red" wrap="wrap">{failureText}</Text> : null}
      {warnings.map((w, i) => (
        <Text key={i} color="yellow" wrap="truncate-end">{`Warning: ${w}`}</Text>
      ))}
      <Text wrap="truncate-end">
        {tab('spec', 'Cluster + InstanceGroup YAML')}
        {tab('plan', `Cloud plan${plan.value?.summary ? `: ${plan.value.summary}` : ''}`)}
        <Text dimColor>  Tab switches, ↑↓ scroll</Text>
      </Text>
      <TextView lines={pane === 'spec' ? specLines : planLines} scroll={scroll} height={height} width={body.columns} />
    </Box>
  );
}

/** A folder as the user would name it: relative to the working folder when it is inside it (out/terraform). */
function shownDir(dir: string): string {
  const inside = relative(process.cwd(), dir);
  return inside && !inside.startsWith('..') && !isAbsolute(inside) ? inside : dir;
}
