// Specs kops accepts and kopsdeck must read: a Cluster with no topology or
// api (kops' decoder fills them in: public DNS, an empty api), an IPv6 cluster
// whose subnets are DualStack or have only an ipv6CIDR, and an instance group
// Karpenter manages (no machineType, no sizes). Before, every read path
// refused such a cluster ("spec.topology is required"), so a kops user could
// not even list it. Reading them is not building them: kopsdeck's own apply
// still refuses IPv6 subnets and Karpenter groups, saying so.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse, stringify } from 'yaml';
import { asCluster, asInstanceGroup } from '../../src/engine/spec/index.js';
import { checkModel } from '../../src/engine/reconcile/model.js';
import { cliHarness } from '../helpers/cli-harness.js';

const NAME = 'ipv6.example.com';

/** A kops IPv6 cluster spec as a user or an older kops wrote it: no topology, no api. */
function ipv6Spec(original: Record<string, any>): Record<string, any> {
  const spec = { ...original.spec };
  delete spec.topology;
  delete spec.api;
  spec.nonMasqueradeCIDR = '::/0';
  spec.subnets = [
    { name: 'us-east-1a', zone: 'us-east-1a', type: 'Private', ipv6CIDR: '/64#1' },
    { name: 'dualstack-us-east-1a', zone: 'us-east-1a', type: 'DualStack', cidr: '172.20.32.0/19', ipv6CIDR: '/64#2' },
    { name: 'utility-us-east-1a', zone: 'us-east-1a', type: 'Utility', cidr: '172.20.0.0/22', ipv6CIDR: '/64#3' },
  ];
  return { ...original, spec };
}

const karpenterGroup = {
  apiVersion: 'kops.k8s.io/v1alpha2',
  kind: 'InstanceGroup',
  metadata: { name: 'karpenter-nodes', labels: { 'kops.k8s.io/cluster': NAME } },
  spec: { role: 'Node', manager: 'Karpenter', image: '099720109477/ubuntu/images/hvm-ssd-gp3/ubuntu-noble-24.04-amd64-server-20250610', subnets: ['us-east-1a'] },
};

test("a kops IPv6 cluster with a Karpenter group is read as kops reads it: listed, its groups shown, and kopsdeck's apply refuses what it cannot build", async () => {
  const cli = cliHarness();
  assert.equal((await cli.run(['create', 'cluster', NAME, '--zones', 'us-east-1a'])).code, 0);
  const configPath = join(cli.home, 'state', NAME, 'config');
  writeFileSync(configPath, stringify(ipv6Spec(parse(readFileSync(configPath, 'utf8')))));
  writeFileSync(join(cli.home, 'state', NAME, 'instancegroup', 'karpenter-nodes'), stringify(karpenterGroup));

  const clusters = await cli.run(['get', 'clusters']);
  assert.equal(clusters.code, 0, clusters.stderr);
  assert.match(clusters.stdout, new RegExp(`^${NAME.replace(/\./g, '\\.')}\\s+aws\\s+us-east-1a`, 'm'));

  const groups = await cli.run(['get', 'ig', '--name', NAME]);
  assert.equal(groups.code, 0, groups.stderr);
  assert.match(groups.stdout, /^karpenter-nodes\s+Node\s+\(Karpenter\)\s+us-east-1a$/m);

  const yaml = await cli.run(['get', 'cluster', NAME, '-o', 'yaml']);
  assert.equal(yaml.code, 0, yaml.stderr);
  assert.equal(parse(yaml.stdout)[0].spec.topology.dns.type, 'Public', "kops' default for a spec without topology");

  const stored = asCluster(parse(readFileSync(configPath, 'utf8')));
  assert.ok(stored.ok, JSON.stringify(!stored.ok && stored.errors));
  const karpenter = asInstanceGroup(karpenterGroup);
  assert.ok(karpenter.ok, JSON.stringify(!karpenter.ok && karpenter.errors));
  assert.deepEqual(checkModel(stored.value, [karpenter.value]).filter((p) => /IPv6|Karpenter/.test(p)), [
    'subnet us-east-1a: IPv6 subnets (DualStack, ipv6CIDR) are not supported by kopsdeck yet',
    'subnet dualstack-us-east-1a: IPv6 subnets (DualStack, ipv6CIDR) are not supported by kopsdeck yet',
    'subnet utility-us-east-1a: IPv6 subnets (DualStack, ipv6CIDR) are not supported by kopsdeck yet',
    'instance group karpenter-nodes: managed by Karpenter, which kopsdeck does not install or configure yet',
  ]);
});

test('an instance group that is not Karpenter\'s still needs its machine type and sizes', () => {
  const plain = asInstanceGroup({ ...karpenterGroup, spec: { ...karpenterGroup.spec, manager: undefined } });
  assert.ok(!plain.ok);
  assert.deepEqual(plain.errors.map((e) => e.path).sort(), ['spec.machineType', 'spec.maxSize', 'spec.minSize']);
  const unknownManager = asInstanceGroup({ ...karpenterGroup, spec: { ...karpenterGroup.spec, manager: 'Fargate' } });
  assert.ok(!unknownManager.ok && unknownManager.errors.some((e) => e.path === 'spec.manager'));
});
