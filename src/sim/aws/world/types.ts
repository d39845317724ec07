// The AWS half of the simulated world, as plain JSON-able records so the whole
// state can be saved and restored as it is. Times are simulated epoch ms.
import { emptyLoadBalancingState, type LoadBalancingState } from './load-balancing-types.js';
import type { Volume } from './volume-types.js';
import { emptyIamState, type IamState, type KeyPair } from './iam-types.js';

export type Tags = Record<string, string>;

export interface Vpc {
  id: string;
  region: string;
  cidr: string;
  enableDnsHostnames: boolean;
  enableDnsSupport: boolean;
  tags: Tags;
}

export interface Subnet {
  id: string;
  region: string;
  vpcId: string;
  cidr: string;
  zone: string;
  /** Host addresses handed out so far (for private IPs). */
  allocated: number;
  tags: Tags;
}

export interface InternetGateway {
  id: string;
  region: string;
  attachedVpcIds: string[];
  tags: Tags;
}

export interface Route {
  destination: string;
  gatewayId?: string;
  instanceId?: string;
  natGatewayId?: string;
  origin: 'CreateRouteTable' | 'CreateRoute';
}

export interface RouteTableAssociation {
  id: string;
  subnetId?: string;
  main: boolean;
}

export interface RouteTable {
  id: string;
  region: string;
  vpcId: string;
  routes: Route[];
  associations: RouteTableAssociation[];
  tags: Tags;
}

/** An Elastic IP (Domain vpc); `id` is its allocation id. */
export interface ElasticAddress {
  id: string;
  region: string;
  publicIp: string;
  /** The NAT gateway holding the address, while it does (until that gateway is deleted). */
  natGatewayId?: string;
  associationId?: string;
  tags: Tags;
}

export type NatGatewayState = 'pending' | 'available' | 'deleting' | 'deleted' | 'failed';

export interface NatGateway {
  id: string;
  region: string;
  vpcId: string;
  subnetId: string;
  allocationId: string;
  publicIp: string;
  privateIp: string;
  state: NatGatewayState;
  /** When the current state's next transition is due (pending/deleting). */
  transitionAt?: number;
  createdAt: number;
  deletedAt?: number;
  tags: Tags;
}

export interface SecurityGroupRule {
  id: string;
  egress: boolean;
  protocol: string;
  fromPort?: number;
  toPort?: number;
  cidr?: string;
  sourceGroupId?: string;
  /** A managed prefix list (pl-...) as the rule's source. */
  prefixListId?: string;
  description?: string;
}

export interface SecurityGroup {
  id: string;
  region: string;
  vpcId: string;
  name: string;
  description: string;
  rules: SecurityGroupRule[];
  tags: Tags;
}

export interface LaunchTemplateData {
  imageId?: string;
  instanceType?: string;
  keyName?: string;
  /** Base64, as sent. */
  userData?: string;
  securityGroupIds?: string[];
  iamInstanceProfile?: { name?: string; arn?: string };
  /** Tags from TagSpecifications, by resource type (instance, volume). */
  tagSpecifications?: { resourceType: string; tags: Tags }[];
  associatePublicIp?: boolean;
  /** MetadataOptions.HttpTokens ('required' is IMDSv2 only). */
  httpTokens?: string;
  /** The rest of MetadataOptions, as sent (absent in worlds saved before). */
  httpEndpoint?: string;
  httpPutResponseHopLimit?: number;
  httpProtocolIpv6?: string;
  blockDeviceMappings?: BlockDeviceMapping[];
}

export interface BlockDeviceMapping {
  deviceName: string;
  virtualName?: string;
  ebs?: { volumeSize?: number; volumeType?: string; encrypted?: boolean; iops?: number; throughput?: number; deleteOnTermination?: boolean };
}

export interface LaunchTemplateVersion {
  number: number;
  description?: string;
  createdAt: number;
  data: LaunchTemplateData;
}

export interface LaunchTemplate {
  id: string;
  region: string;
  name: string;
  createdAt: number;
  defaultVersion: number;
  versions: LaunchTemplateVersion[];
  tags: Tags;
}

export type InstanceState = 'pending' | 'running' | 'stopped' | 'shutting-down' | 'terminated';

export interface Instance {
  id: string;
  region: string;
  reservationId: string;
  zone: string;
  subnetId: string;
  vpcId: string;
  state: InstanceState;
  /** When the current state's next transition is due (pending/shutting-down). */
  transitionAt?: number;
  stateReason?: string;
  launchTime: number;
  terminatedAt?: number;
  imageId: string;
  instanceType: string;
  keyName?: string;
  privateIp: string;
  privateDnsName: string;
  securityGroupIds: string[];
  launchTemplate?: { id: string; name: string; version: string };
  /** The instance profile it launched with (its role's credentials). */
  iamInstanceProfile?: { arn: string; id: string };
  userData?: string;
  asgName?: string;
  /** In its group's warm pool (Warmed:*): booted and kept ready, not in service, never a node until the group takes it in. */
  warmPool?: boolean;
  tags: Tags;
  /** The serial console's text (GetConsoleOutput): what the machine's boot printed. */
  consoleOutput?: string;
}

export interface AsgTag {
  key: string;
  value: string;
  propagateAtLaunch: boolean;
}

export interface ScalingActivity {
  id: string;
  description: string;
  cause: string;
  status: 'Successful' | 'Failed' | 'InProgress';
  statusMessage?: string;
  startTime: number;
  endTime?: number;
}

/** An auto scaling group's MixedInstancesPolicy, less its launch template (kept in the group's launchTemplate). */
export interface MixedInstances {
  /** Instance types in priority order; empty: the template's own type. */
  overrides: { instanceType: string; weightedCapacity?: string }[];
  /** InstancesDistribution as given, echoed back (the simulator launches everything on demand). */
  distribution: {
    onDemandAllocationStrategy: string;
    onDemandBaseCapacity: number;
    onDemandPercentageAboveBaseCapacity: number;
    spotAllocationStrategy: string;
    spotInstancePools?: number;
    spotMaxPrice?: string;
  };
}

export interface AutoScalingGroup {
  name: string;
  region: string;
  arn: string;
  /** The template new instances launch from: the group's LaunchTemplate, or its MixedInstancesPolicy's. */
  launchTemplate: { id: string; name: string; version: string };
  /** Present when the group has a MixedInstancesPolicy (then it has no top-level LaunchTemplate). */
  mixedInstances?: MixedInstances;
  minSize: number;
  maxSize: number;
  desiredCapacity: number;
  subnetIds: string[];
  tags: AsgTag[];
  createdAt: number;
  deleting: boolean;
  activities: ScalingActivity[];
  /** Launches paused until this time after a failure. */
  retryLaunchAt?: number;
  /** Target groups and classic load balancers its in-service instances are registered with (absent in worlds saved before). */
  targetGroupArns?: string[];
  loadBalancerNames?: string[];
  /** PutWarmPool's configuration: instances kept booted beside the group, taken into service first when it grows. */
  warmPool?: WarmPoolConfig;
}

export interface WarmPoolConfig {
  minSize: number;
  /** The group's capacity plus its warm pool at most; the group's MaxSize when unset. */
  maxGroupPreparedCapacity?: number;
  poolState: 'Stopped' | 'Running' | 'Hibernated';
}

export interface HostedZone {
  id: string;
  name: string;
  callerReference: string;
  comment?: string;
  privateZone: boolean;
  vpcs: { region: string; id: string }[];
  records: ResourceRecordSet[];
  createdAt: number;
}

export interface ResourceRecordSet {
  name: string;
  type: string;
  ttl?: number;
  values: string[];
  aliasTarget?: { hostedZoneId: string; dnsName: string; evaluateTargetHealth: boolean };
}

export interface Change {
  id: string;
  submittedAt: number;
  comment?: string;
}

export interface S3Object {
  /** Base64 bytes. */
  body: string;
  etag: string;
  lastModified: number;
  contentType?: string;
  /** The x-amz-server-side-encryption the PUT asked for (AES256, aws:kms, aws:kms:dsse). */
  serverSideEncryption?: string;
}

export interface Bucket {
  name: string;
  region: string;
  createdAt: number;
  objects: Record<string, S3Object>;
}

export interface AwsWorldState {
  vpcs: Record<string, Vpc>;
  subnets: Record<string, Subnet>;
  internetGateways: Record<string, InternetGateway>;
  routeTables: Record<string, RouteTable>;
  addresses: Record<string, ElasticAddress>;
  natGateways: Record<string, NatGateway>;
  securityGroups: Record<string, SecurityGroup>;
  launchTemplates: Record<string, LaunchTemplate>;
  instances: Record<string, Instance>;
  autoScalingGroups: Record<string, AutoScalingGroup>;
  hostedZones: Record<string, HostedZone>;
  changes: Record<string, Change>;
  buckets: Record<string, Bucket>;
  loadBalancing: LoadBalancingState;
  /** EBS volumes (absent in worlds saved before). */
  volumes: Record<string, Volume>;
  /** IAM roles and instance profiles (global; absent in worlds saved before). */
  iam: IamState;
  /** EC2 key pairs (absent in worlds saved before). */
  keyPairs: Record<string, KeyPair>;
}

export function emptyWorldState(): AwsWorldState {
  return {
    vpcs: {},
    subnets: {},
    internetGateways: {},
    routeTables: {},
    addresses: {},
    natGateways: {},
    securityGroups: {},
    launchTemplates: {},
    instances: {},
    autoScalingGroups: {},
    hostedZones: {},
    changes: {},
    buckets: {},
    loadBalancing: emptyLoadBalancingState(),
    volumes: {},
    iam: emptyIamState(),
    keyPairs: {},
  };
}
