// The instance types the simulated EC2 offers, in every region alike (real
// regions differ a little; the simulator does not model that). Families and
// sizes as AWS sells them: general purpose (t3, t3a, t4g, m5, m6i, m6a, m6g,
// m7i, m7g), compute (c5, c6i, c6g, c7i, c7g), memory (r5, r6i, r6g, r7i, r7g).
const SIZES = {
  burstable: ['nano', 'micro', 'small', 'medium', 'large', 'xlarge', '2xlarge'],
  x86: ['large', 'xlarge', '2xlarge', '4xlarge', '8xlarge', '12xlarge', '16xlarge', '24xlarge'],
  graviton: ['medium', 'large', 'xlarge', '2xlarge', '4xlarge', '8xlarge', '12xlarge', '16xlarge'],
};

const FAMILIES: Record<string, readonly string[]> = {
  t3: SIZES.burstable,
  t3a: SIZES.burstable,
  t4g: SIZES.burstable,
  m5: SIZES.x86,
  m6i: SIZES.x86,
  m6a: SIZES.x86,
  m6g: SIZES.graviton,
  m7i: SIZES.x86,
  m7g: SIZES.graviton,
  c5: ['large', 'xlarge', '2xlarge', '4xlarge', '9xlarge', '12xlarge', '18xlarge', '24xlarge'],
  c6i: SIZES.x86,
  c6g: SIZES.graviton,
  c7i: SIZES.x86,
  c7g: SIZES.graviton,
  r5: SIZES.x86,
  r6i: SIZES.x86,
  r6g: SIZES.graviton,
  r7i: SIZES.x86,
  r7g: SIZES.graviton,
};

export const INSTANCE_TYPES: readonly string[] = Object.entries(FAMILIES)
  .flatMap(([family, sizes]) => sizes.map((size) => `${family}.${size}`))
  .sort();
