// The create-cluster wizard's state: what it learned from the store and the
// cloud (taken names, hosted zones, the region's zones and instance types), the answers, and
// which step is shown. Answers live in the route's memory, so they survive
// anything but leaving the wizard; going back and forward never resets them.
import { useCallback, useEffect, useMemo, useRef } from 'react';
import {
  activeSteps,
  answerProblems,
  defaultAnswers,
  defaultZones,
  listMachineTypes,
  listZones,
  loadWizardEnvironment,
  type MachineTypeOfferings,
  type StepContext,
  type WizardAnswers,
  type WizardEnvironment,
  type WizardStep,
  type ZoneList,
} from '../engine/create/index.js';
import { useServices } from './services.js';
import { useAsync, type AsyncState } from './useAsync.js';
import { useRouteMemory } from './useRouter.js';

export type WizardPhase = 'wizard' | 'review' | 'apply';

export interface CreateWizard {
  env: AsyncState<WizardEnvironment> & { reload(): void };
  zones: AsyncState<ZoneList> & { reload(): void };
  /** The instance types the chosen region offers, to check typed machine types against. */
  machineTypes: AsyncState<MachineTypeOfferings> & { reload(): void };
  /** Undefined until the environment is known (defaults depend on it). */
  answers?: WizardAnswers;
  ctx?: StepContext;
  steps: WizardStep[];
  stepIndex: number;
  step?: WizardStep;
  phase: WizardPhase;
  /** Ids of the steps the user answered: changed, or accepted by moving on. Leaving loses these. */
  given: readonly string[];
  /** Replaces the answers (a step's write or pick). */
  update(change: (answers: WizardAnswers) => WizardAnswers): void;
  /** The latest answers, for callbacks that outlive a render. */
  latest(): WizardAnswers | undefined;
  /** Moves on when the step's answer is accepted; returns the reason when refused. */
  next(): string | undefined;
  back(): boolean;
  setPhase(phase: WizardPhase): void;
  /** Goes to a step by id (e.g. to fix a problem found at review). */
  goTo(id: string): void;
}

export function useCreateWizard(): CreateWizard {
  const { store, access, region } = useServices();
  const env = useAsync(() => loadWizardEnvironment(store, access, region), [store, access, region]);
  const [stored, setAnswers] = useRouteMemory<WizardAnswers | undefined>('create:answers', undefined);
  const [stepIndex, setStepIndex] = useRouteMemory('create:step', 0);
  const [phase, setPhase] = useRouteMemory<WizardPhase>('create:phase', 'wizard');
  const [given, setGiven] = useRouteMemory<readonly string[]>('create:given', []);
  const wantedRegion = stored?.region ?? env.value?.defaultRegion;
  const zones = useAsync(
    () => (wantedRegion ? listZones(access, wantedRegion) : new Promise<ZoneList>(() => undefined)),
    [access, wantedRegion],
  );
  const machineTypes = useAsync(
    () => (wantedRegion ? listMachineTypes(access, wantedRegion) : new Promise<MachineTypeOfferings>(() => undefined)),
    [access, wantedRegion],
  );

  // First answers once the environment and the default region's zones are known;
  // after a region change, that region's default zones.
  useEffect(() => {
    if (env.status !== 'ready' || zones.status !== 'ready') return;
    setAnswers((current) => {
      if (!current) return defaultAnswers(env.value, zones.value.zones);
      if (current.zones.length === 0 && zones.value.zones.length > 0) {
        return { ...current, zones: defaultZones(zones.value.zones) };
      }
      return current;
    });
  }, [env.status, env.value, zones.status, zones.value, setAnswers]);

  const answers = stored;
  const typesError = machineTypes.status === 'error' ? machineTypes.error.message : undefined;
  const offered = useMemo<StepContext['machineTypes']>(() => {
    if (machineTypes.status === 'ready') return machineTypes.value;
    // listMachineTypes reports the cloud's refusals itself; anything else is said the same way.
    if (typesError !== undefined && wantedRegion) return { region: wantedRegion, error: typesError };
    return 'loading';
  }, [machineTypes.status, machineTypes.value, typesError, wantedRegion]);
  const ctx = useMemo<StepContext | undefined>(
    () => (env.value ? { env: env.value, zones: zones.value?.zones ?? [], machineTypes: offered } : undefined),
    [env.value, zones.value, offered],
  );
  const steps = useMemo(() => (answers ? activeSteps(answers) : []), [answers]);
  const index = Math.min(stepIndex, Math.max(0, steps.length - 1));

  const latest = useRef({ answers, ctx, steps, index });
  latest.current = { answers, ctx, steps, index };

  const markGiven = useCallback(() => {
    const { steps, index } = latest.current;
    const id = steps[index]?.id;
    if (id) setGiven((ids) => (ids.includes(id) ? ids : [...ids, id]));
  }, [setGiven]);

  const update = useCallback(
    (change: (answers: WizardAnswers) => WizardAnswers) => {
      markGiven();
      setAnswers((current) => (current ? change(current) : current));
    },
    [setAnswers, markGiven],
  );

  const next = useCallback((): string | undefined => {
    const { answers, ctx, steps, index } = latest.current;
    if (!answers || !ctx) return 'still loading';
    const check = steps[index].check(answers, ctx);
    if (check.error) return check.error;
    markGiven();
    if (index < steps.length - 1) {
      setStepIndex(index + 1);
      return undefined;
    }
    // The last step: every answer must stand before the review.
    const problem = answerProblems(answers, ctx)[0];
    if (problem) {
      setStepIndex(steps.indexOf(problem.step));
      return `${problem.step.title}: ${problem.message}`;
    }
    setPhase('review');
    return undefined;
  }, [setStepIndex, setPhase, markGiven]);

  const back = useCallback((): boolean => {
    const { index } = latest.current;
    if (index === 0) return false;
    setStepIndex(index - 1);
    return true;
  }, [setStepIndex]);

  const goTo = useCallback(
    (id: string) => {
      const found = latest.current.steps.findIndex((s) => s.id === id);
      if (found >= 0) setStepIndex(found);
      setPhase('wizard');
    },
    [setStepIndex, setPhase],
  );

  return {
    env,
    zones,
    machineTypes,
    answers,
    ctx,
    steps,
    stepIndex: index,
    step: steps[index],
    phase,
    given,
    update,
    latest: () => latest.current.answers,
    next,
    back,
    setPhase,
    goTo,
  };
}
