// Launch templates and their numbered versions. $Latest and $Default are
// resolved when asked; an auto scaling group resolves them at each launch.
import { AwsError } from '../aws-error.js';
import { ec2Tags, isoTime } from '../query-protocol.js';
import type { Params } from '../query-params.js';
import { filterResources, pageOf, type Fields } from '../world/filters.js';
import type { LaunchTemplate, LaunchTemplateData, LaunchTemplateVersion } from '../world/types.js';
import { filtersOf, inRegion, tagsOf, tagSpecTags, type Ec2Context, type Ec2Handler } from './ec2-common.js';

const CREATED_BY = 'arn:aws:iam::123456789012:user/kopsdeck';

function templateXml(template: LaunchTemplate) {
  return {
    launchTemplateId: template.id,
    launchTemplateName: template.name,
    createTime: isoTime(template.createdAt),
    createdBy: CREATED_BY,
    defaultVersionNumber: template.defaultVersion,
    latestVersionNumber: latestOf(template),
    tagSet: ec2Tags(template.tags),
  };
}

function versionXml(template: LaunchTemplate, version: LaunchTemplateVersion) {
  const data = version.data;
  return {
    launchTemplateId: template.id,
    launchTemplateName: template.name,
    versionNumber: version.number,
    versionDescription: version.description,
    createTime: isoTime(version.createdAt),
    createdBy: CREATED_BY,
    defaultVersion: version.number === template.defaultVersion,
    launchTemplateData: {
      imageId: data.imageId,
      instanceType: data.instanceType,
      keyName: data.keyName,
      userData: data.userData,
      iamInstanceProfile: data.iamInstanceProfile,
      metadataOptions:
        data.httpTokens || data.httpEndpoint || data.httpPutResponseHopLimit !== undefined
          ? { httpTokens: data.httpTokens, httpEndpoint: data.httpEndpoint, httpPutResponseHopLimit: data.httpPutResponseHopLimit, httpProtocolIpv6: data.httpProtocolIpv6 }
          : undefined,
      blockDeviceMappingSet: data.blockDeviceMappings?.map((m) => ({ deviceName: m.deviceName, virtualName: m.virtualName, ebs: m.ebs })),
      securityGroupIdSet: data.securityGroupIds,
      networkInterfaceSet:
        data.associatePublicIp === undefined ? undefined : [{ deviceIndex: 0, associatePublicIpAddress: data.associatePublicIp, groupSet: data.securityGroupIds ?? [] }],
      tagSpecificationSet: data.tagSpecifications?.map((s) => ({ resourceType: s.resourceType, tagSet: ec2Tags(s.tags) })),
    },
  };
}

/** EC2 takes at most 16 KB of user-data, counted before its base64 encoding. */
export const USER_DATA_LIMIT_BYTES = 16 * 1024;

function checkedUserData(base64: string | undefined): string | undefined {
  if (base64 === undefined) return undefined;
  const bytes = Buffer.from(base64, 'base64').length;
  if (bytes > USER_DATA_LIMIT_BYTES) throw new AwsError('InvalidUserData.Malformed', `User data is limited to ${USER_DATA_LIMIT_BYTES} bytes (${bytes} given)`, 400);
  return base64;
}

const latestOf = (template: LaunchTemplate): number => Math.max(...template.versions.map((v) => v.number));

function readData(params: Params | undefined): LaunchTemplateData {
  if (!params) return {};
  const data: LaunchTemplateData = {};
  const set = <K extends keyof LaunchTemplateData>(key: K, value: LaunchTemplateData[K] | undefined) => {
    if (value !== undefined) data[key] = value;
  };
  set('imageId', params.str('ImageId'));
  set('instanceType', params.str('InstanceType'));
  set('keyName', params.str('KeyName'));
  set('userData', checkedUserData(params.str('UserData')));
  const metadata = params.object('MetadataOptions');
  set('httpTokens', metadata?.str('HttpTokens'));
  set('httpEndpoint', metadata?.str('HttpEndpoint'));
  set('httpPutResponseHopLimit', metadata?.int('HttpPutResponseHopLimit'));
  set('httpProtocolIpv6', metadata?.str('HttpProtocolIpv6'));
  const mappings = params.objects('BlockDeviceMapping').map((m) => {
    const ebs = m.object('Ebs');
    return {
      deviceName: m.required('DeviceName'),
      virtualName: m.str('VirtualName'),
      ebs: ebs
        ? { volumeSize: ebs.int('VolumeSize'), volumeType: ebs.str('VolumeType'), encrypted: ebs.bool('Encrypted'), iops: ebs.int('Iops'), throughput: ebs.int('Throughput'), deleteOnTermination: ebs.bool('DeleteOnTermination') }
        : undefined,
    };
  });
  if (mappings.length) data.blockDeviceMappings = mappings;
  const profile = params.object('IamInstanceProfile');
  if (profile) data.iamInstanceProfile = { name: profile.str('Name'), arn: profile.str('Arn') };
  const groups = params.strings('SecurityGroupId');
  const nic = params.objects('NetworkInterface')[0];
  if (nic) {
    groups.push(...nic.strings('SecurityGroupId'));
    set('associatePublicIp', nic.bool('AssociatePublicIpAddress'));
  }
  if (groups.length) data.securityGroupIds = groups;
  const specs = params.objects('TagSpecification').map((s) => ({ resourceType: s.required('ResourceType'), tags: tagsOf(s) }));
  if (specs.length) data.tagSpecifications = specs;
  return data;
}

function templateOf(ctx: Ec2Context): LaunchTemplate {
  const id = ctx.params.str('LaunchTemplateId');
  const name = ctx.params.str('LaunchTemplateName');
  const templates = inRegion(ctx.world.state.launchTemplates, ctx.region);
  if (id) {
    const found = templates.find((t) => t.id === id);
    if (!found) throw new AwsError('InvalidLaunchTemplateId.NotFound', `The specified launch template, with template ID ${id}, does not exist.`);
    return found;
  }
  if (name) {
    const found = templates.find((t) => t.name === name);
    if (!found) throw new AwsError('InvalidLaunchTemplateName.NotFoundException', `The specified launch template, with template name ${name}, does not exist.`);
    return found;
  }
  throw new AwsError('MissingParameter', 'The request must contain the parameter LaunchTemplateName or LaunchTemplateId');
}

function resolveVersion(template: LaunchTemplate, version: string): LaunchTemplateVersion {
  const number = version === '$Latest' ? latestOf(template) : version === '$Default' ? template.defaultVersion : Number(version);
  const found = template.versions.find((v) => v.number === number);
  if (!found) throw new AwsError('InvalidLaunchTemplateId.VersionNotFound', `Could not find launch template version ${version} for ${template.id}.`);
  return found;
}

export const createLaunchTemplate: Ec2Handler = ({ params, region, world }) => {
  const name = params.required('LaunchTemplateName');
  if (!/^[a-zA-Z0-9().\-/_]{3,128}$/.test(name)) throw new AwsError('InvalidLaunchTemplateName.MalformedException', `The launch template name ${name} is malformed.`);
  if (inRegion(world.state.launchTemplates, region).some((t) => t.name === name)) {
    throw new AwsError('InvalidLaunchTemplateName.AlreadyExistsException', `Launch template name already in use.`);
  }
  const now = world.now();
  const template: LaunchTemplate = {
    id: world.newId('lt'),
    region,
    name,
    createdAt: now,
    defaultVersion: 1,
    versions: [{ number: 1, description: params.str('VersionDescription'), createdAt: now, data: readData(params.object('LaunchTemplateData')) }],
    tags: tagSpecTags(params, 'launch-template'),
  };
  world.state.launchTemplates[template.id] = template;
  world.changed();
  return { launchTemplate: templateXml(template) };
};

export const createLaunchTemplateVersion: Ec2Handler = (ctx) => {
  const template = templateOf(ctx);
  const source = ctx.params.str('SourceVersion');
  const base = source ? resolveVersion(template, source).data : {};
  const version: LaunchTemplateVersion = {
    number: latestOf(template) + 1,
    description: ctx.params.str('VersionDescription'),
    createdAt: ctx.world.now(),
    data: { ...base, ...readData(ctx.params.object('LaunchTemplateData')) },
  };
  template.versions.push(version);
  ctx.world.changed();
  return { launchTemplateVersion: versionXml(template, version) };
};

export const describeLaunchTemplates: Ec2Handler = ({ params, region, world }) => {
  const ids = params.strings('LaunchTemplateId');
  const names = params.strings('LaunchTemplateName');
  const templates = inRegion(world.state.launchTemplates, region);
  for (const id of ids) if (!templates.some((t) => t.id === id)) throw new AwsError('InvalidLaunchTemplateId.NotFound', `The specified launch template, with template ID ${id}, does not exist.`);
  for (const name of names) if (!templates.some((t) => t.name === name)) throw new AwsError('InvalidLaunchTemplateName.NotFoundException', `At least one of the launch templates specified in the request does not exist.`);
  const filters = filtersOf(params);
  const read: Fields<LaunchTemplate> = {
  'launch-template-name': (t) => [t.name],
  'create-time': (t) => [isoTime(t.createdAt)],
};
  const matching = filterResources(templates.filter((t) => (ids.length === 0 || ids.includes(t.id)) && (names.length === 0 || names.includes(t.name))), filters, read);
  const { page, nextToken } = pageOf(matching, params.int('MaxResults'), params.str('NextToken'), 200);
  return { launchTemplates: page.map(templateXml), nextToken };
};

export const describeLaunchTemplateVersions: Ec2Handler = (ctx) => {
  const { params } = ctx;
  const named = params.str('LaunchTemplateId') || params.str('LaunchTemplateName');
  const templates = named ? [templateOf(ctx)] : inRegion(ctx.world.state.launchTemplates, ctx.region);
  const wanted = params.strings('LaunchTemplateVersion');
  const min = params.int('MinVersion') ?? -Infinity;
  const max = params.int('MaxVersion') ?? Infinity;
  const filters = filtersOf(params);
  type Row = { template: LaunchTemplate; version: LaunchTemplateVersion; tags: Record<string, string> };
  const read: Fields<Row> = {
    'image-id': (row) => [row.version.data.imageId ?? ''],
    'instance-type': (row) => [row.version.data.instanceType ?? ''],
    'is-default-version': (row) => [String(row.version.number === row.template.defaultVersion)],
  };
  const candidates: Row[] = [];
  for (const template of templates) {
    const versions = wanted.length ? wanted.map((w) => resolveVersion(template, w)) : template.versions.filter((v) => v.number >= min && v.number <= max);
    for (const version of versions) candidates.push({ template, version, tags: {} });
  }
  const rows = filterResources(candidates, filters, read);
  const { page, nextToken } = pageOf(rows, params.int('MaxResults'), params.str('NextToken'), 200);
  return { launchTemplateVersionSet: page.map((r) => versionXml(r.template, r.version)), nextToken };
};

export const modifyLaunchTemplate: Ec2Handler = (ctx) => {
  const template = templateOf(ctx);
  const wanted = ctx.params.str('SetDefaultVersion');
  if (wanted !== undefined) template.defaultVersion = resolveVersion(template, wanted).number;
  ctx.world.changed();
  return { launchTemplate: templateXml(template) };
};

export const deleteLaunchTemplate: Ec2Handler = (ctx) => {
  const template = templateOf(ctx);
  delete ctx.world.state.launchTemplates[template.id];
  ctx.world.changed();
  return { launchTemplate: templateXml(template) };
};
