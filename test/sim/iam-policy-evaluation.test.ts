// The simulator's IAM identity-policy evaluation: the policies kopsdeck
// renders for its machines let each read exactly its share of the state
// store, and the evaluation itself follows IAM's rules (explicit Deny wins,
// wildcards, NotAction, conditions, missing keys, malformed documents).
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { evaluatePolicies, roleAllows, type Decision, type RequestContext } from '../../src/sim/aws/iam/policy-evaluation.js';
import type { IamRole } from '../../src/sim/aws/world/iam-types.js';
import { rolePolicy, rolePolicyInput } from '../../src/engine/reconcile/iam/role-policies.js';
import { stableJson } from '../../src/engine/reconcile/iam/policy-document.js';
import { buildClusterSpec } from '../../src/engine/spec/defaults.js';

const CLUSTER = 'alpha.example.com';
const BASE = `arn:aws:s3:::bucket/prefix/${CLUSTER}`;
const { cluster } = buildClusterSpec({ name: CLUSTER, zones: ['us-east-1a'], topology: 'public', dnsZone: 'example.com', image: 'ami-12345678' });
// As identity-tasks.ts renders them, and as iam-role.ts sends them to PutRolePolicy.
const input = rolePolicyInput(cluster, 's3://bucket/prefix');
const rendered = { masters: stableJson(rolePolicy('masters', input)), nodes: stableJson(rolePolicy('nodes', input)) };

const role = (name: string, inlinePolicies: Record<string, string>, attachedPolicies: string[] = []): IamRole => ({
  name,
  id: 'AROAEXAMPLE',
  arn: `arn:aws:iam::123456789012:role/${name}`,
  path: '/',
  assumeRolePolicy: '{}',
  maxSessionDuration: 3600,
  createdAt: 0,
  tags: {},
  inlinePolicies,
  attachedPolicies,
});
const roles = { masters: role(`masters.${CLUSTER}`, { [`masters.${CLUSTER}`]: rendered.masters }), nodes: role(`nodes.${CLUSTER}`, { [`nodes.${CLUSTER}`]: rendered.nodes }) };

interface Case {
  name: string;
  decide: () => Decision;
  /** true, or a substring of the deny reason. */
  expect: true | string;
}

function check(c: Case) {
  const decision = c.decide();
  if (c.expect === true) return assert.deepEqual(decision, { allowed: true });
  assert.equal(decision.allowed, false, 'denied');
  assert.ok(!decision.allowed && decision.reason.includes(c.expect), `reason: ${!decision.allowed && decision.reason}`);
}

const implicit = (action: string) => `because no identity-based policy allows the ${action} action`;
const EXPLICIT = 'with an explicit deny in an identity-based policy';

describe('the policies kopsdeck renders', () => {
  const cases: Case[] = [
    { name: 'control plane reads the CA key', decide: () => roleAllows(roles.masters, 's3:GetObject', `${BASE}/pki/ca.key`), expect: true },
    { name: 'control plane writes a bootstrap lock', decide: () => roleAllows(roles.masters, 's3:PutObject', `${BASE}/bootstrap/lock`), expect: true },
    {
      name: 'control plane lists its pki prefix',
      decide: () => roleAllows(roles.masters, 's3:ListBucket', 'arn:aws:s3:::bucket', { 's3:prefix': `prefix/${CLUSTER}/pki/` }),
      expect: true,
    },
    { name: 'nodes read the CA certificate', decide: () => roleAllows(roles.nodes, 's3:GetObject', `${BASE}/pki/ca.crt`), expect: true },
    { name: 'nodes read the bootstrap token', decide: () => roleAllows(roles.nodes, 's3:GetObject', `${BASE}/secrets/bootstrap-token`), expect: true },
    {
      name: 'nodes may not read the CA key',
      decide: () => roleAllows(roles.nodes, 's3:GetObject', `${BASE}/pki/ca.key`),
      expect: `User: ${roles.nodes.arn} is not authorized to perform: s3:GetObject on resource: ${BASE}/pki/ca.key ${implicit('s3:GetObject')}`,
    },
    { name: 'nodes may not write', decide: () => roleAllows(roles.nodes, 's3:PutObject', `${BASE}/bootstrap/lock`), expect: implicit('s3:PutObject') },
    {
      name: "control plane may not read another cluster's key",
      decide: () => roleAllows(roles.masters, 's3:GetObject', 'arn:aws:s3:::bucket/prefix/beta.example.com/pki/ca.key'),
      expect: 'on resource: arn:aws:s3:::bucket/prefix/beta.example.com/pki/ca.key because no identity-based policy allows',
    },
    {
      // As kops grants it: S3 answers a GET or HEAD of a missing key with 404 (not 403) only to a principal that may list the bucket.
      name: 'control plane may list the bucket (key names only), without a prefix too',
      decide: () => roleAllows(roles.masters, 's3:ListBucket', 'arn:aws:s3:::bucket'),
      expect: true,
    },
    {
      name: 'nodes may not list the bucket',
      decide: () => roleAllows(roles.nodes, 's3:ListBucket', 'arn:aws:s3:::bucket'),
      expect: implicit('s3:ListBucket'),
    },
    {
      name: 'control plane may not write outside bootstrap/',
      decide: () => roleAllows(roles.masters, 's3:PutObject', `${BASE}/pki/ca.key`),
      expect: implicit('s3:PutObject'),
    },
    {
      name: 'the policy also reads back URL-encoded, as GetRolePolicy returns it',
      decide: () => evaluatePolicies([encodeURIComponent(rendered.nodes)], 's3:GetObject', `${BASE}/pki/ca.crt`),
      expect: true,
    },
    {
      name: 'a role with only managed policies is denied, and told why',
      decide: () => roleAllows(role('managed', {}, ['arn:aws:iam::aws:policy/AmazonS3ReadOnlyAccess']), 's3:GetObject', `${BASE}/pki/ca.crt`),
      expect: 'its only policies are managed ones, which the simulator does not model: arn:aws:iam::aws:policy/AmazonS3ReadOnlyAccess',
    },
  ];
  for (const c of cases) it(c.name, () => check(c));
});

const doc = (...Statement: object[]) => JSON.stringify({ Version: '2012-10-17', Statement });
const evaluate = (documents: string[], action: string, resource: string, context?: RequestContext) => () => evaluatePolicies(documents, action, resource, context);

describe('IAM evaluation rules', () => {
  const readAll = doc({ Effect: 'Allow', Action: 's3:*', Resource: '*' });
  const cases: Case[] = [
    { name: 'action wildcard, case-insensitive', decide: evaluate([readAll], 'S3:GetObject', 'arn:aws:s3:::b/k'), expect: true },
    { name: '? matches one character', decide: evaluate([doc({ Effect: 'Allow', Action: 's3:Get?bject', Resource: '*' })], 's3:GetObject', 'x'), expect: true },
    { name: 'another service is not matched', decide: evaluate([readAll], 'ec2:DescribeInstances', '*'), expect: implicit('ec2:DescribeInstances') },
    {
      name: 'Statement as an object, resource wildcard spans slashes',
      decide: evaluate([JSON.stringify({ Version: '2012-10-17', Statement: { Effect: 'Allow', Action: ['s3:GetObject'], Resource: 'arn:aws:s3:::b/*' } })], 's3:GetObject', 'arn:aws:s3:::b/x/y'),
      expect: true,
    },
    {
      name: 'resources are case-sensitive',
      decide: evaluate([doc({ Effect: 'Allow', Action: 's3:GetObject', Resource: 'arn:aws:s3:::b/Key' })], 's3:GetObject', 'arn:aws:s3:::b/key'),
      expect: implicit('s3:GetObject'),
    },
    {
      name: 'NotAction allows everything else',
      decide: evaluate([doc({ Effect: 'Allow', NotAction: 'iam:*', Resource: '*' })], 's3:GetObject', 'arn:aws:s3:::b/k'),
      expect: true,
    },
    { name: 'NotAction excludes its actions', decide: evaluate([doc({ Effect: 'Allow', NotAction: ['iam:*'], Resource: '*' })], 'iam:PassRole', '*'), expect: implicit('iam:PassRole') },
    {
      name: 'NotResource excludes its resources',
      decide: evaluate([doc({ Effect: 'Allow', Action: 's3:GetObject', NotResource: 'arn:aws:s3:::b/secret/*' })], 's3:GetObject', 'arn:aws:s3:::b/secret/k'),
      expect: implicit('s3:GetObject'),
    },
    {
      name: 'an explicit Deny wins over an Allow in another document',
      decide: evaluate([readAll, doc({ Effect: 'Deny', Action: 's3:GetObject', Resource: 'arn:aws:s3:::b/pki/*' })], 's3:GetObject', 'arn:aws:s3:::b/pki/ca.key'),
      expect: `User: principal is not authorized to perform: s3:GetObject on resource: arn:aws:s3:::b/pki/ca.key ${EXPLICIT}`,
    },
    {
      name: 'a Deny that does not match leaves the Allow',
      decide: evaluate([readAll, doc({ Effect: 'Deny', Action: 's3:GetObject', Resource: 'arn:aws:s3:::b/pki/*' })], 's3:GetObject', 'arn:aws:s3:::b/addons/x'),
      expect: true,
    },
    {
      name: 'StringLike with a missing key does not hold',
      decide: evaluate([doc({ Effect: 'Allow', Action: 's3:ListBucket', Resource: '*', Condition: { StringLike: { 's3:prefix': 'a/*' } } })], 's3:ListBucket', 'arn:aws:s3:::b'),
      expect: implicit('s3:ListBucket'),
    },
    {
      name: 'StringNotEquals with a missing key holds (so this Deny applies)',
      decide: evaluate([readAll, doc({ Effect: 'Deny', Action: '*', Resource: '*', Condition: { StringNotEquals: { 'aws:SourceVpc': 'vpc-1' } } })], 's3:GetObject', 'arn:aws:s3:::b/k'),
      expect: EXPLICIT,
    },
    {
      name: "StringNotLike: no value matches, and a key's values are OR'ed",
      decide: evaluate([doc({ Effect: 'Allow', Action: 's3:ListBucket', Resource: '*', Condition: { StringNotLike: { 's3:prefix': ['a/*', 'b/*'] } } })], 's3:ListBucket', '*', { 's3:prefix': 'c/' }),
      expect: true,
    },
    {
      name: "operators are AND'ed: one failing denies",
      decide: evaluate(
        [doc({ Effect: 'Allow', Action: 's3:ListBucket', Resource: '*', Condition: { StringLike: { 's3:prefix': 'a/*' }, StringEquals: { 'aws:SourceVpc': 'vpc-1' } } })],
        's3:ListBucket',
        '*',
        { 's3:prefix': 'a/x', 'aws:SourceVpc': 'vpc-2' },
      ),
      expect: implicit('s3:ListBucket'),
    },
    {
      name: 'Bool, with condition keys case-insensitive',
      decide: evaluate([doc({ Effect: 'Allow', Action: '*', Resource: '*', Condition: { Bool: { 'aws:SecureTransport': true } } })], 's3:GetObject', 'k', { 'AWS:securetransport': 'TRUE' }),
      expect: true,
    },
    {
      name: 'ArnLike compares part by part',
      decide: evaluate([doc({ Effect: 'Allow', Action: '*', Resource: '*', Condition: { ArnLike: { 'aws:SourceArn': 'arn:aws:ec2:*:*:instance/*' } } })], 'ec2:X', '*', {
        'aws:SourceArn': 'arn:aws:ec2:us-east-1:123456789012:instance/i-1',
      }),
      expect: true,
    },
    {
      name: 'ArnEquals refuses another ARN',
      decide: evaluate([doc({ Effect: 'Allow', Action: '*', Resource: '*', Condition: { ArnEquals: { 'aws:SourceArn': 'arn:aws:iam::1:role/a' } } })], 'ec2:X', '*', {
        'aws:SourceArn': 'arn:aws:iam::1:role/b',
      }),
      expect: implicit('ec2:X'),
    },
    {
      name: 'an unknown operator grants nothing',
      decide: evaluate([doc({ Effect: 'Allow', Action: '*', Resource: '*', Condition: { NumericLessThan: { 'aws:MultiFactorAuthAge': '3600' } } })], 'ec2:X', '*', {
        'aws:MultiFactorAuthAge': '10',
      }),
      expect: implicit('ec2:X'),
    },
    { name: 'invalid JSON is ignored', decide: evaluate(['{"Statement": [', readAll.slice(0, -1)], 's3:GetObject', 'k'), expect: implicit('s3:GetObject') },
    { name: 'invalid URL encoding is ignored', decide: evaluate(['%7B%E0%A4%A'], 's3:GetObject', 'k'), expect: implicit('s3:GetObject') },
    { name: 'no documents at all', decide: evaluate([], 's3:GetObject', 'k'), expect: implicit('s3:GetObject') },
  ];
  for (const c of cases) it(c.name, () => check(c));
});
