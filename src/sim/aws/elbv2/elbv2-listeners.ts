// Listeners: a port and protocol on a load balancer that forwards to a target
// group. A target group serves one load balancer; the protocols must suit the
// load balancer's type and each other, as AWS checks them.
import { AwsError } from '../aws-error.js';
import type { Params } from '../query-params.js';
import type { Listener, LoadBalancerV2, TargetGroup } from '../world/load-balancing-types.js';
import { arnPrefix, intWithin, listenerNamed, loadBalancerNamed, markerPage, need, stateOf, tagsOf, targetGroupNamed, type ElbContext, type ElbHandler } from './elbv2-common.js';
import { listenerXml } from './elbv2-xml.js';

export const NETWORK_PROTOCOLS = ['TCP', 'TLS', 'UDP', 'TCP_UDP'];
export const APPLICATION_PROTOCOLS = ['HTTP', 'HTTPS'];
const DEFAULT_SSL_POLICY = 'ELBSecurityPolicy-TLS13-1-2-2021-06';

function protocolsOf(lb: LoadBalancerV2): string[] {
  return lb.type === 'network' ? NETWORK_PROTOCOLS : APPLICATION_PROTOCOLS;
}

/** The target group each default action forwards to (Type forward, by TargetGroupArn or a one-group ForwardConfig). */
function forwardTargets(ctx: ElbContext, params: Params): TargetGroup[] {
  const actions = params.objects('DefaultActions');
  if (actions.length === 0) throw new AwsError('ValidationError', 'A default action must be specified');
  return actions.map((action) => {
    const type = need(action, 'Type');
    if (type !== 'forward') throw new AwsError('ValidationError', `Action type '${type}' is not served by the simulator (forward only)`);
    const arn = action.str('TargetGroupArn') ?? action.object('ForwardConfig')?.objects('TargetGroups')[0]?.str('TargetGroupArn');
    if (!arn) throw new AwsError('ValidationError', 'A target group ARN must be specified');
    return targetGroupNamed(ctx, arn);
  });
}

function checkTarget(ctx: ElbContext, lb: LoadBalancerV2, protocol: string, group: TargetGroup): void {
  if (!protocolsOf(lb).includes(group.protocol)) {
    throw new AwsError('IncompatibleProtocols', `The target group protocol '${group.protocol}' is not compatible with a load balancer of type '${lb.type}'`);
  }
  const udpListener = protocol === 'UDP' || protocol === 'TCP_UDP';
  const udpGroup = group.protocol === 'UDP' || group.protocol === 'TCP_UDP';
  if (lb.type === 'network' && udpListener !== udpGroup) {
    throw new AwsError('IncompatibleProtocols', `Listener protocol '${protocol}' is not compatible with target group protocol '${group.protocol}'`);
  }
  if (group.vpcId !== lb.vpcId) {
    throw new AwsError('ValidationError', `The VPC ID of target group '${group.arn}' ('${group.vpcId}') does not match the VPC ID of the load balancer ('${lb.vpcId}')`);
  }
  const elsewhere = ctx.world.loadBalancing.loadBalancersOf(group).filter((other) => other.arn !== lb.arn);
  if (elsewhere.length > 0) throw new AwsError('TargetGroupAssociationLimit', `The following target groups cannot be associated with more than one load balancer: ${group.arn}`);
}

export const createListener: ElbHandler = (ctx) => {
  const { params, region, world } = ctx;
  const lb = loadBalancerNamed(ctx, need(params, 'LoadBalancerArn'));
  const protocol = need(params, 'Protocol');
  if (!protocolsOf(lb).includes(protocol)) throw new AwsError('UnsupportedProtocol', `Protocol '${protocol}' is not supported by a load balancer of type '${lb.type}'`);
  const port = intWithin(params, 'Port', 1, 65535);
  if (port === undefined) need(params, 'Port');
  const certificateArns = params.objects('Certificates').map((c) => need(c, 'CertificateArn'));
  const secure = protocol === 'TLS' || protocol === 'HTTPS';
  if (secure && certificateArns.length === 0) throw new AwsError('ValidationError', `A certificate must be specified for ${protocol} listeners`);
  const groups = forwardTargets(ctx, params);
  for (const group of groups) checkTarget(ctx, lb, protocol, group);
  const state = stateOf(ctx);
  const existing = Object.values(state.listeners).find((l) => l.loadBalancerArn === lb.arn && l.port === port);
  if (existing) {
    const same = existing.protocol === protocol && existing.defaultActions.every((a, i) => a.targetGroupArn === groups[i]?.arn) && existing.defaultActions.length === groups.length;
    if (!same) throw new AwsError('DuplicateListener', `A listener already exists on this port for this load balancer '${lb.arn}'`);
    return { Listeners: [listenerXml(existing)] };
  }
  const [, , lbName, lbId] = lb.arn.split(':').pop()!.split('/');
  const listener: Listener = {
    arn: `${arnPrefix(region)}:listener/${lb.type === 'network' ? 'net' : 'app'}/${lbName}/${lbId}/${world.deps.random.hex(16)}`,
    region,
    loadBalancerArn: lb.arn,
    protocol,
    port: port!,
    certificateArns,
    sslPolicy: secure ? (params.str('SslPolicy') ?? DEFAULT_SSL_POLICY) : undefined,
    alpnPolicy: params.strings('AlpnPolicy').length > 0 ? params.strings('AlpnPolicy') : undefined,
    defaultActions: groups.map((g) => ({ type: 'forward', targetGroupArn: g.arn })),
    tags: tagsOf(params),
  };
  state.listeners[listener.arn] = listener;
  world.changed();
  return { Listeners: [listenerXml(listener)] };
};

export const describeListeners: ElbHandler = (ctx) => {
  const lbArn = ctx.params.str('LoadBalancerArn');
  const arns = ctx.params.strings('ListenerArns');
  if (lbArn && arns.length > 0) throw new AwsError('ValidationError', 'Listener ARNs and a load balancer ARN cannot be specified at the same time');
  if (!lbArn && arns.length === 0) throw new AwsError('ValidationError', 'You must specify either listener ARNs or a load balancer ARN');
  const all = Object.values(stateOf(ctx).listeners).filter((l) => l.region === ctx.region);
  let chosen: Listener[];
  if (lbArn) {
    loadBalancerNamed(ctx, lbArn);
    chosen = all.filter((l) => l.loadBalancerArn === lbArn);
  } else {
    if (arns.some((arn) => !all.some((l) => l.arn === arn))) throw new AwsError('ListenerNotFound', 'One or more listeners not found');
    chosen = all.filter((l) => arns.includes(l.arn));
  }
  const { page, NextMarker } = markerPage(ctx.params, chosen.sort((a, b) => a.port - b.port));
  return { Listeners: page.map(listenerXml), NextMarker };
};

export const deleteListener: ElbHandler = (ctx) => {
  const listener = listenerNamed(ctx, need(ctx.params, 'ListenerArn'));
  delete stateOf(ctx).listeners[listener.arn];
  ctx.world.changed();
  return null;
};
