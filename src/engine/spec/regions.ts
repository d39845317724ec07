// AWS regions and availability zones. Any region name of AWS's shape is
// accepted (AWS opens new regions; kops does not keep a list either). The
// table below is what kopsdeck offers in the create wizard and uses for the
// zones of a region when the cloud cannot be asked; a zone missing from it is
// only a warning, since the zones an account sees can differ (e.g. us-west-1a
// exists only for older accounts). src/sim/aws/world/regions.ts holds its own
// table on purpose: the simulator models the cloud independently and never
// imports the engine.

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

/** Region name -> its zones, e.g. 'us-east-2' -> ['us-east-2a', 'us-east-2b', 'us-east-2c']. */
export const AWS_REGIONS: Readonly<Record<string, readonly string[]>> = Object.fromEntries(
  Object.entries(ZONE_LETTERS).map(([region, letters]) => [region, [...letters].map((l) => region + l)]),
);

/** us-east-1, eu-central-2, us-gov-west-1, us-isob-east-1: area, optional partition word, direction, number. */
const REGION_SHAPE = /^[a-z]{2}(?:-[a-z]+)?-[a-z]+-\d{1,2}$/;
const ZONE_SHAPE = /^([a-z]{2}(?:-[a-z]+)?-[a-z]+-\d{1,2})([a-z])$/;

/** The regions the table knows, for offering them. */
export function knownRegions(): string[] {
  return Object.keys(AWS_REGIONS);
}

export function isKnownRegion(region: string): boolean {
  return Object.hasOwn(AWS_REGIONS, region);
}

/** True for any name shaped like an AWS region, known to the table or not. */
export function isRegionName(region: string): boolean {
  return REGION_SHAPE.test(region);
}

/** The zones the table knows for a region; [] for a region it does not know. */
export function zonesOfRegion(region: string): readonly string[] {
  return isKnownRegion(region) ? AWS_REGIONS[region] : [];
}

/** The region a zone name belongs to by its shape ('us-east-1a' -> 'us-east-1'), known or not. */
export function regionOfZone(zone: string): string | undefined {
  const match = ZONE_SHAPE.exec(zone);
  return match ? match[1] : undefined;
}

export function isKnownZone(zone: string): boolean {
  const region = regionOfZone(zone);
  return region !== undefined && zonesOfRegion(region).includes(zone);
}
