// The console's upgrade flow, as a small state machine: pick the next
// Kubernetes version (one minor at a time), see the spec change and write it,
// see the cloud plan `update cluster` makes (new launch templates) and apply
// it with progress; then the rolling update takes over. Each stage says
// what failed and can be retried; nothing is written without a confirmation.
import { useCallback, useEffect, useRef, useState } from 'react';
import { awsClientsFor, type AwsClients } from '../engine/cloud/aws/clients.js';
import { clusterRegion } from '../engine/cloud/access.js';
import { renderTextTable } from '../engine/output/text-table.js';
import { applyClusterPlan, hasChanges, planCluster, renderPlan, summarizePlan, type ApplyEvent, type ClusterPlan } from '../engine/reconcile/index.js';
import { checkUpgrade, proposedUpgrade, upgradeCluster } from '../engine/rollout/index.js';
import type { Channel } from '../engine/channel/channel.js';
import { loadChannel } from '../engine/channel/load-channel.js';
import { recommendedKubernetesVersion } from '../engine/channel/lookups.js';
import { compareVersions, minorOf } from '../engine/spec/versions.js';
import { useServices } from './services.js';
import { kopsEvidence } from '../engine/ownership/detect.js';
import { errorMessage } from '../engine/error-message.js';

export interface VersionChoice {
  version: string;
  note: string;
  /** The cluster's own version: no spec change, only update and roll. */
  keep?: boolean;
}

export interface ApplyTask {
  key: string;
  label: string;
  state: 'pending' | 'running' | 'retrying' | 'done' | 'failed' | 'skipped';
  detail?: string;
}

export type UpgradeStage =
  | { stage: 'loading'; what: string }
  | { stage: 'problem'; title: string; message: string; hint: string; retry: () => void }
  | { stage: 'choose'; current: string; choices: VersionChoice[] }
  | { stage: 'spec'; current: string; target: string; table: string[] }
  | { stage: 'update-plan'; target: string; planned: ClusterPlan; lines: string[]; summary: string; changes: boolean }
  | { stage: 'applying'; target: string; tasks: ApplyTask[] }
  | { stage: 'applied'; target: string; done: number };

/**
 * The versions the cluster may move to from `current` (the channel's
 * recommended patches of its minor and of the next one), the proposed one
 * first, then keeping it as it is.
 */
export function versionChoices(current: string, channel: Channel): VersionChoice[] {
  const proposed = proposedUpgrade(current, channel);
  const candidates = [proposed, recommendedKubernetesVersion(channel, current)].filter((v): v is string => v !== null);
  const allowed = [...new Set(candidates)].filter((v) => {
    try {
      return checkUpgrade(current, v).changes;
    } catch {
      return false;
    }
  });
  const ordered = allowed.sort((a, b) => compareVersions(b, a)).sort((a, b) => Number(b === proposed) - Number(a === proposed));
  return [
    ...ordered.map((version) => {
      const which = `the ${channel.location} channel's recommended patch of ${minorOf(version) === minorOf(current) ? 'this' : 'the next'} minor version`;
      return { version, note: version === proposed ? `proposed: ${which}` : which };
    }),
    { version: current, keep: true, note: 'keep this version: only write the launch templates and roll what is out of date' },
  ];
}

export interface UpgradeFlow {
  stage: UpgradeStage;
  choose(choice: VersionChoice): void;
  /** Writes the chosen version to the spec (after the screen's confirmation). */
  writeSpec(): void;
  /** Applies the cloud plan (after the screen's confirmation). */
  apply(): void;
  back(): void;
}

export function useUpgradeFlow(cluster: string, onApplied: () => void): UpgradeFlow {
  const { store, access, storeUrl } = useServices();
  const [stage, setStage] = useState<UpgradeStage>({ stage: 'loading', what: `Reading the spec of ${cluster}` });
  const live = useRef(true);
  const clients = useRef<AwsClients | undefined>(undefined);
  const onAppliedRef = useRef(onApplied);
  onAppliedRef.current = onApplied;
  const set = useCallback((next: UpgradeStage) => live.current && setStage(next), []);

  const fail = useCallback(
    (title: string, error: unknown, hint: string, retry: () => void) => set({ stage: 'problem', title, message: errorMessage(error), hint, retry }),
    [set],
  );

  const load = useCallback(async () => {
    set({ stage: 'loading', what: `Reading the spec of ${cluster}` });
    try {
      const found = await store.getCluster(cluster);
      if (!found) throw new Error(`cluster ${cluster} was not found in ${storeUrl}`);
      const madeByKops = access ? await kopsEvidence(access, found.value, store.objects) : undefined;
      if (madeByKops) {
        // kops applies its stored spec on its next update: nothing is written to it from here.
        const message = `Cluster ${cluster} was made by kops (${madeByKops}), so kopsdeck changes nothing in its spec. Run \`kops upgrade cluster ${cluster} --yes\` and \`kops update cluster ${cluster} --yes\`; then R on the cluster rolls its nodes here.`;
        set({ stage: 'problem', title: `${cluster} is upgraded with kops`, message, hint: 'Esc goes back.', retry: () => void load() });
        return;
      }
      const current = found.value.spec.kubernetesVersion;
      const channel = await loadChannel(found.value.spec.channel);
      set({ stage: 'choose', current, choices: versionChoices(current, channel) });
    } catch (error) {
      fail(`Could not read ${cluster}`, error, 'Press r to try again, or Esc to go back.', () => void load());
    }
  }, [cluster, store, storeUrl, access, set, fail]);

  const planUpdate = useCallback(
    async (target: string) => {
      set({ stage: 'loading', what: 'Planning the cloud changes (update cluster): new launch templates for the new version' });
      try {
        if (!access) throw new Error('This console was started without cloud access; start kopsdeck with --cloud sim or --cloud aws.');
        const found = await store.getCluster(cluster);
        if (!found) throw new Error(`cluster ${cluster} was not found in ${storeUrl}`);
        const instanceGroups = (await store.listInstanceGroups(cluster)).map((g) => g.value);
        clients.current?.destroy();
        clients.current = awsClientsFor(access, clusterRegion(found.value, access));
        const planned = await planCluster({ cluster: found.value, instanceGroups, clients: clients.current, store: store.objects, clock: access.clock });
        const lines = renderPlan(planned.plan).trimEnd().split('\n');
        set({ stage: 'update-plan', target, planned, lines, summary: summarizePlan(planned.plan), changes: hasChanges(planned.plan) });
      } catch (error) {
        fail('Could not plan the cloud changes', error, 'Press r to try again (nothing was changed in the cloud), or Esc to go back.', () => void planUpdate(target));
      }
    },
    [access, cluster, store, storeUrl, set, fail],
  );

  const choose = useCallback(
    (choice: VersionChoice) => {
      if (stage.stage !== 'choose') return;
      if (choice.keep) {
        void planUpdate(choice.version);
        return;
      }
      const table = renderTextTable(['ITEM', 'PROPERTY', 'OLD', 'NEW'], [['Cluster', 'KubernetesVersion', stage.current, choice.version]]).trimEnd().split('\n');
      set({ stage: 'spec', current: stage.current, target: choice.version, table });
    },
    [stage, planUpdate, set],
  );

  const writeSpec = useCallback(() => {
    if (stage.stage !== 'spec') return;
    const { target } = stage;
    const write = async () => {
      set({ stage: 'loading', what: `Writing Kubernetes ${target} to the spec of ${cluster}` });
      try {
        await upgradeCluster(store, cluster, target);
        await planUpdate(target);
      } catch (error) {
        fail(`Could not upgrade the spec of ${cluster}`, error, 'Press r to try again, or Esc to go back (the spec is unchanged).', () => void write());
      }
    };
    void write();
  }, [stage, cluster, store, planUpdate, set, fail]);

  const apply = useCallback(() => {
    if (stage.stage !== 'update-plan') return;
    const { planned, target } = stage;
    if (!stage.changes) {
      set({ stage: 'applied', target, done: 0 });
      onAppliedRef.current();
      return;
    }
    let tasks: ApplyTask[] = [...planned.plan.creates, ...planned.plan.modifies].map((p) => ({ key: p.task.key, label: `${p.action === 'create' ? 'create' : 'modify'} ${p.task.kind}/${p.task.name}`, state: 'pending' }));
    set({ stage: 'applying', target, tasks });
    const onEvent = (event: ApplyEvent) => {
      const key = event.task.key;
      if (!tasks.some((t) => t.key === key)) tasks = [...tasks, { key, label: `${event.task.action} ${event.task.kind}/${event.task.name}`, state: 'pending' }];
      const change: Partial<ApplyTask> =
        event.type === 'task-started'
          ? { state: 'running' }
          : event.type === 'task-done'
            ? { state: 'done', detail: undefined }
            : event.type === 'task-retrying'
              ? { state: 'retrying', detail: `${event.error.message}; retrying` }
              : event.type === 'task-failed'
                ? { state: 'failed', detail: event.error.message }
                : { state: 'skipped', detail: event.reason };
      tasks = tasks.map((t) => (t.key === key ? { ...t, ...change } : t));
      set({ stage: 'applying', target, tasks });
    };
    void applyClusterPlan(planned, { onEvent }).then(
      (result) => {
        if (!result.ok) {
          const failures = result.failed.map((f) => `${f.key}: ${f.error.message}`).join('; ');
          fail(`${result.failed.length} cloud change(s) failed`, failures || `${result.skipped.length} change(s) were skipped`, 'What was done is kept. Press r to plan again and finish the rest.', () => void planUpdate(target));
          return;
        }
        set({ stage: 'applied', target, done: result.done.length });
        onAppliedRef.current();
      },
      (error: unknown) => fail('Applying the cloud changes failed', error, 'Press r to plan again and finish the rest.', () => void planUpdate(target)),
    );
  }, [stage, set, fail, planUpdate]);

  const back = useCallback(() => void load(), [load]);

  useEffect(() => {
    live.current = true;
    void load();
    return () => {
      live.current = false;
      clients.current?.destroy();
    };
  }, [load]);

  return { stage, choose, writeSpec, apply, back };
}
