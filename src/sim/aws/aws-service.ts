// What every simulated AWS service provides to the router.
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { AwsError } from './aws-error.js';
import type { AwsWorld } from './world/aws-world.js';

export interface AwsRequest {
  req: IncomingMessage;
  res: ServerResponse;
  method: string;
  url: URL;
  body: Buffer;
  region: string;
  requestId: string;
  world: AwsWorld;
}

export interface AwsService {
  /** The SigV4 signing name: ec2, autoscaling, route53, s3. */
  readonly name: string;
  /** The operation name (CreateVpc, PutObject, ...), for accounting; throws AwsError when unknown. */
  action(request: AwsRequest): string;
  handle(request: AwsRequest, action: string): void;
  sendError(request: AwsRequest, error: AwsError): void;
  /** The error code this service uses when throttling. */
  readonly throttleError: { code: string; status: number };
}

export function sendXml(request: AwsRequest, status: number, xml: string, headers: Record<string, string> = {}): void {
  request.res.writeHead(status, {
    'content-type': 'text/xml;charset=UTF-8',
    'content-length': Buffer.byteLength(xml),
    'x-amzn-requestid': request.requestId,
    ...headers,
  });
  request.res.end(request.method === 'HEAD' ? undefined : xml);
}
