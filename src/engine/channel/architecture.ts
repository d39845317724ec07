// Which CPU architecture an EC2 instance type has, to pick the channel image
// for it.
import type { Architecture } from './lookups.js';

/**
 * arm64 for AWS Graviton families, amd64 for everything else.
 *
 * kops asks EC2 (DescribeInstanceTypes: ProcessorInfo.SupportedArchitectures).
 * kopsdeck decides from the name instead, because the create wizard and
 * `create cluster` must pick an image before any AWS call is made (and work
 * with no cloud at all). Graviton families are named with a "g" right after
 * the generation digit, optionally followed by more attribute letters: t4g,
 * m6g, m6gd, c6gn, c7gn, r8g, x2gd, im4gn, is4gen, g5g, hpc7g; plus a1, the
 * first Graviton. No x86 family follows that pattern (g4dn, p4d, r5dn, z1d,
 * inf2 do not).
 */
export function architectureOfMachineType(machineType: string): Architecture {
  const family = machineType.trim().toLowerCase().split('.')[0];
  if (family === 'a1') return 'arm64';
  return /^[a-z]+\d+g[a-z]*$/.test(family) ? 'arm64' : 'amd64';
}
