// DescribeInstances (filters, MaxResults / NextToken, grouped in reservations),
// TerminateInstances, and the read-only catalogue: zones and images.
import { AwsError } from '../aws-error.js';
import { ec2Tags, isoTime } from '../query-protocol.js';
import { filterResources, pageOf, type Fields } from '../world/filters.js';
import { ACCOUNT_ID, IMAGES, zoneIdOf, zonesOf, type SimImage } from '../world/regions.js';
import type { Instance } from '../world/types.js';
import { INSTANCE_TYPES } from '../world/instance-types.js';
import { filtersOf, type Ec2Handler } from './ec2-common.js';

const STATE_CODES: Record<Instance['state'], number> = { pending: 0, running: 16, stopped: 80, 'shutting-down': 32, terminated: 48 };

function stateXml(state: Instance['state']) {
  return { code: STATE_CODES[state], name: state };
}

function instanceXml(instance: Instance, groupName: (id: string) => string) {
  const gone = instance.state === 'shutting-down' || instance.state === 'terminated';
  return {
    instanceId: instance.id,
    imageId: instance.imageId,
    instanceState: stateXml(instance.state),
    privateDnsName: gone && instance.state === 'terminated' ? '' : instance.privateDnsName,
    dnsName: '',
    reason: gone ? `${instance.stateReason ?? 'User initiated'} (${isoTime(instance.terminatedAt ?? instance.launchTime)})` : '',
    keyName: instance.keyName,
    amiLaunchIndex: 0,
    productCodes: [],
    instanceType: instance.instanceType,
    launchTime: isoTime(instance.launchTime),
    placement: { availabilityZone: instance.zone, availabilityZoneId: zoneIdOf(instance.zone), groupName: '', tenancy: 'default' },
    monitoring: { state: 'disabled' },
    subnetId: instance.state === 'terminated' ? undefined : instance.subnetId,
    vpcId: instance.state === 'terminated' ? undefined : instance.vpcId,
    privateIpAddress: instance.state === 'terminated' ? undefined : instance.privateIp,
    sourceDestCheck: true,
    groupSet: instance.securityGroupIds.map((id) => ({ groupId: id, groupName: groupName(id) })),
    iamInstanceProfile: instance.iamInstanceProfile,
    stateReason: gone ? { code: 'Client.UserInitiatedShutdown', message: 'Client.UserInitiatedShutdown: User initiated shutdown' } : undefined,
    architecture: 'x86_64',
    rootDeviceType: 'ebs',
    rootDeviceName: '/dev/sda1',
    blockDeviceMapping: [],
    virtualizationType: 'hvm',
    hypervisor: 'xen',
    tagSet: ec2Tags(instance.tags),
    ebsOptimized: false,
    enaSupport: true,
  };
}

const readInstance: Fields<Instance> = {
  'instance-id': (instance) => [instance.id],
  'instance-state-name': (instance) => [instance.state],
  'instance-state-code': (instance) => [String(STATE_CODES[instance.state])],
  'vpc-id': (instance) => [instance.vpcId],
  'subnet-id': (instance) => [instance.subnetId],
  'availability-zone': (instance) => [instance.zone],
  'instance-type': (instance) => [instance.instanceType],
  'image-id': (instance) => [instance.imageId],
  'private-ip-address': (instance) => [instance.privateIp],
  'private-dns-name': (instance) => [instance.privateDnsName],
  'reservation-id': (instance) => [instance.reservationId],
  'key-name': (instance) => instance.keyName ? [instance.keyName] : [],
  'instance.group-id': (instance) => instance.securityGroupIds,
};

export const describeInstances: Ec2Handler = ({ params, region, world }) => {
  const ids = params.strings('InstanceId');
  const maxResults = params.int('MaxResults');
  if (maxResults !== undefined && ids.length > 0) {
    throw new AwsError('InvalidParameterCombination', 'The parameter instancesSet cannot be used with the parameter maxResults');
  }
  if (maxResults !== undefined && (maxResults < 5 || maxResults > 1000)) {
    throw new AwsError('InvalidParameterValue', `Value ( ${maxResults} ) for parameter maxResults is invalid. Expecting a value between 5 and 1000.`);
  }
  const visible = world.instances.visible(region);
  for (const id of ids) {
    if (!visible.some((i) => i.id === id)) throw new AwsError('InvalidInstanceID.NotFound', `The instance ID '${id}' does not exist`);
  }
  const filters = filtersOf(params);
  const matching = filterResources(visible.filter((i) => (ids.length === 0 || ids.includes(i.id))), filters, readInstance);
  const { page, nextToken } = pageOf(matching, maxResults, params.str('NextToken'));
  const groupName = (id: string) => world.state.securityGroups[id]?.name ?? '';
  const reservations = new Map<string, Instance[]>();
  for (const instance of page) reservations.set(instance.reservationId, [...(reservations.get(instance.reservationId) ?? []), instance]);
  return {
    reservationSet: [...reservations].map(([reservationId, instances]) => ({
      reservationId,
      ownerId: ACCOUNT_ID,
      groupSet: [],
      instancesSet: instances.map((i) => instanceXml(i, groupName)),
    })),
    nextToken,
  };
};

export const terminateInstances: Ec2Handler = ({ params, region, world }) => {
  const ids = params.strings('InstanceId');
  if (ids.length === 0) throw new AwsError('MissingParameter', 'The request must contain the parameter InstanceId');
  const visible = new Map(world.instances.visible(region).map((i) => [i.id, i]));
  for (const id of ids) {
    if (!/^i-[0-9a-f]{8,17}$/.test(id)) throw new AwsError('InvalidInstanceID.Malformed', `Invalid id: "${id}"`);
    if (!visible.has(id)) throw new AwsError('InvalidInstanceID.NotFound', `The instance ID '${id}' does not exist`);
  }
  const changes = ids.map((id) => {
    const instance = visible.get(id)!;
    const previous = world.instances.terminate(instance);
    return { instanceId: id, previousState: stateXml(previous), currentState: stateXml(instance.state) };
  });
  return { instancesSet: changes };
};

/** The serial console's latest output, base64, as EC2 gives it (only the last 64 KB are kept). */
export const getConsoleOutput: Ec2Handler = ({ params, region, world }) => {
  const id = params.str('InstanceId');
  if (!id) throw new AwsError('MissingParameter', 'The request must contain the parameter InstanceId');
  const instance = world.instances.visible(region).find((i) => i.id === id);
  if (!instance) throw new AwsError('InvalidInstanceID.NotFound', `The instance ID '${id}' does not exist`);
  const output = instance.consoleOutput ?? '';
  return {
    instanceId: id,
    timestamp: new Date(world.now()).toISOString(),
    ...(output ? { output: Buffer.from(output, 'utf8').toString('base64') } : {}),
  };
};

/** The instance types offered in the region or its zones (the same everywhere in the simulator). */
export const describeInstanceTypeOfferings: Ec2Handler = ({ params, region }) => {
  const locationType = params.str('LocationType') ?? 'region';
  if (!['region', 'availability-zone', 'availability-zone-id'].includes(locationType)) {
    throw new AwsError('InvalidParameterValue', `Value (${locationType}) for parameter LocationType is invalid. Valid values are region, availability-zone, availability-zone-id.`);
  }
  const maxResults = params.int('MaxResults');
  if (maxResults !== undefined && (maxResults < 5 || maxResults > 1000)) {
    throw new AwsError('InvalidParameterValue', `Value ( ${maxResults} ) for parameter maxResults is invalid. Expecting a value between 5 and 1000.`);
  }
  const locations = locationType === 'region' ? [region] : zonesOf(region).map((zone) => (locationType === 'availability-zone' ? zone : zoneIdOf(zone)));
  const offerings = locations.flatMap((location) => INSTANCE_TYPES.map((instanceType) => ({ instanceType, location, tags: {} })));
  const read: Fields<{ instanceType: string; location: string; tags: Record<string, string> }> = {
    'instance-type': (o) => [o.instanceType],
    location: (o) => [o.location],
  };
  const matching = filterResources(offerings, filtersOf(params), read);
  const { page, nextToken } = pageOf(matching, maxResults, params.str('NextToken'));
  return { instanceTypeOfferingSet: page.map((o) => ({ instanceType: o.instanceType, locationType, location: o.location })), nextToken };
};

export const describeAvailabilityZones: Ec2Handler = ({ params, region }) => {
  const names = params.strings('ZoneName');
  const filters = filtersOf(params);
  const zones = zonesOf(region).map((zone) => ({ zone, tags: {} }));
  const read: Fields<{ zone: string }> = {
  'zone-name': ({ zone }) => [zone],
  'zone-id': ({ zone }) => [zoneIdOf(zone)],
  'region-name': () => [region],
  state: () => ['available'],
  'zone-type': () => ['availability-zone'],
};
  const matching = filterResources(zones.filter((z) => (names.length === 0 || names.includes(z.zone))), filters, read);
  return {
    availabilityZoneInfo: matching.map(({ zone }) => ({
      zoneName: zone,
      zoneState: 'available',
      regionName: region,
      zoneId: zoneIdOf(zone),
      zoneType: 'availability-zone',
      groupName: region,
      networkBorderGroup: region,
      optInStatus: 'opt-in-not-required',
      messageSet: [],
    })),
  };
};

function imageXml(image: SimImage) {
  return {
    imageId: image.id,
    imageLocation: `${image.ownerId}/${image.name}`,
    imageState: 'available',
    imageOwnerId: image.ownerId,
    creationDate: image.creationDate,
    isPublic: true,
    architecture: image.architecture,
    imageType: 'machine',
    name: image.name,
    description: image.description,
    rootDeviceType: 'ebs',
    rootDeviceName: '/dev/sda1',
    blockDeviceMapping: [],
    virtualizationType: 'hvm',
    hypervisor: 'xen',
    enaSupport: true,
    tagSet: [],
  };
}

export const describeImages: Ec2Handler = ({ params }) => {
  const ids = params.strings('ImageId');
  for (const id of ids) {
    if (!IMAGES.some((i) => i.id === id)) throw new AwsError('InvalidAMIID.NotFound', `The image id '[${id}]' does not exist`);
  }
  const owners = params.strings('Owner');
  const filters = filtersOf(params);
  const read: Fields<SimImage & { tags: Record<string, string> }> = {
    name: (image) => [image.name],
    'image-id': (image) => [image.id],
    'owner-id': (image) => [image.ownerId],
    architecture: (image) => [image.architecture],
    state: () => ['available'],
    'is-public': () => ['true'],
    'image-type': () => ['machine'],
    'root-device-type': () => ['ebs'],
    'virtualization-type': () => ['hvm'],
  };
  const candidates = IMAGES.map((image) => ({ ...image, tags: {} })).filter(
    (image) => (ids.length === 0 || ids.includes(image.id)) && (owners.length === 0 || owners.includes(image.ownerId)),
  );
  const matching = filterResources(candidates, filters, read);
  return { imagesSet: matching.map(imageXml) };
};
