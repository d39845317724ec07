// What a rehearsal keeps of a template's node selection: nodeSelector, the
// required parts of node and pod (anti-)affinity, and node names translated
// to the rehearsal's nodes (or the workload left out and noted).
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { nodeNamesIn, translateNodeNames, unreproducible } from '../../src/engine/rehearse/node-names.js';
import { rehearsalNotes } from '../../src/engine/rehearse/notes.js';
import { schedulingTemplate } from '../../src/engine/rehearse/read-shape.js';
import { workloadObject } from '../../src/engine/rehearse/replicate.js';
import type { ClusterShape, ShapeWorkload } from '../../src/engine/rehearse/types.js';
import type { RolloutPlan } from '../../src/engine/rollout/types.js';

const antiAffinityTerm = { labelSelector: { matchLabels: { app: 'web' } }, topologyKey: 'kubernetes.io/hostname', namespaceSelector: {}, mismatchLabelKeys: ['x'] };

const template = schedulingTemplate({
  containers: [{ name: 'web' }],
  nodeSelector: { 'kubernetes.io/hostname': 'src-a' },
  affinity: {
    nodeAffinity: { requiredDuringSchedulingIgnoredDuringExecution: { nodeSelectorTerms: [{ matchExpressions: [{ key: 'kubernetes.io/hostname', operator: 'In', values: ['src-a', 'src-b'] }, { key: 'pool', operator: 'Exists' }] }] } },
    podAntiAffinity: { requiredDuringSchedulingIgnoredDuringExecution: [antiAffinityTerm] },
    preferredDuringSchedulingIgnoredDuringExecution: [{ weight: 1 }],
  } as never,
});

const workload = (name: string, t = template): ShapeWorkload => ({ kind: 'Deployment', sourceKind: 'Deployment', namespace: 'a', name, replicas: 2, labels: { app: name }, template: t, placement: {} });

test("the required affinity is kept, without preferences or what the simulator's scheduler does not read", () => {
  assert.deepEqual(template.affinity, {
    nodeAffinity: { requiredDuringSchedulingIgnoredDuringExecution: { nodeSelectorTerms: [{ matchExpressions: [{ key: 'kubernetes.io/hostname', operator: 'In', values: ['src-a', 'src-b'] }, { key: 'pool', operator: 'Exists' }] }] } },
    podAntiAffinity: { requiredDuringSchedulingIgnoredDuringExecution: [{ labelSelector: { matchLabels: { app: 'web' } }, topologyKey: 'kubernetes.io/hostname' }] },
  });
  assert.equal(schedulingTemplate({ containers: [] }).affinity, undefined);
});

test('node names are translated to the nodes standing for them, in the selector and the affinity', () => {
  assert.deepEqual(nodeNamesIn(template), ['src-a', 'src-a', 'src-b']);
  const map = new Map([['src-a', 'sim-1'], ['src-b', 'sim-2']]);
  const spec = (workloadObject(workload('web'), map).spec as { template: { spec: Record<string, unknown> } }).template.spec;
  assert.deepEqual(spec.nodeSelector, { 'kubernetes.io/hostname': 'sim-1' });
  const expressions = (spec.affinity as { nodeAffinity: { requiredDuringSchedulingIgnoredDuringExecution: { nodeSelectorTerms: { matchExpressions: unknown[] }[] } } }).nodeAffinity.requiredDuringSchedulingIgnoredDuringExecution.nodeSelectorTerms[0].matchExpressions;
  assert.deepEqual(expressions, [{ key: 'kubernetes.io/hostname', operator: 'In', values: ['sim-1', 'sim-2'] }, { key: 'pool', operator: 'Exists' }]);
  assert.deepEqual(template.nodeSelector, { 'kubernetes.io/hostname': 'src-a' }, 'the shape itself is not changed');
  assert.equal(translateNodeNames(workload('plain', schedulingTemplate({ containers: [] })).template, map).nodeSelector, undefined);
});

test('a workload naming a node no rehearsal node stands for is not reproducible, and the notes say so', () => {
  const plain = workload('plain', schedulingTemplate({ containers: [] }));
  const web = workload('web');
  assert.deepEqual(unreproducible([plain, web], (n) => n === 'src-a'), [web]);
  assert.deepEqual(unreproducible([plain, web], (n) => n.startsWith('src-')), []);
  const shape = { joinTimes: { samples: 0 }, workloads: [plain, web], barePods: 0, groups: [{ name: 'nodes', nodes: ['src-a'] }] } as unknown as ClusterShape;
  const notes = rehearsalNotes(shape, { groups: [] } as unknown as RolloutPlan, new Map([['src-a', 'sim-1']]));
  assert.ok(notes.some((n) => n.startsWith('1 workload(s) (a/web) select a node by a name')), notes.join('\n'));
});
