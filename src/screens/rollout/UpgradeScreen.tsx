// Upgrading a cluster's Kubernetes version from the console, in the order
// kops does it: 1 pick the version (one minor at a time), 2 write it to the
// spec, 3 apply the cloud changes (new launch templates), 4 the rolling
// update, which this screen hands over to.
import { Box, Text } from 'ink';
import Spinner from 'ink-spinner';
import { useState } from 'react';
import { ErrorBox } from '../../components/ErrorBox.js';
import { Loading } from '../../components/Loading.js';
import { TextView } from '../../components/TextView.js';
import type { KeyAction } from '../../input/actions.js';
import { rolloutSessionsFor } from '../../sessions/rollout-sessions.js';
import { useServices } from '../../hooks/services.js';
import { useBodySize } from '../../hooks/useBodySize.js';
import { useScreenActions } from '../../hooks/useKeymap.js';
import { useRouter } from '../../hooks/useRouter.js';
import { useScroll } from '../../hooks/useScroll.js';
import { useShell } from '../../hooks/useShell.js';
import { useUpgradeFlow, type ApplyTask, type UpgradeStage } from '../../hooks/useUpgradeFlow.js';

const STEPS = ['Version', 'Spec change', 'Cloud update', 'Rolling update'];

function stepIndex(stage: UpgradeStage): number {
  switch (stage.stage) {
    case 'choose':
      return 0;
    case 'spec':
      return 1;
    case 'update-plan':
    case 'applying':
      return 2;
    case 'applied':
      return 3;
    default:
      return -1;
  }
}

export function UpgradeScreen({ cluster }: { cluster: string }) {
  const services = useServices();
  const router = useRouter();
  const shell = useShell();
  const body = useBodySize();
  const sessions = rolloutSessionsFor(services);
  const flow = useUpgradeFlow(cluster, () => {
    // The rollout plans afresh: the launch templates just changed.
    const session = sessions.peek(cluster);
    if (session && !session.running) session.replan();
    router.replace({ name: 'rollout', cluster });
  });
  const { stage } = flow;
  const [selected, setSelected] = useState(0);
  const planLines = stage.stage === 'update-plan' ? stage.lines : [];
  const scroll = useScroll('upgrade-plan', planLines.length, Math.max(1, body.rows - 6));
  const rolling = sessions.running().includes(cluster);

  const actions: KeyAction[] = (() => {
    if (rolling) return [{ key: 'enter', label: 'open the running rolling update', run: () => router.replace({ name: 'rollout', cluster }) }];
    switch (stage.stage) {
      case 'problem':
        return [{ key: 'r', aliases: ['ctrl+r'], label: 'try again', run: stage.retry }];
      case 'choose': {
        const count = stage.choices.length;
        return [
          { key: 'down', aliases: ['j'], label: 'next version', hidden: true, run: () => setSelected((i) => Math.min(count - 1, i + 1)) },
          { key: 'up', aliases: ['k'], label: 'previous version', hidden: true, run: () => setSelected((i) => Math.max(0, i - 1)) },
          { key: 'enter', label: 'choose', run: () => flow.choose(stage.choices[Math.min(selected, count - 1)]) },
        ];
      }
      case 'spec':
        return [
          {
            key: 'enter',
            label: 'write it to the spec',
            dangerous: true,
            confirm: `Write Kubernetes ${stage.target} to the spec of ${cluster}? Nothing changes in the cloud yet.`,
            run: flow.writeSpec,
          },
          { key: 'b', label: 'choose another version', run: flow.back },
        ];
      case 'update-plan':
        return [
          {
            key: 'enter',
            label: stage.changes ? 'apply to the cloud' : 'go to the rolling update',
            dangerous: stage.changes,
            confirm: `Apply ${stage.summary} to the cloud for ${cluster}? Running instances are not touched: the rolling update replaces them next.`,
            run: flow.apply,
          },
          ...scroll.actions,
        ];
      case 'applying':
        return [{ key: 'escape', label: 'wait (applying)', run: () => shell.flash('The cloud changes are being applied; wait for them to finish.', 'warn') }];
      default:
        return [];
    }
  })();
  useScreenActions(`Upgrade ${cluster}`, actions, { cluster });

  const at = stepIndex(stage);
  return (
    <Box flexDirection="column" width={body.columns}>
      <Text wrap="truncate-end">
        <Text bold color="cyan">{`Upgrade ${cluster}   `}</Text>
        {STEPS.map((name, i) => (
          <Text key={name} bold={i === at} color={i === at ? 'cyan' : undefined} dimColor={i !== at}>
            {`${i > 0 ? ' › ' : ''}${i + 1} ${name}`}
          </Text>
        ))}
      </Text>
      <Text> </Text>
      {rolling ? <Text color="yellow">{`A rolling update of ${cluster} is running: finish or abort it before upgrading again. Enter opens it.`}</Text> : <StageView stage={stage} selected={selected} scroll={scroll} width={body.columns} height={body.rows - 2} />}
    </Box>
  );
}

function StageView({ stage, selected, scroll, width, height }: { stage: UpgradeStage; selected: number; scroll: ReturnType<typeof useScroll>; width: number; height: number }) {
  switch (stage.stage) {
    case 'loading':
      return <Loading label={`${stage.what}…`} />;
    case 'problem':
      return <ErrorBox title={stage.title} error={stage.message} hint={stage.hint} width={width} />;
    case 'choose':
      return (
        <Box flexDirection="column">
          <Text>{`The cluster runs Kubernetes ${stage.current}. Kubernetes upgrades one minor version at a time. Pick the version:`}</Text>
          <Text> </Text>
          {stage.choices.map((choice, i) => (
            <Text key={choice.version + (choice.keep ? '-keep' : '')} inverse={i === selected} wrap="truncate-end">
              {`${i === selected ? '›' : ' '} ${choice.version.padEnd(8)} ${choice.note}`}
            </Text>
          ))}
        </Box>
      );
    case 'spec':
      return (
        <Box flexDirection="column">
          <Text bold>The spec change:</Text>
          {stage.table.map((line, i) => (
            <Text key={i}>{`  ${line}`}</Text>
          ))}
          <Text> </Text>
          <Text wrap="wrap">
            Enter writes it to the state store (the same as `kopsdeck upgrade cluster --yes`). Nothing changes in the cloud yet: next you see the launch template changes, then the rolling update plan.
          </Text>
        </Box>
      );
    case 'update-plan':
      return (
        <Box flexDirection="column">
          <Text bold wrap="truncate-end">{`Cloud changes for Kubernetes ${stage.target} (update cluster): ${stage.summary}`}</Text>
          <TextView lines={stage.lines} scroll={scroll} height={Math.max(1, height - 4)} width={width} />
          <Text color="yellow" wrap="truncate-end">
            {stage.changes ? 'Enter applies them; running instances keep running until the rolling update replaces them.' : 'The cloud is up to date. Enter goes to the rolling update plan.'}
          </Text>
        </Box>
      );
    case 'applying':
      return <ApplyProgress tasks={stage.tasks} height={height} />;
    case 'applied':
      return <Text color="green">{`Cloud updated (${stage.done} changes). Opening the rolling update…`}</Text>;
  }
}

function ApplyProgress({ tasks, height }: { tasks: readonly ApplyTask[]; height: number }) {
  const done = tasks.filter((t) => t.state === 'done').length;
  const shown = tasks.filter((t) => t.state !== 'done').concat(tasks.filter((t) => t.state === 'done')).slice(0, Math.max(1, height - 2));
  return (
    <Box flexDirection="column">
      <Text bold>{`Applying the cloud changes: ${done} of ${tasks.length} done`}</Text>
      {shown.map((t) => (
        <Text key={t.key} wrap="truncate-end" color={t.state === 'failed' ? 'red' : t.state === 'done' ? 'green' : undefined}>
          {t.state === 'running' || t.state === 'retrying' ? <Spinner type="dots" /> : t.state === 'done' ? '✓' : t.state === 'failed' ? '✗' : '·'}
          {` ${t.label}${t.detail ? `: ${t.detail}` : ''}`}
        </Text>
      ))}
    </Box>
  );
}
