// One step of the create-cluster wizard: its title and one-line explanation,
// the field (a list to pick from, or text typed on the prompt line), the
// verdict on the current value, and the answers so far. Enter moves on only
// when the value is accepted; ← goes back; Esc cancels with nothing created
// (asking first once answers are given); q asks too before quitting.
import { Box, Text } from 'ink';
import { useCallback, useEffect, useRef, useState } from 'react';
import {
  completeClusterName,
  completeMachineType,
  completePath,
  type SelectStep,
  type StepContext,
  type TextCompletion,
  type TextStep,
  type WizardAnswers,
  type WizardStep,
} from '../../engine/create/index.js';
import type { KeyAction } from '../../input/actions.js';
import { useBodySize } from '../../hooks/useBodySize.js';
import type { CreateWizard } from '../../hooks/useCreateWizard.js';
import { useScreenActions } from '../../hooks/useKeymap.js';
import { useShell } from '../../hooks/useShell.js';
import { ChoiceList } from './ChoiceList.js';
import { FieldCheckLine } from './FieldCheckLine.js';

export const NOTHING_CREATED = 'nothing has been created yet';

interface StepViewProps {
  wizard: CreateWizard;
  answers: WizardAnswers;
  ctx: StepContext;
  onCancel(): void;
  /** q: quit kopsdeck; asks first when answers would be lost. */
  onQuit(): void;
}

export function WizardStepView(props: StepViewProps) {
  const { wizard, answers } = props;
  const body = useBodySize();
  const step = wizard.step!;
  const wide = body.columns >= 100;
  const mainWidth = wide ? body.columns - 38 : body.columns;
  return (
    <Box flexDirection="row" width={body.columns}>
      <Box flexDirection="column" width={mainWidth} paddingRight={wide ? 2 : 0}>
        <Text>
          <Text bold color="cyan">{`New cluster · step ${wizard.stepIndex + 1} of ${wizard.steps.length} · `}</Text>
          <Text bold>{step.title}</Text>
        </Text>
        <Text wrap="wrap">{step.explanation}</Text>
        <Text> </Text>
        {step.kind === 'text' ? (
          <TextStepView key={step.id} {...props} step={step} />
        ) : (
          <SelectStepView key={step.id} {...props} step={step} height={Math.max(3, body.rows - 8)} width={mainWidth} />
        )}
      </Box>
      {wide ? <AnswersSummary steps={wizard.steps} current={step} answers={answers} width={36} /> : null}
    </Box>
  );
}

function stepActions(wizard: CreateWizard, shell: ReturnType<typeof useShell>, props: Pick<StepViewProps, 'onCancel' | 'onQuit'>, extra: KeyAction[]): KeyAction[] {
  const next = () => {
    const refused = wizard.next();
    if (refused) shell.flash(refused, 'error');
  };
  return [
    { key: 'enter', aliases: ['right', 'tab'], label: 'next', run: next },
    { key: 'left', aliases: ['shift+tab', 'b'], label: 'back', disabled: wizard.stepIndex === 0, run: () => wizard.back() },
    ...extra,
    { key: 'escape', label: `cancel (${NOTHING_CREATED})`, run: props.onCancel },
    // Shadows the global q: quitting here would otherwise lose the answers without a word.
    { key: 'q', label: 'quit', run: props.onQuit },
  ];
}

function completerFor(step: TextStep, ctx: StepContext): ((text: string) => TextCompletion) | undefined {
  if (step.id === 'name') return (text) => completeClusterName(text, ctx.env.hostedZones);
  if (step.id === 'controlPlaneSize' || step.id === 'nodeSize') {
    return (text) => completeMachineType(text, ctx.machineTypes === 'loading' ? undefined : ctx.machineTypes);
  }
  if (step.id === 'sshPublicKey') return completePath;
  return undefined;
}

function TextStepView({ wizard, answers, ctx, onCancel, onQuit, step }: StepViewProps & { step: TextStep }) {
  const shell = useShell();
  const [editing, setEditing] = useState(true);
  const latestCtx = useRef(ctx);
  latestCtx.current = ctx;
  // The prompt's callbacks outlive this render: they read the wizard through a ref.
  const wizardRef = useRef(wizard);
  wizardRef.current = wizard;

  const openEditor = useCallback(() => {
    const wizard = wizardRef.current;
    const current = wizard.latest();
    if (!current) return;
    const complete = completerFor(step, latestCtx.current);
    const write = (text: string) => wizard.update((a) => step.write(a, text, latestCtx.current.env));
    const open = (initial: string) =>
      shell.openPrompt({
        prefix: `${step.label}: `,
        initial,
        // One Backspace too many must not leave the field: the next letters would be read as commands.
        emptyBackspace: 'stay',
        onChange: write,
        onSubmit: (text) => {
          write(text);
          const check = step.check(step.write(wizard.latest() ?? current, text, latestCtx.current.env), latestCtx.current);
          if (check.error) {
            shell.flash(check.error, 'error');
            open(text);
            return;
          }
          // Let the written answer render before moving on (next() checks the rendered answers).
          setImmediate(() => {
            const refused = wizard.next();
            if (refused) shell.flash(refused, 'error');
          });
        },
        onCancel: () => setEditing(false),
        keyLabels: { enter: 'accept, next step', escape: 'stop editing' },
        complete: complete ? (text) => complete(text) : undefined,
      });
    open(step.read(current));
  }, [shell, step]);

  // Arriving at a text step puts the cursor in its field.
  useEffect(() => {
    if (editing) openEditor();
  }, [editing, openEditor]);

  const actions = stepActions(wizard, shell, { onCancel, onQuit }, [
    { key: 'e', aliases: ['i'], label: 'edit', run: () => (editing ? openEditor() : setEditing(true)) },
  ]);
  useScreenActions('New cluster', actions);

  const value = step.read(answers);
  const check = step.check(answers, ctx);
  return (
    <Box flexDirection="column">
      <Text>
        <Text dimColor>{`${step.label}: `}</Text>
        <Text bold>{value === '' ? '(empty)' : value}</Text>
      </Text>
      <FieldCheckLine check={check} />
      <Text> </Text>
      <Text dimColor wrap="wrap">
        {editing
          ? 'Type on the line below; Enter accepts, Tab completes, Esc stops editing (then ← goes back, Esc cancels).'
          : 'Enter accepts this value · e edits it · ← back · Esc cancels'}
      </Text>
    </Box>
  );
}

function SelectStepView({ wizard, answers, ctx, onCancel, onQuit, step, height, width }: StepViewProps & { step: SelectStep; height: number; width: number }) {
  const shell = useShell();
  const choices = step.choices(answers, ctx);
  const chosen = step.chosen(answers);
  const [cursor, setCursor] = useState(() => Math.max(0, choices.findIndex((c) => chosen.includes(c.value))));
  const multi = step.kind === 'multi';
  const at = Math.min(cursor, Math.max(0, choices.length - 1));
  // Keys read and move the cursor through a ref, updated at once: several keys
  // can be handled before this view renders again (fast typing, key repeat), and
  // each must start from where the one before left the cursor.
  const cursorRef = useRef(at);
  cursorRef.current = at;

  const move = (delta: number) => {
    const next = Math.max(0, Math.min(choices.length - 1, cursorRef.current + delta));
    cursorRef.current = next;
    setCursor(next);
    // In a single choice the highlighted option is the answer, checked at once.
    if (!multi && choices[next] && choices[next].value !== chosen[0]) {
      wizard.update((a) => step.pick(a, choices[next].value, ctx.env));
    }
  };
  const extra: KeyAction[] = [
    { key: 'up', aliases: ['k'], label: 'previous', hidden: true, run: () => move(-1) },
    { key: 'down', aliases: ['j'], label: 'following', hidden: true, run: () => move(1) },
  ];
  if (multi) {
    const toggle = () => {
      const choice = choices[cursorRef.current];
      if (choice) wizard.update((a) => step.pick(a, choice.value, ctx.env));
    };
    extra.push({ key: 'space', aliases: ['x'], label: 'toggle', run: toggle });
  }
  useScreenActions('New cluster', stepActions(wizard, shell, { onCancel, onQuit }, extra));

  const check = step.check(answers, ctx);
  return (
    <Box flexDirection="column">
      {choices.length === 0 ? <Text dimColor>Loading the choices…</Text> : null}
      <ChoiceList choices={choices} chosen={chosen} cursor={at} multi={multi} height={height} width={width} />
      <FieldCheckLine check={check} />
    </Box>
  );
}

function AnswersSummary({ steps, current, answers, width }: { steps: WizardStep[]; current: WizardStep; answers: WizardAnswers; width: number }) {
  const reached = steps.indexOf(current);
  return (
    <Box flexDirection="column" width={width} borderStyle="single" borderColor="gray" paddingX={1}>
      <Text bold>Your cluster so far</Text>
      {steps.map((step, i) => (
        <Text key={step.id} wrap="truncate-end" dimColor={i > reached} color={step === current ? 'cyan' : undefined}>
          {`${step === current ? '›' : ' '} ${step.title}: ${step.summary(answers)}`}
        </Text>
      ))}
    </Box>
  );
}
