// The cluster's EC2 key pair, imported from its admin SSH public key (kops'
// SSHKey task): named `kubernetes.<cluster>-<fingerprint>`, so another key is
// another key pair and the name alone says which key it holds; tagged for the
// cluster so that delete finds it.
import { CreateTagsCommand, ImportKeyPairCommand, type KeyPairInfo } from '@aws-sdk/client-ec2';
import { fromTagList, toTagList, type TagMap } from '../../cloud/aws/tags.js';
import type { SshPublicKey } from '../../ssh/public-key.js';
import { compareTags, taskKey, type Task } from '../task.js';
import { changedTags } from './iam-role.js';
import { dataFile, terraformLabel } from '../../terraform/types.js';

export interface SshKeyDesired {
  name: string;
  publicKey: string;
  fingerprint: string;
  tags: TagMap;
}

export const sshKeyKey = (name: string): string => taskKey('SSHKey', name);

export function sshKeyTask(name: string, key: SshPublicKey, tags: TagMap): Task<SshKeyDesired, KeyPairInfo> {
  return {
    key: sshKeyKey(name),
    kind: 'SSHKey',
    name,
    dependencies: [],
    desired: () => ({ name, publicKey: key.text, fingerprint: key.fingerprint, tags }),
    find: (ctx) => ctx.snapshot.keyPairs?.find((k) => k.KeyName === name) ?? null,
    idOf: (pair) => pair.KeyPairId!,
    diff: (desired, actual) => compareTags(desired.tags, fromTagList(actual.Tags)),
    describe: (d) => ({ KeyType: d.publicKey.split(' ')[0], Fingerprint: d.fingerprint }),
    async apply(ctx, change) {
      const { desired } = change;
      if (change.actual) {
        const tags = changedTags(desired.tags, change.changes);
        if (tags.length) await ctx.clients.ec2.send(new CreateTagsCommand({ Resources: [change.actual.KeyPairId!], Tags: tags }));
        return change.actual.KeyPairId!;
      }
      const out = await ctx.clients.ec2.send(
        new ImportKeyPairCommand({
          KeyName: desired.name,
          PublicKeyMaterial: Buffer.from(desired.publicKey, 'utf8'),
          TagSpecifications: [{ ResourceType: 'key-pair', Tags: toTagList(desired.tags) }],
        }),
      );
      return out.KeyPairId!;
    },
    // kops labels the key pair and names its file without the fingerprint's colons.
    terraform: (_t, d) => {
      const plain = name.replace(/:/g, '');
      const key = dataFile('aws_key_pair', plain, 'public_key', d.publicKey);
      return [{ type: 'aws_key_pair', name, label: terraformLabel(plain), body: { key_name: name, public_key: key.value, tags: d.tags }, files: [key.file] }];
    },
  };
}
