// Every security group rule kopsdeck makes, compared line by line with kops'
// golden files (kubernetes/kops tests/integration/update_cluster/*/kubernetes.tf),
// read back from the simulator through the SDK. Lines are
// `<group> <in|out> <protocol> <ports> <source>` (cluster-resources.ts).
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { applyCluster, planCluster } from '../../src/engine/reconcile/cluster.js';
import { clusterFixture, startHarness, type Harness } from '../helpers/sim-reconcile.js';
import { ruleLines } from './cluster-resources.js';

let h: Harness;
before(async () => {
  h = await startHarness({ speed: 100 });
});
after(async () => h?.close());

async function rulesOf(options: Parameters<typeof clusterFixture>[0]): Promise<string[]> {
  const bundle = clusterFixture(options);
  const planned = await planCluster({ ...bundle, clients: h.clients, clock: h.clock });
  const applied = await applyCluster({ ...bundle, clients: h.clients, clock: h.clock, planned });
  assert.equal(applied.ok, true, applied.failed.map((f) => `${f.key}: ${f.error.message}`).join('\n'));
  return ruleLines(h.clients, options.name);
}

/** The rules of a one-zone public cluster without DNS, behind its API load balancer. */
const withoutDns = (c: string): string[] => [
  // minimal-dns-none: node-to-elb (nodes reach the API through the load balancer, having no DNS name for it).
  `api-elb.${c} in all - nodes.${c}`,
  // icmp-pmtu-api-elb-0-0-0-0--0, icmp-pmtu-cp-to-elb, icmpv6-pmtu-api-elb-__--0
  `api-elb.${c} in icmp 3-4 0.0.0.0/0`,
  `api-elb.${c} in icmp 3-4 masters.${c}`,
  `api-elb.${c} in icmpv6 -1--1 ::/0`,
  // from-0-0-0-0--0-ingress-tcp-443to443-api-elb, from-__--0-ingress-tcp-443to443-api-elb
  `api-elb.${c} in tcp 443-443 0.0.0.0/0`,
  `api-elb.${c} in tcp 443-443 ::/0`,
  `api-elb.${c} out all - 0.0.0.0/0`,
  `api-elb.${c} out all - ::/0`,
  `masters.${c} in all - masters.${c}`,
  // icmp-pmtu-elb-to-cp
  `masters.${c} in icmp 3-4 api-elb.${c}`,
  // Nodes reach the control plane on every port but etcd's 2380-2381 and 4001-4002.
  `masters.${c} in tcp 1-2379 nodes.${c}`,
  `masters.${c} in tcp 22-22 0.0.0.0/0`,
  `masters.${c} in tcp 22-22 ::/0`,
  `masters.${c} in tcp 2382-4000 nodes.${c}`,
  `masters.${c} in tcp 4003-65535 nodes.${c}`,
  // https-elb-to-master
  `masters.${c} in tcp 443-443 api-elb.${c}`,
  `masters.${c} in udp 1-65535 nodes.${c}`,
  `masters.${c} out all - 0.0.0.0/0`,
  `masters.${c} out all - ::/0`,
  `nodes.${c} in all - masters.${c}`,
  `nodes.${c} in all - nodes.${c}`,
  `nodes.${c} in tcp 22-22 0.0.0.0/0`,
  `nodes.${c} in tcp 22-22 ::/0`,
  `nodes.${c} out all - 0.0.0.0/0`,
  `nodes.${c} out all - ::/0`,
  // Left out on purpose: kops-controller-elb-to-cp (tcp 3988 from api-elb to
  // masters). kopsdeck's machines join with kubeadm, not through kops-controller,
  // so nothing listens on 3988 and the port stays closed.
];

test('a cluster without DNS (.k8s.local): exactly the rules of kops’ minimal-dns-none, but kops-controller’s port', async () => {
  assert.deepEqual(await rulesOf({ name: 'minimal.k8s.local', zones: ['us-east-1a'], controlPlaneCount: 1, nodeCount: 1, topology: 'public' }), withoutDns('minimal.k8s.local').sort());
});

test('a private cluster with a bastion: SSH reaches the machines only from the bastion, never from outside', async () => {
  const c = 'bastion.example.com';
  const rules = await rulesOf({ name: c, dnsZone: 'example.com', zones: ['us-east-1a'], controlPlaneCount: 1, nodeCount: 1, topology: 'private', bastion: true });
  // As privatecilium: from-bastion-...-ingress-tcp-22to22-masters and -nodes.
  const ssh = rules.filter((line) => / tcp 22-22 /.test(line));
  assert.deepEqual(ssh, [
    // kops puts the bastion behind its own load balancer (bastion-elb) and opens
    // 22 there; kopsdeck's bastion has a public address in a utility subnet and
    // opens 22 on its own group, to the same admin CIDRs (here kops' default,
    // everyone, in IPv4 and IPv6).
    `bastions.${c} in tcp 22-22 0.0.0.0/0`,
    `bastions.${c} in tcp 22-22 ::/0`,
    `masters.${c} in tcp 22-22 bastions.${c}`,
    `nodes.${c} in tcp 22-22 bastions.${c}`,
  ]);
  assert.deepEqual(rules.filter((line) => line.startsWith(`bastions.${c} out`)), [`bastions.${c} out all - 0.0.0.0/0`, `bastions.${c} out all - ::/0`]);
  // With DNS the nodes reach the API at api.<cluster>'s addresses, not through the load balancer: no node-to-elb.
  assert.equal(rules.includes(`api-elb.${c} in all - nodes.${c}`), false);
  // Nothing but the bastion and the API load balancer is open to the world.
  const open = rules.filter((line) => / in .* (0\.0\.0\.0\/0|::\/0)$/.test(line)).map((line) => line.split(' ')[0]);
  assert.deepEqual([...new Set(open)].sort(), [`api-elb.${c}`, `bastions.${c}`]);
});
