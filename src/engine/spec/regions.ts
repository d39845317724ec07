// A static table of the AWS regions and availability zones kopsdeck knows, so
// that zones can be checked without calling AWS (and the simulator offers the
// same ones). src/sim/aws/world/regions.ts holds its own copy on purpose: the
// simulator models the cloud independently and never imports the engine.

const ZONE_LETTERS: Record<string, string> = {
  'us-east-1': 'abcdef',
  'us-east-2': 'abc',
  'us-west-1': 'bc',
  'us-west-2': 'abcd',
  'eu-west-1': 'abc',
  'eu-west-2': 'abc',
  'eu-central-1': 'abc',
  'ap-southeast-1': 'abc',
  'ap-southeast-2': 'abc',
  'ap-northeast-1': 'acd',
  'ca-central-1': 'abd',
  'sa-east-1': 'abc',
};

/** Region name -> its zones, e.g. 'us-east-2' -> ['us-east-2a', 'us-east-2b', 'us-east-2c']. */
export const AWS_REGIONS: Readonly<Record<string, readonly string[]>> = Object.fromEntries(
  Object.entries(ZONE_LETTERS).map(([region, letters]) => [region, [...letters].map((l) => region + l)]),
);

export function knownRegions(): string[] {
  return Object.keys(AWS_REGIONS);
}

export function isKnownRegion(region: string): boolean {
  return Object.hasOwn(AWS_REGIONS, region);
}

export function zonesOfRegion(region: string): readonly string[] {
  return isKnownRegion(region) ? AWS_REGIONS[region] : [];
}

/** The region a zone name belongs to by its shape ('us-east-1a' -> 'us-east-1'), known or not. */
export function regionOfZone(zone: string): string | undefined {
  const match = /^([a-z]{2}(?:-gov)?-[a-z]+-\d+)[a-z]$/.exec(zone);
  return match ? match[1] : undefined;
}

export function isKnownZone(zone: string): boolean {
  const region = regionOfZone(zone);
  return region !== undefined && zonesOfRegion(region).includes(zone);
}
