// What every AutoScaling handler receives, and the group lookup they share.
import { AwsError } from '../aws-error.js';
import type { Params } from '../query-params.js';
import type { AwsWorld } from '../world/aws-world.js';
import type { AutoScalingGroup } from '../world/types.js';

export interface AsgContext {
  params: Params;
  region: string;
  world: AwsWorld;
}

export function groupNamed(ctx: AsgContext, name: string): AutoScalingGroup {
  const group = ctx.world.findAsg(ctx.region, name);
  if (!group) throw new AwsError('ValidationError', `AutoScalingGroup name not found - AutoScalingGroup ${name} not found`);
  return group;
}
