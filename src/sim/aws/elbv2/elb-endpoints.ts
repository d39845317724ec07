// What a load balancer is reached by: its DNS name, in the form AWS gives it,
// and the Route 53 hosted zone AWS serves that name from (the zone an alias
// record to it names), per region as AWS publishes them.
import type { SimRandom } from '../../contracts.js';

/** Classic and application load balancers share one zone per region. */
const CLASSIC_AND_APPLICATION_ZONES: Record<string, string> = {
  'us-east-1': 'Z35SXDOTRQ7X7K',
  'us-east-2': 'Z3AADJGX6KTTL2',
  'us-west-1': 'Z368ELLRRE2KJ0',
  'us-west-2': 'Z1H1FL5HABSF5',
  'eu-west-1': 'Z32O12XQLNTSW2',
  'eu-west-2': 'ZHURV8PSTC4K8',
  'eu-central-1': 'Z215JYRZR1TBD5',
  'ap-southeast-1': 'Z1LMS91P8CMLE5',
  'ap-southeast-2': 'Z1GM3OXH4ZPM65',
  'ap-northeast-1': 'Z14GRHDCWA56QT',
  'ca-central-1': 'ZQSVJUPU6J1EY',
  'sa-east-1': 'Z2P70J7HTTTPLU',
};

const NETWORK_ZONES: Record<string, string> = {
  'us-east-1': 'Z26RNL4JYFTOTI',
  'us-east-2': 'ZLMOA37VPKANP',
  'us-west-1': 'Z24FKFUX50B4VW',
  'us-west-2': 'Z18D5FSROUN65G',
  'eu-west-1': 'Z2IFOLAFXWLO4F',
  'eu-west-2': 'ZD4D7Y8KGAS4G',
  'eu-central-1': 'Z3F0SRJ5LGBH90',
  'ap-southeast-1': 'ZKVM4W9LS7TM',
  'ap-southeast-2': 'ZCT6FZBF4DROD',
  'ap-northeast-1': 'Z31USIVHYNEOWT',
  'ca-central-1': 'Z2EPGBW3API2WT',
  'sa-east-1': 'ZTK26PT1VY4CU',
};

export type BalancerKind = 'network' | 'application' | 'classic';

export function canonicalHostedZoneId(kind: BalancerKind, region: string): string {
  const table = kind === 'network' ? NETWORK_ZONES : CLASSIC_AND_APPLICATION_ZONES;
  return table[region] ?? table['us-east-1'];
}

/** `api-x-0123456789abcdef.elb.us-east-1.amazonaws.com` (network), `name-1234567890.us-east-1.elb.amazonaws.com` (others; `internal-` when internal). */
export function loadBalancerDnsName(kind: BalancerKind, name: string, internal: boolean, region: string, random: SimRandom): string {
  if (kind === 'network') return `${name}-${random.hex(16)}.elb.${region}.amazonaws.com`;
  const digits = String(Math.floor(random.next() * 9_000_000_000) + 1_000_000_000);
  return `${internal ? 'internal-' : ''}${name}-${digits}.${region}.elb.amazonaws.com`;
}
