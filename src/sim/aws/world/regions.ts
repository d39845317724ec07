// The regions and zones the simulator serves (AWS's commercial regions, as an
// account sees them) and the public images DescribeImages knows. The table is
// kept apart from src/engine/spec/regions.ts on purpose: the simulator models
// the cloud on its own, so the engine's table is checked against it rather than
// copied into it (the simulator imports only pure engine helpers, parsers and
// such, never the engine's view of the cloud).
import { PREBAKED_NODE_IMAGE_ID } from '../../contracts.js';

const ZONE_LETTERS: Record<string, string> = {
  'us-east-1': 'abcdef',
  'us-east-2': 'abc',
  'us-west-1': 'bc',
  'us-west-2': 'abcd',
  'af-south-1': 'abc',
  'ap-east-1': 'abc',
  'ap-south-1': 'abc',
  'ap-south-2': 'abc',
  'ap-southeast-1': 'abc',
  'ap-southeast-2': 'abc',
  'ap-southeast-3': 'abc',
  'ap-southeast-4': 'abc',
  'ap-southeast-5': 'abc',
  'ap-southeast-7': 'abc',
  'ap-northeast-1': 'acd',
  'ap-northeast-2': 'abcd',
  'ap-northeast-3': 'abc',
  'ca-central-1': 'abd',
  'ca-west-1': 'abc',
  'eu-central-1': 'abc',
  'eu-central-2': 'abc',
  'eu-west-1': 'abc',
  'eu-west-2': 'abc',
  'eu-west-3': 'abc',
  'eu-south-1': 'abc',
  'eu-south-2': 'abc',
  'eu-north-1': 'abc',
  'il-central-1': 'abc',
  'me-south-1': 'abc',
  'me-central-1': 'abc',
  'mx-central-1': 'abc',
  'sa-east-1': 'abc',
};

export function zonesOf(region: string): string[] {
  return [...(ZONE_LETTERS[region] ?? '')].map((letter) => region + letter);
}

const DIRECTION_SHORT: Record<string, string> = { east: 'e', west: 'w', central: 'c', southeast: 'se', northeast: 'ne', south: 's', north: 'n' };

/** AWS-style zone ids (use1-az1 ...), stable per zone letter. */
export function zoneIdOf(zone: string): string {
  const region = zone.slice(0, -1);
  const [area, direction, number] = region.split('-');
  const short = area + (DIRECTION_SHORT[direction] ?? direction[0]) + number;
  const index = zonesOf(region).indexOf(zone) + 1;
  return `${short}-az${index}`;
}

export function privateDnsName(ip: string, region: string): string {
  const host = `ip-${ip.replace(/\./g, '-')}`;
  return region === 'us-east-1' ? `${host}.ec2.internal` : `${host}.${region}.compute.internal`;
}

export interface SimImage {
  id: string;
  name: string;
  ownerId: string;
  ownerAlias?: string;
  description: string;
  architecture: 'x86_64' | 'arm64';
  creationDate: string;
}

/** Canonical's account, as on real AWS. */
export const CANONICAL_OWNER = '099720109477';

/** The same images exist in every region, as kops' image names resolve anywhere. */
export const IMAGES: SimImage[] = [
  image('ami-0a1b2c3d4e5f60007', 'ubuntu/images/hvm-ssd-gp3/ubuntu-noble-24.04-amd64-server-20260714', 'x86_64', '2026-07-14T00:00:00.000Z'),
  image('ami-0a1b2c3d4e5f60008', 'ubuntu/images/hvm-ssd-gp3/ubuntu-noble-24.04-arm64-server-20260714', 'arm64', '2026-07-14T00:00:00.000Z'),
  image('ami-0a1b2c3d4e5f60009', 'ubuntu/images/hvm-ssd/ubuntu-jammy-22.04-amd64-server-20260714', 'x86_64', '2026-07-14T00:00:00.000Z'),
  image('ami-0a1b2c3d4e5f6000a', 'ubuntu/images/hvm-ssd/ubuntu-jammy-22.04-arm64-server-20260714', 'arm64', '2026-07-14T00:00:00.000Z'),
  image('ami-0a1b2c3d4e5f60006', 'ubuntu/images/hvm-ssd-gp3/ubuntu-noble-24.04-amd64-server-20250610', 'x86_64', '2025-06-10T00:00:00.000Z'),
  image('ami-0a1b2c3d4e5f60001', 'ubuntu/images/hvm-ssd-gp3/ubuntu-noble-24.04-amd64-server-20250305', 'x86_64', '2025-03-05T00:00:00.000Z'),
  image('ami-0a1b2c3d4e5f60002', 'ubuntu/images/hvm-ssd-gp3/ubuntu-noble-24.04-arm64-server-20250305', 'arm64', '2025-03-05T00:00:00.000Z'),
  image('ami-0a1b2c3d4e5f60003', 'ubuntu/images/hvm-ssd/ubuntu-jammy-22.04-amd64-server-20250228', 'x86_64', '2025-02-28T00:00:00.000Z'),
  image('ami-0a1b2c3d4e5f60004', 'ubuntu/images/hvm-ssd/ubuntu-jammy-22.04-arm64-server-20250228', 'arm64', '2025-02-28T00:00:00.000Z'),
  image('ami-0a1b2c3d4e5f60005', 'ubuntu/images/hvm-ssd-gp3/ubuntu-noble-24.04-amd64-server-20240927', 'x86_64', '2024-09-27T00:00:00.000Z'),
  {
    id: PREBAKED_NODE_IMAGE_ID,
    name: 'kopsdeck-sim/prebaked-node',
    ownerId: '123456789012', // ACCOUNT_ID: the simulated account's own image
    description: 'kopsdeck simulator: a node image with its bootstrap baked in; it reads the export lines of its user-data (the simulator\'s own tests and benchmarks)',
    architecture: 'x86_64',
    creationDate: '2026-01-01T00:00:00.000Z',
  },
];

function image(id: string, name: string, architecture: SimImage['architecture'], creationDate: string): SimImage {
  return {
    id,
    name,
    ownerId: CANONICAL_OWNER,
    ownerAlias: undefined,
    description: `Canonical, Ubuntu, ${name.split('/').pop()}`,
    architecture,
    creationDate,
  };
}

export const ACCOUNT_ID = '123456789012';
