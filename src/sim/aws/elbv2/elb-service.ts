// Elastic Load Balancing over awsQuery. Version 2015-12-01 (network and
// application load balancers) and 2012-06-01 (classic) both sign as
// `elasticloadbalancing`: the request's Version parameter says which API it is.
import { AwsError } from '../aws-error.js';
import type { AwsRequest, AwsService } from '../aws-service.js';
import { queryAction, queryParams, sendAwsQuery, sendAwsQueryError } from '../query-protocol.js';
import * as classic from '../elb/classic-load-balancers.js';
import * as classicInstances from '../elb/classic-instances.js';
import { ELB_XMLNS } from '../elb/classic-common.js';
import { ELBV2_XMLNS, type ElbHandler } from './elbv2-common.js';
import * as listeners from './elbv2-listeners.js';
import * as balancers from './elbv2-load-balancers.js';
import * as tags from './elbv2-tags.js';
import * as targetGroups from './elbv2-target-groups.js';
import * as targets from './elbv2-targets.js';

const V2_ACTIONS: Record<string, ElbHandler> = {
  CreateLoadBalancer: balancers.createLoadBalancer,
  DescribeLoadBalancers: balancers.describeLoadBalancers,
  DeleteLoadBalancer: balancers.deleteLoadBalancer,
  DescribeLoadBalancerAttributes: balancers.describeLoadBalancerAttributes,
  ModifyLoadBalancerAttributes: balancers.modifyLoadBalancerAttributes,
  CreateListener: listeners.createListener,
  DescribeListeners: listeners.describeListeners,
  DeleteListener: listeners.deleteListener,
  CreateTargetGroup: targetGroups.createTargetGroup,
  DescribeTargetGroups: targetGroups.describeTargetGroups,
  DeleteTargetGroup: targetGroups.deleteTargetGroup,
  ModifyTargetGroup: targetGroups.modifyTargetGroup,
  DescribeTargetGroupAttributes: targetGroups.describeTargetGroupAttributes,
  ModifyTargetGroupAttributes: targetGroups.modifyTargetGroupAttributes,
  RegisterTargets: targets.registerTargets,
  DeregisterTargets: targets.deregisterTargets,
  DescribeTargetHealth: targets.describeTargetHealth,
  AddTags: tags.addTags,
  RemoveTags: tags.removeTags,
  DescribeTags: tags.describeTags,
};

const CLASSIC_ACTIONS: Record<string, ElbHandler> = {
  CreateLoadBalancer: classic.createLoadBalancer,
  DescribeLoadBalancers: classic.describeLoadBalancers,
  DeleteLoadBalancer: classic.deleteLoadBalancer,
  ConfigureHealthCheck: classic.configureHealthCheck,
  DescribeLoadBalancerAttributes: classic.describeLoadBalancerAttributes,
  ModifyLoadBalancerAttributes: classic.modifyLoadBalancerAttributes,
  RegisterInstancesWithLoadBalancer: classicInstances.registerInstances,
  DeregisterInstancesFromLoadBalancer: classicInstances.deregisterInstances,
  DescribeInstanceHealth: classicInstances.describeInstanceHealth,
  AddTags: classic.addTags,
  RemoveTags: classic.removeTags,
  DescribeTags: classic.describeTags,
};

const APIS: Record<string, { actions: Record<string, ElbHandler>; xmlns: string }> = {
  '2015-12-01': { actions: V2_ACTIONS, xmlns: ELBV2_XMLNS },
  '2012-06-01': { actions: CLASSIC_ACTIONS, xmlns: ELB_XMLNS },
};

function apiOf(request: AwsRequest): { version: string; actions: Record<string, ElbHandler>; xmlns: string } {
  const version = queryParams(request).str('Version') ?? '';
  const api = APIS[version];
  if (!api) throw new AwsError('InvalidAction', `Could not find an Elastic Load Balancing API for version '${version}'`);
  return { version, ...api };
}

export class ElasticLoadBalancingService implements AwsService {
  readonly name = 'elasticloadbalancing';
  readonly throttleError = { code: 'Throttling', status: 400 };

  action(request: AwsRequest): string {
    return queryAction(request);
  }

  handle(request: AwsRequest, action: string): void {
    const api = apiOf(request);
    const handler = api.actions[action];
    if (!handler) throw new AwsError('InvalidAction', `Could not find operation ${action} for version ${api.version}`);
    const result = handler({ params: queryParams(request), region: request.region, world: request.world });
    sendAwsQuery(request, action, result, api.xmlns);
  }

  sendError(request: AwsRequest, error: AwsError): void {
    const version = queryParams(request).str('Version');
    sendAwsQueryError(request, error, version === '2012-06-01' ? ELB_XMLNS : ELBV2_XMLNS);
  }
}
