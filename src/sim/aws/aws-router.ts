// Every request that is neither /k8s/ nor /sim/ is AWS: routed by the SigV4
// credential scope's service, counted in the stats, and exposed to the
// throttling and server-error faults before it reaches the service.
import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { SimFaults, SimRandom, SimStats } from '../contracts.js';
import { AwsError } from './aws-error.js';
import type { AwsRequest, AwsService } from './aws-service.js';
import { requestScope } from './request-scope.js';
import { tokenMatches } from '../access-token.js';
import { AutoScalingService } from './autoscaling/autoscaling-service.js';
import { Ec2Service } from './ec2/ec2-service.js';
import { ElasticLoadBalancingService } from './elbv2/elb-service.js';
import { IamService } from './iam/iam-service.js';
import { Route53Service } from './route53/route53-service.js';
import { S3Service } from './s3/s3-service.js';
import type { AwsWorld } from './world/aws-world.js';

export interface AwsRouterDeps {
  world: AwsWorld;
  stats: SimStats;
  faults: SimFaults;
  random: SimRandom;
  /** The world's access token: the access key id every request must be signed with. */
  accessToken: string;
  /** Called for every request that may write, before it is answered: makes the write durable first (persistence.ts). */
  beforeWriteAnswer?: (res: ServerResponse) => void;
}

/** Reads change nothing: every other action of the simulated services may write. */
const isRead = (action: string) => /^(Describe|List|Get|Head)/.test(action);

/** What each service answers to a key it does not know, as AWS answers. */
function unknownKeyError(service: string): AwsError {
  if (service === 'ec2') return new AwsError('AuthFailure', 'AWS was not able to validate the provided access credentials', 401);
  if (service === 's3') return new AwsError('InvalidAccessKeyId', 'The AWS Access Key Id you provided does not exist in our records.', 403);
  return new AwsError('InvalidClientTokenId', 'The security token included in the request is invalid.', 403);
}

export class AwsRouter {
  private readonly services = new Map<string, AwsService>();

  constructor(private readonly deps: AwsRouterDeps) {
    for (const service of [new Ec2Service(), new AutoScalingService(), new Route53Service(), new S3Service(), new ElasticLoadBalancingService(), new IamService()]) {
      this.services.set(service.name, service);
    }
  }

  handle(req: IncomingMessage, res: ServerResponse, body: Buffer): void {
    const scope = requestScope(req);
    const service = scope ? this.services.get(scope.service) : undefined;
    if (!scope || !service) {
      const reason = scope ? `service "${scope.service}" is not simulated` : 'request is not signed with AWS SigV4';
      res.writeHead(400, { 'content-type': 'text/plain' }).end(`kopsdeck simulator: ${reason}\n`);
      return;
    }
    const request: AwsRequest = {
      req,
      res,
      method: req.method ?? 'GET',
      url: new URL(req.url ?? '/', 'http://127.0.0.1'),
      body,
      region: scope.region,
      requestId: randomUUID(),
      world: this.deps.world,
    };
    if (!tokenMatches(this.deps.accessToken, scope.accessKeyId)) {
      service.sendError(request, unknownKeyError(service.name));
      return;
    }
    try {
      const action = service.action(request);
      this.deps.stats.countAwsCall(service.name, action);
      if (!isRead(action)) this.deps.beforeWriteAnswer?.(res);
      this.injectFaults(service);
      service.handle(request, action);
    } catch (error) {
      const awsError = error instanceof AwsError ? error : internalError(error);
      if (!res.headersSent) service.sendError(request, awsError);
    }
  }

  private injectFaults(service: AwsService): void {
    const { faults, random } = this.deps;
    if (faults.throttleRate > 0 && random.next() < faults.throttleRate) {
      throw new AwsError(service.throttleError.code, 'Rate exceeded', service.throttleError.status);
    }
    if (faults.serverErrorRate > 0 && random.next() < faults.serverErrorRate) {
      throw new AwsError('InternalError', 'An internal error has occurred', 500);
    }
  }
}

/**
 * A handler's own failure, answered as AWS answers one. Nothing is written to
 * stderr: the simulator may run inside the console, whose screen it would tear
 * (KOPSDECK_SIM_DEBUG=1 prints the stack, for simulator work).
 */
function internalError(error: unknown): AwsError {
  if (process.env.KOPSDECK_SIM_DEBUG === '1') process.emitWarning(`simulator: AWS handler failed: ${error instanceof Error ? error.stack : String(error)}`);
  return new AwsError('InternalError', 'An internal error has occurred', 500);
}
