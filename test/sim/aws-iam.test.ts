// IAM and EC2 key pairs in the simulator, through the real SDK clients: roles,
// inline policies and instance profiles with IAM's error codes, key pairs with
// EC2's, launches refused as EC2 refuses them (a missing instance profile or
// key pair becomes the auto scaling group's failed launch activity), and IAM
// kept with the world across a restart.
import assert from 'node:assert/strict';
import { generateKeyPairSync } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import * as iam from '@aws-sdk/client-iam';
import * as ec2 from '@aws-sdk/client-ec2';
import * as as from '@aws-sdk/client-auto-scaling';
import { clientConfig, createGroup, createNetworkAndTemplate, rejection, startFixture, waitFor, type SimFixture } from '../helpers/sim-aws.js';

const TRUST = JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: { Service: 'ec2.amazonaws.com' }, Action: 'sts:AssumeRole' }] });
const POLICY = JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 'ec2:DescribeInstances', Resource: '*' }] });

/** An OpenSSH ed25519 public key line, made here. */
function ed25519PublicKey(): string {
  const raw = Buffer.from(generateKeyPairSync('ed25519').publicKey.export({ format: 'jwk' }).x!, 'base64url');
  const lengthPrefixed = (b: Buffer) => {
    const length = Buffer.alloc(4);
    length.writeUInt32BE(b.length);
    return Buffer.concat([length, b]);
  };
  return `ssh-ed25519 ${Buffer.concat([lengthPrefixed(Buffer.from('ssh-ed25519')), lengthPrefixed(raw)]).toString('base64')} test@sim`;
}

describe('simulated IAM and key pairs', () => {
  let f: SimFixture;
  let client: iam.IAMClient;
  before(async () => {
    f = await startFixture({ speed: 100 }, true);
    client = new iam.IAMClient(clientConfig(f.sim));
  });
  after(async () => {
    client.destroy();
    await f.close();
  });

  it('makes a role with tags and an inline policy, read back URL-encoded as IAM does', async () => {
    const tags = [{ Key: 'KubernetesCluster', Value: 'a.example.com' }];
    const created = await client.send(new iam.CreateRoleCommand({ RoleName: 'masters.a.example.com', AssumeRolePolicyDocument: TRUST, Tags: tags }));
    assert.match(created.Role!.Arn!, /^arn:aws:iam::\d{12}:role\/masters\.a\.example\.com$/);
    assert.match(created.Role!.RoleId!, /^AROA[0-9A-F]{17}$/);
    const role = (await client.send(new iam.GetRoleCommand({ RoleName: 'masters.a.example.com' }))).Role!;
    assert.equal(decodeURIComponent(role.AssumeRolePolicyDocument!), TRUST);
    assert.deepEqual(role.Tags, tags);
    await client.send(new iam.PutRolePolicyCommand({ RoleName: 'masters.a.example.com', PolicyName: 'masters.a.example.com', PolicyDocument: POLICY }));
    const policy = await client.send(new iam.GetRolePolicyCommand({ RoleName: 'masters.a.example.com', PolicyName: 'masters.a.example.com' }));
    assert.equal(decodeURIComponent(policy.PolicyDocument!), POLICY);
    assert.deepEqual((await client.send(new iam.ListRolePoliciesCommand({ RoleName: 'masters.a.example.com' }))).PolicyNames, ['masters.a.example.com']);
  });

  it("answers with IAM's error codes: NoSuchEntity, EntityAlreadyExists, DeleteConflict, MalformedPolicyDocument", async () => {
    const missing = await rejection(() => client.send(new iam.GetRoleCommand({ RoleName: 'nobody' })));
    assert.ok(missing instanceof iam.NoSuchEntityException);
    assert.equal(missing.$metadata?.httpStatusCode, 404);
    assert.match(missing.message, /The role with name nobody cannot be found/);
    const twice = await rejection(() => client.send(new iam.CreateRoleCommand({ RoleName: 'masters.a.example.com', AssumeRolePolicyDocument: TRUST })));
    assert.ok(twice instanceof iam.EntityAlreadyExistsException);
    const withPolicy = await rejection(() => client.send(new iam.DeleteRoleCommand({ RoleName: 'masters.a.example.com' })));
    assert.ok(withPolicy instanceof iam.DeleteConflictException);
    assert.match(withPolicy.message, /must delete policies first/);
    const malformed = await rejection(() => client.send(new iam.PutRolePolicyCommand({ RoleName: 'masters.a.example.com', PolicyName: 'x', PolicyDocument: '{not json' })));
    assert.ok(malformed instanceof iam.MalformedPolicyDocumentException);
    assert.ok((await rejection(() => client.send(new iam.GetInstanceProfileCommand({ InstanceProfileName: 'nobody' })))) instanceof iam.NoSuchEntityException);
  });

  it('an instance profile holds one role; neither can be deleted while they hold on to each other', async () => {
    await client.send(new iam.CreateInstanceProfileCommand({ InstanceProfileName: 'masters.a.example.com', Tags: [{ Key: 'KubernetesCluster', Value: 'a.example.com' }] }));
    await client.send(new iam.AddRoleToInstanceProfileCommand({ InstanceProfileName: 'masters.a.example.com', RoleName: 'masters.a.example.com' }));
    const profile = (await client.send(new iam.GetInstanceProfileCommand({ InstanceProfileName: 'masters.a.example.com' }))).InstanceProfile!;
    assert.deepEqual(profile.Roles?.map((r) => r.RoleName), ['masters.a.example.com']);
    assert.match(profile.Arn!, /:instance-profile\/masters\.a\.example\.com$/);
    const forRole = await client.send(new iam.ListInstanceProfilesForRoleCommand({ RoleName: 'masters.a.example.com' }));
    assert.deepEqual(forRole.InstanceProfiles?.map((p) => p.InstanceProfileName), ['masters.a.example.com']);
    assert.ok((await rejection(() => client.send(new iam.AddRoleToInstanceProfileCommand({ InstanceProfileName: 'masters.a.example.com', RoleName: 'masters.a.example.com' })))) instanceof iam.LimitExceededException);
    const held = await rejection(() => client.send(new iam.DeleteInstanceProfileCommand({ InstanceProfileName: 'masters.a.example.com' })));
    assert.ok(held instanceof iam.DeleteConflictException);
    await client.send(new iam.DeleteRolePolicyCommand({ RoleName: 'masters.a.example.com', PolicyName: 'masters.a.example.com' }));
    const inProfile = await rejection(() => client.send(new iam.DeleteRoleCommand({ RoleName: 'masters.a.example.com' })));
    assert.match(inProfile.message, /must remove roles from instance profile first/);
  });

  it("imports, lists and deletes key pairs with EC2's errors", async () => {
    const publicKey = ed25519PublicKey();
    const imported = await f.ec2.send(
      new ec2.ImportKeyPairCommand({ KeyName: 'kubernetes.a.example.com-aa', PublicKeyMaterial: Buffer.from(publicKey), TagSpecifications: [{ ResourceType: 'key-pair', Tags: [{ Key: 'KubernetesCluster', Value: 'a.example.com' }] }] }),
    );
    assert.match(imported.KeyPairId!, /^key-[0-9a-f]{17}$/);
    const duplicate = await rejection(() => f.ec2.send(new ec2.ImportKeyPairCommand({ KeyName: 'kubernetes.a.example.com-aa', PublicKeyMaterial: Buffer.from(publicKey) })));
    assert.equal(duplicate.name, 'InvalidKeyPair.Duplicate');
    const damaged = await rejection(() => f.ec2.send(new ec2.ImportKeyPairCommand({ KeyName: 'bad', PublicKeyMaterial: Buffer.from('ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIBbX') })));
    assert.equal(damaged.name, 'InvalidKey.Format');
    const listed = (await f.ec2.send(new ec2.DescribeKeyPairsCommand({ Filters: [{ Name: 'tag:KubernetesCluster', Values: ['a.example.com'] }], IncludePublicKey: true }))).KeyPairs!;
    assert.deepEqual(listed.map((k) => [k.KeyName, k.KeyType, k.PublicKey]), [['kubernetes.a.example.com-aa', 'ed25519', publicKey]]);
    const missing = await rejection(() => f.ec2.send(new ec2.DescribeKeyPairsCommand({ KeyNames: ['nope'] })));
    assert.equal(missing.name, 'InvalidKeyPair.NotFound');
    assert.match(missing.message, /The key pair 'nope' does not exist/);
    // A missing name is no error on EC2; a missing id is.
    await f.ec2.send(new ec2.DeleteKeyPairCommand({ KeyName: 'nope' }));
    assert.equal((await rejection(() => f.ec2.send(new ec2.DeleteKeyPairCommand({ KeyPairId: 'key-00000000000000000' })))).name, 'InvalidKeyPair.NotFound');
  });

  it('a launch naming a missing instance profile or key pair fails as EC2 does, recorded as a failed launch activity', async () => {
    const net = await createNetworkAndTemplate(f, 'launch.example.com');
    const profileGroup = await createGroup(f, net, 0, 'launch.example.com');
    const cases: [ec2.RequestLaunchTemplateData, RegExp][] = [
      [{ IamInstanceProfile: { Name: 'ghost.launch.example.com' } }, /InvalidParameterValue: Value \(ghost\.launch\.example\.com\) for parameter iamInstanceProfile\.name is invalid\. Invalid IAM Instance Profile name/],
      [{ KeyName: 'ghost-key' }, /InvalidKeyPair\.NotFound: The key pair 'ghost-key' does not exist/],
    ];
    for (const [data, message] of cases) {
      const version = await f.ec2.send(new ec2.CreateLaunchTemplateVersionCommand({ LaunchTemplateId: net.templateId, SourceVersion: '1', LaunchTemplateData: data }));
      await f.asg.send(new as.UpdateAutoScalingGroupCommand({ AutoScalingGroupName: profileGroup, LaunchTemplate: { LaunchTemplateId: net.templateId, Version: String(version.LaunchTemplateVersion!.VersionNumber) }, DesiredCapacity: 1 }));
      const failed = await waitFor('a failed launch activity', async () => {
        const activities = (await f.asg.send(new as.DescribeScalingActivitiesCommand({ AutoScalingGroupName: profileGroup }))).Activities ?? [];
        return activities.find((a) => a.StatusCode === 'Failed' && message.test(a.StatusMessage ?? ''));
      });
      assert.match(failed.Description!, /Launching a new EC2 instance\. {2}Status Reason: /);
      await f.asg.send(new as.UpdateAutoScalingGroupCommand({ AutoScalingGroupName: profileGroup, DesiredCapacity: 0 }));
    }
    const running = await f.ec2.send(new ec2.DescribeInstancesCommand({ Filters: [{ Name: 'tag:aws:autoscaling:groupName', Values: [profileGroup] }] }));
    assert.equal(running.Reservations?.length ?? 0, 0, 'nothing was launched');
  });

  it('an instance launched with an existing profile shows it in DescribeInstances', async () => {
    await client.send(new iam.CreateInstanceProfileCommand({ InstanceProfileName: 'nodes.launch.example.com' }));
    const net = await createNetworkAndTemplate(f, 'good.example.com');
    await f.ec2.send(new ec2.CreateLaunchTemplateVersionCommand({ LaunchTemplateId: net.templateId, SourceVersion: '1', LaunchTemplateData: { IamInstanceProfile: { Name: 'nodes.launch.example.com' } } }));
    const group = await createGroup(f, net, 1, 'good.example.com');
    const instance = await waitFor('an instance with its profile', async () => {
      const out = await f.ec2.send(new ec2.DescribeInstancesCommand({ Filters: [{ Name: 'tag:aws:autoscaling:groupName', Values: [group] }] }));
      return out.Reservations?.[0]?.Instances?.[0];
    });
    assert.match(instance.IamInstanceProfile?.Arn ?? '', /:instance-profile\/nodes\.launch\.example\.com$/);
    assert.match(instance.IamInstanceProfile?.Id ?? '', /^AIPA/);
  });

  it('IAM is kept with the world across a restart', async () => {
    const dir = f.dir;
    client.destroy();
    await f.close(); // the world is saved; the directory is kept
    f = await startFixture({ speed: 100, dir });
    client = new iam.IAMClient(clientConfig(f.sim));
    const role = (await client.send(new iam.GetRoleCommand({ RoleName: 'masters.a.example.com' }))).Role!;
    assert.equal(role.RoleName, 'masters.a.example.com');
    const pairs = (await f.ec2.send(new ec2.DescribeKeyPairsCommand({}))).KeyPairs ?? [];
    assert.deepEqual(pairs.map((k) => k.KeyName), ['kubernetes.a.example.com-aa']);
  });
});
