// What EC2 checks of a launch's identity before it starts an instance: the
// instance profile must exist in IAM (by name or ARN) and the key pair in the
// region, else the launch fails with EC2's own error, which an auto scaling
// group records as its failed launch activity and retries later.
import { AwsError } from '../aws-error.js';
import type { AwsWorld } from './aws-world.js';
import type { LaunchTemplateData } from './types.js';

/** The profile the instance will carry (as DescribeInstances shows it), or undefined for none; throws as EC2 refuses. */
export function checkLaunchIdentity(world: AwsWorld, region: string, data: LaunchTemplateData): { arn: string; id: string } | undefined {
  if (data.keyName && !Object.values(world.state.keyPairs).some((k) => k.region === region && k.name === data.keyName)) {
    throw new AwsError('InvalidKeyPair.NotFound', `The key pair '${data.keyName}' does not exist`);
  }
  const wanted = data.iamInstanceProfile;
  if (!wanted?.name && !wanted?.arn) return undefined;
  const profiles = Object.values(world.state.iam.instanceProfiles);
  const profile = wanted.arn ? profiles.find((p) => p.arn === wanted.arn) : profiles.find((p) => p.name === wanted.name);
  if (!profile) {
    const [field, value, what] = wanted.arn ? ['arn', wanted.arn, 'ARN'] : ['name', wanted.name, 'name'];
    throw new AwsError('InvalidParameterValue', `Value (${value}) for parameter iamInstanceProfile.${field} is invalid. Invalid IAM Instance Profile ${what}`);
  }
  return { arn: profile.arn, id: profile.id };
}
