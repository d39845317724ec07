// Ownership decisions on hand-made snapshots: no AWS, no simulator.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { AutoScalingGroup } from '@aws-sdk/client-auto-scaling';
import { decodeUserData, renderUserDataBase64 } from '../../src/engine/bootstrap/user-data.js';
import type { LaunchTemplateState } from '../../src/engine/cloud/aws/discovery.js';
import { groupNamesOf, instanceGroupOfGroupName, kopsGroupName, kopsRoleOfGroupName } from '../../src/engine/cloud/aws/tags.js';
import {
  autoScalingGroupVerdict,
  bootstrapKindOfScript,
  cloudEvidence,
  decideOwnership,
  launchTemplateVerdict,
  refusalSentence,
  storeEvidence,
  type ClusterOwnership,
} from '../../src/engine/ownership/index.js';

const CLUSTER = 'demo.example.com';
const kopsdeckUserData = (ig: string) => renderUserDataBase64({ cluster: CLUSTER, instanceGroup: ig, kubernetesVersion: '1.31.4', role: 'Node', region: 'us-east-1' });
const NODEUP = [
  '#!/bin/bash',
  'NODEUP_URL_AMD64=https://artifacts.k8s.io/binaries/kops/1.36.2/linux/amd64/nodeup',
  "cat > conf/kube_env.yaml << '__EOF_KUBE_ENV'",
  `ClusterName: ${CLUSTER}`,
  'InstanceGroupName: nodes',
  'InstanceGroupRole: Node',
  '__EOF_KUBE_ENV',
].join('\n');
const b64 = (text: string) => Buffer.from(text, 'utf8').toString('base64');

function template(name: string, userData: string | undefined, extra: Record<string, unknown> = {}): LaunchTemplateState {
  return {
    template: { LaunchTemplateName: name, LaunchTemplateId: `lt-${name.length}${name.charCodeAt(0)}` },
    latest: { LaunchTemplateData: { UserData: userData, ...extra } },
  };
}

function group(name: string, templateState: LaunchTemplateState): AutoScalingGroup {
  return {
    AutoScalingGroupName: name,
    LaunchTemplate: { LaunchTemplateId: templateState.template.LaunchTemplateId, Version: '$Latest' },
  } as AutoScalingGroup;
}

const kopsdeckCluster: ClusterOwnership = { cluster: CLUSTER, manager: 'kopsdeck', evidence: [] };

test("kopsdeck's own bootstrap, nodeup and anything else are told apart", () => {
  assert.equal(bootstrapKindOfScript(decodeUserData(kopsdeckUserData('nodes'))), 'kopsdeck');
  assert.equal(bootstrapKindOfScript(NODEUP), 'nodeup');
  assert.equal(bootstrapKindOfScript('#!/bin/bash\nexport CLUSTER_NAME=x\nexport INSTANCE_GROUP=y\n'), 'other', 'exports alone are not kopsdeck’s bootstrap');
  assert.equal(bootstrapKindOfScript(''), 'none');
});

test("kops' group names for every role, and back", () => {
  assert.equal(kopsGroupName(CLUSTER, 'control-plane-us-east-1a', 'ControlPlane'), `control-plane-us-east-1a.masters.${CLUSTER}`);
  assert.equal(kopsGroupName(CLUSTER, 'master-us-east-1a', 'Master'), `master-us-east-1a.masters.${CLUSTER}`);
  assert.equal(kopsGroupName(CLUSTER, 'apiserver-a', 'APIServer'), `apiserver-a.apiservers.${CLUSTER}`);
  assert.equal(kopsGroupName(CLUSTER, 'nodes', 'Node'), `nodes.${CLUSTER}`);
  assert.equal(kopsGroupName(CLUSTER, 'bastions', 'Bastion'), `bastions.${CLUSTER}`);
  assert.deepEqual(groupNamesOf(CLUSTER, 'cp', 'ControlPlane'), [`cp.masters.${CLUSTER}`, `cp.${CLUSTER}`], "kops' name first: new groups get it");
  assert.deepEqual(groupNamesOf(CLUSTER, 'nodes', 'Node'), [`nodes.${CLUSTER}`]);
  assert.equal(instanceGroupOfGroupName(CLUSTER, `cp.masters.${CLUSTER}`), 'cp');
  assert.equal(instanceGroupOfGroupName(CLUSTER, `api.apiservers.${CLUSTER}`), 'api');
  assert.equal(instanceGroupOfGroupName(CLUSTER, `nodes.${CLUSTER}`), 'nodes');
  assert.equal(kopsRoleOfGroupName(CLUSTER, `cp.masters.${CLUSTER}`), 'ControlPlane');
  assert.equal(kopsRoleOfGroupName(CLUSTER, `nodes.${CLUSTER}`), undefined);
});

test("kops' control-plane name on a group that launches kopsdeck's bootstrap is no evidence; on one that launches nodeup it is", () => {
  const ours = template(`cp.masters.${CLUSTER}`, kopsdeckUserData('cp'));
  const quiet = cloudEvidence({ clusterName: CLUSTER, launchTemplates: [ours], autoScalingGroups: [group(`cp.masters.${CLUSTER}`, ours)], loadBalancers: { loadBalancers: [], targetGroups: [] } });
  assert.deepEqual(quiet, []);
  const theirs = template(`cp.masters.${CLUSTER}`, NODEUP);
  const loud = cloudEvidence({ clusterName: CLUSTER, launchTemplates: [theirs], autoScalingGroups: [group(`cp.masters.${CLUSTER}`, theirs)], loadBalancers: { loadBalancers: [], targetGroups: [] } });
  assert.deepEqual(loud.map((e) => e.kind).sort(), ['group-name', 'launch-template']);
});

test('a cluster of kopsdeck launch templates and kopsdeck names shows no evidence', () => {
  const lt = template(`nodes.${CLUSTER}`, kopsdeckUserData('nodes'));
  const evidence = cloudEvidence({ clusterName: CLUSTER, launchTemplates: [lt], autoScalingGroups: [group(`nodes.${CLUSTER}`, lt)], loadBalancers: { loadBalancers: [], targetGroups: [] } });
  assert.deepEqual(evidence, []);
  assert.equal(decideOwnership(CLUSTER, evidence).manager, 'kopsdeck');
});

test('every kops fingerprint is evidence, each with a phrase naming the resource', () => {
  const nodeup = template(`nodes.${CLUSTER}`, b64(NODEUP), { IamInstanceProfile: { Name: `nodes.${CLUSTER}` } });
  const other = template(`extra.${CLUSTER}`, b64('#!/bin/bash\necho hello\n'));
  const evidence = cloudEvidence({
    clusterName: CLUSTER,
    launchTemplates: [nodeup, other],
    autoScalingGroups: [group(`control-plane-a.masters.${CLUSTER}`, nodeup), group(`api-a.apiservers.${CLUSTER}`, nodeup)],
    loadBalancers: { loadBalancers: [{ name: 'api-demo-example-com-x1', arn: 'arn:lb', type: 'network', tags: {} }], targetGroups: [{ name: 'tcp-demo-example-com-x2', arn: 'arn:tg', tags: {} }] },
  });
  const phrases = evidence.map((e) => e.phrase);
  assert.deepEqual(evidence.map((e) => e.kind), ['launch-template', 'instance-profile', 'launch-template', 'group-name', 'group-name', 'load-balancer', 'target-group']);
  assert.ok(phrases.includes(`launch template nodes.${CLUSTER} boots with nodeup, kops' bootstrap`));
  assert.ok(phrases.includes(`launch template extra.${CLUSTER} boots with a user-data that is not kopsdeck's bootstrap`));
  assert.ok(phrases.some((p) => p.includes(`IAM instance profile nodes.${CLUSTER}`)));
  assert.ok(phrases.includes(`auto scaling group control-plane-a.masters.${CLUSTER} has kops' control-plane name (<ig>.masters.<cluster>)`));
  assert.ok(phrases.some((p) => p.startsWith(`auto scaling group api-a.apiservers.${CLUSTER} has kops' API server name`)));
});

test('load balancers Kubernetes made for a Service are not evidence', () => {
  const service = { name: 'a1b2c3', arn: 'arn:lb:svc', type: 'network', tags: { KubernetesCluster: CLUSTER, 'kubernetes.io/service-name': 'default/web' } };
  const ingress = { name: 'k8s-web', arn: 'arn:lb:ing', type: 'application', tags: { 'elbv2.k8s.aws/cluster': CLUSTER } };
  assert.deepEqual(cloudEvidence({ clusterName: CLUSTER, launchTemplates: [], autoScalingGroups: [], loadBalancers: { loadBalancers: [service, ingress], targetGroups: [] } }), []);
});

test("kops' own state-store objects are evidence; an unreadable template version is not", () => {
  assert.deepEqual(storeEvidence(CLUSTER, { completedSpec: false }), []);
  const evidence = storeEvidence(CLUSTER, { kopsVersion: '1.36.2\n', completedSpec: true });
  assert.deepEqual(evidence.map((e) => e.resource), [`${CLUSTER}/kops-version.txt`, `${CLUSTER}/cluster-completed.spec`]);
  assert.equal(evidence[0].phrase, 'its state store holds kops-version.txt, written by kops 1.36.2');
  const unreadable: LaunchTemplateState = { template: { LaunchTemplateName: 'x', LaunchTemplateId: 'lt-1' }, latest: null };
  assert.deepEqual(cloudEvidence({ clusterName: CLUSTER, launchTemplates: [unreadable], autoScalingGroups: [] }), []);
});

test('the refusal is one sentence: the first piece of evidence, how many more, and the kops command', () => {
  const ownership = decideOwnership(CLUSTER, storeEvidence(CLUSTER, { kopsVersion: '1.36.2', completedSpec: true }));
  assert.equal(ownership.manager, 'kops');
  assert.equal(
    refusalSentence(ownership, 'update'),
    `Cluster "${CLUSTER}" was made by kops (its state store holds kops-version.txt, written by kops 1.36.2, and 1 more sign), so kopsdeck changes nothing in it: run \`kops update cluster ${CLUSTER} --yes\` instead.`,
  );
  assert.match(refusalSentence(ownership, 'delete'), /deletes nothing of it: run `kops delete cluster demo\.example\.com --yes` instead\.$/);
});

test('per resource: only templates with kopsdeck’s bootstrap, and groups using them, are kopsdeck’s; nothing on a kops cluster', () => {
  const mine = template(`nodes.${CLUSTER}`, kopsdeckUserData('nodes'));
  const nodeup = template(`extra.${CLUSTER}`, b64(NODEUP));
  assert.deepEqual(launchTemplateVerdict(kopsdeckCluster, mine), { owned: true });
  assert.deepEqual(launchTemplateVerdict(kopsdeckCluster, nodeup), { owned: false, reason: "it boots with nodeup, kops' bootstrap" });
  assert.deepEqual(autoScalingGroupVerdict(kopsdeckCluster, group(`nodes.${CLUSTER}`, mine), [mine, nodeup]), { owned: true });
  assert.equal(autoScalingGroupVerdict(kopsdeckCluster, group(`extra.${CLUSTER}`, nodeup), [mine, nodeup]).owned, false);
  const orphan = { AutoScalingGroupName: 'orphan', LaunchTemplate: { LaunchTemplateId: 'lt-gone' } } as AutoScalingGroup;
  assert.deepEqual(autoScalingGroupVerdict(kopsdeckCluster, orphan, [mine]), { owned: false, reason: "its launch template is not one of the cluster's" });
  const kops: ClusterOwnership = { cluster: CLUSTER, manager: 'kops', evidence: [] };
  assert.equal(launchTemplateVerdict(kops, mine).owned, false);
  assert.equal(autoScalingGroupVerdict(kops, group(`nodes.${CLUSTER}`, mine), [mine]).owned, false);
});
