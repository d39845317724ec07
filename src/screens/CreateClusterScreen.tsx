// Guided cluster creation: the wizard (one step per choice), the review (spec,
// plan and the equivalent command line), then create-and-watch until the
// cluster validates. Esc (or q) before confirming leaves with nothing created;
// once answers are given, it asks first, saying which answers are lost.
import { Box, Text } from 'ink';
import { useCallback, useEffect, useMemo } from 'react';
import { ErrorBox } from '../components/ErrorBox.js';
import { Loading } from '../components/Loading.js';
import { buildWizardBundle, expandHome, type CreateFlowSettings, type WizardAnswers, type WizardStep } from '../engine/create/index.js';
import type { KeyAction } from '../input/actions.js';
import { useServices } from '../hooks/services.js';
import { useBodySize } from '../hooks/useBodySize.js';
import { useClusterCreation } from '../hooks/useClusterCreation.js';
import { useCreateWizard } from '../hooks/useCreateWizard.js';
import { useScreenActions } from '../hooks/useKeymap.js';
import { useRouter } from '../hooks/useRouter.js';
import { useShell } from '../hooks/useShell.js';
import { ApplyView } from './create-cluster/ApplyView.js';
import { ReviewView } from './create-cluster/ReviewView.js';
import { NOTHING_CREATED, WizardStepView } from './create-cluster/WizardStepView.js';

export const CANCELLED_MESSAGE = 'Cluster creation cancelled: nothing was created.';
export const DISCARD_QUESTION = 'Discard the answers so far?';

/** The lines of the discard question: which answers go, and that nothing else does. */
export function discardDetail(how: 'leave' | 'quit', lost: readonly WizardStep[], all: number, answers: WizardAnswers): string[] {
  const cluster = answers.name.trim() ? ` for ${answers.name.trim()}` : '';
  const what = lost.length === all ? `all ${all} answers${cluster}` : `what you answered${cluster}: ${lost.map((step) => step.title).join(', ')}`;
  return [
    `${how === 'quit' ? 'Quitting kopsdeck' : 'Leaving the wizard'} loses ${what}.`,
    `Nothing else: ${NOTHING_CREATED} in the state store or the cloud.`,
  ];
}

export interface CreateClusterScreenProps {
  /** Timing of the create-and-watch flow (tests shorten it). */
  settings?: CreateFlowSettings;
}

export function CreateClusterScreen({ settings }: CreateClusterScreenProps) {
  const wizard = useCreateWizard();
  const router = useRouter();
  const shell = useShell();
  const { storeUrl } = useServices();
  const body = useBodySize();
  const { answers, ctx, phase } = wizard;
  const bundle = useMemo(() => (answers && phase !== 'wizard' ? buildWizardBundle(answers) : undefined), [answers, phase]);
  const creation = useClusterCreation(phase === 'apply' ? bundle : undefined, settings, answers?.sshPublicKey ? expandHome(answers.sshPublicKey) : undefined);

  const leave = useCallback(() => {
    if (!router.back()) router.replace({ name: 'clusters' });
  }, [router]);
  const cancel = useCallback(() => {
    leave();
    shell.flash(CANCELLED_MESSAGE, 'info');
  }, [leave, shell]);
  // Written as Terraform (the review's other way out): the spec is stored, the cloud untouched.
  const written = useCallback(
    (message: string) => {
      leave();
      shell.flash(message, 'info');
    },
    [leave, shell],
  );

  // Leaving (Esc) or quitting (q) with answers given asks first; nothing is made before the final confirmation anyway.
  const { given, steps } = wizard;
  const lost = useMemo(() => (phase === 'wizard' ? steps.filter((step) => given.includes(step.id)) : steps), [phase, steps, given]);
  const askFirst = useCallback(
    (how: 'leave' | 'quit') => {
      const run = how === 'quit' ? shell.quit : cancel;
      if (!answers || lost.length === 0) return run();
      shell.confirm({ message: DISCARD_QUESTION, detail: discardDetail(how, lost, steps.length, answers), onYes: run });
    },
    [answers, lost, steps.length, shell, cancel],
  );
  const requestCancel = useCallback(() => askFirst('leave'), [askFirst]);
  const requestQuit = useCallback(() => askFirst('quit'), [askFirst]);

  // Confirming moves to the apply phase; the flow starts once, there.
  const { start, state } = creation;
  useEffect(() => {
    if (phase === 'apply' && state.status === 'idle' && bundle) start();
  }, [phase, state.status, bundle, start]);

  const loading = !answers || !ctx;
  const failed = wizard.env.status === 'error' ? wizard.env.error : undefined;
  const fallbackActions: KeyAction[] = [
    { key: 'r', label: 'retry', disabled: !failed, run: wizard.env.reload },
    { key: 'escape', label: `cancel (${NOTHING_CREATED})`, run: cancel },
  ];
  if (loading || failed) return <LoadingOrFailed actions={fallbackActions} error={failed} storeUrl={storeUrl} width={body.columns} />;

  if (phase === 'review' && bundle) {
    return (
      <ReviewView
        answers={answers}
        bundle={bundle}
        onBack={() => wizard.goTo(wizard.steps[wizard.steps.length - 1].id)}
        onCancel={requestCancel}
        onQuit={requestQuit}
        onCreate={() => wizard.setPhase('apply')}
        onWritten={written}
      />
    );
  }
  if (phase === 'apply' && bundle) {
    const name = bundle.cluster.metadata.name;
    const leaveForLater = () => {
      creation.stop();
      leave();
      if (creation.state.status !== 'ready') shell.flash(`${name} is in the state store; finish it any time with: kopsdeck update cluster ${name} --yes`, 'info');
    };
    return (
      <ApplyView
        cluster={name}
        creation={creation}
        onOpenCluster={() => router.replace({ name: 'cluster', cluster: name })}
        onLeave={leaveForLater}
      />
    );
  }
  return <WizardStepView wizard={wizard} answers={answers} ctx={ctx} onCancel={requestCancel} onQuit={requestQuit} />;
}

function LoadingOrFailed({ actions, error, storeUrl, width }: { actions: KeyAction[]; error?: Error; storeUrl: string; width: number }) {
  useScreenActions('New cluster', actions);
  if (error) {
    return (
      <ErrorBox
        title="Could not prepare the wizard"
        error={error}
        hint={`The wizard reads the cluster names in ${storeUrl}; press r to retry, or Esc to cancel (${NOTHING_CREATED}).`}
        width={width}
      />
    );
  }
  return (
    <Box flexDirection="column">
      <Text bold color="cyan">New cluster</Text>
      <Loading label="Reading the state store, your hosted zones and the region's zones" />
    </Box>
  );
}
