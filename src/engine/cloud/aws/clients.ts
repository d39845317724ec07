// The AWS SDK v3 clients the engine uses. Credentials and region come from the
// SDK's default chain (environment, shared config and profiles, SSO), and the
// SDK itself honours AWS_ENDPOINT_URL and AWS_ENDPOINT_URL_<SERVICE> (checked in
// @smithy/core getEndpointUrlConfig), so an endpoint is passed only when the
// caller gives one explicitly. Adaptive retries make throttling slow us down
// instead of failing us. They are the only retries of throttling, 5xx and
// network errors: the reconcile tasks retry just what the SDK does not
// (reconcile/task-retry.ts), so a call is sent at most maxAttempts times.
import { EC2Client } from '@aws-sdk/client-ec2';
import { AutoScalingClient } from '@aws-sdk/client-auto-scaling';
import { Route53Client } from '@aws-sdk/client-route-53';
import { S3Client } from '@aws-sdk/client-s3';
import { ElasticLoadBalancingV2Client } from '@aws-sdk/client-elastic-load-balancing-v2';
import { ElasticLoadBalancingClient } from '@aws-sdk/client-elastic-load-balancing';
import { IAMClient } from '@aws-sdk/client-iam';
import type { CloudAccess } from '../access.js';

export interface AwsClientOptions {
  region?: string;
  /** One endpoint for every service (else the SDK's own resolution, including AWS_ENDPOINT_URL*). */
  endpoint?: string;
  /** SDK attempts per call, first try included. */
  maxAttempts?: number;
  /** Explicit credentials (the simulator's placeholders); absent: the SDK's default chain. */
  credentials?: { accessKeyId: string; secretAccessKey: string };
}

export interface AwsClients {
  ec2: EC2Client;
  autoscaling: AutoScalingClient;
  route53: Route53Client;
  s3: S3Client;
  /** Network and application load balancers, target groups (the rollout deregisters instances before a drain). */
  elbv2: ElasticLoadBalancingV2Client;
  /** Classic load balancers (kops clusters may still register instances with them). */
  elb: ElasticLoadBalancingClient;
  /**
   * IAM (global): given the cluster's region, the SDK resolves the partition's
   * global endpoint and signs for its home region (iam.amazonaws.com and
   * us-east-1 for any commercial region); a custom endpoint applies as for
   * the other clients (the simulator's, or AWS_ENDPOINT_URL_IAM).
   */
  iam: IAMClient;
  /** The region the clients were made for (resolved from options, AWS_REGION or AWS_DEFAULT_REGION). */
  region: string | undefined;
  destroy(): void;
}

export const DEFAULT_MAX_ATTEMPTS = 8;

export function createAwsClients(options: AwsClientOptions = {}): AwsClients {
  const region = options.region ?? process.env.AWS_REGION ?? process.env.AWS_DEFAULT_REGION;
  const common = {
    ...(region ? { region } : {}),
    ...(options.endpoint ? { endpoint: options.endpoint } : {}),
    ...(options.credentials ? { credentials: options.credentials } : {}),
    retryMode: 'adaptive',
    maxAttempts: options.maxAttempts ?? DEFAULT_MAX_ATTEMPTS,
  };
  const ec2 = new EC2Client(common);
  const autoscaling = new AutoScalingClient(common);
  const route53 = new Route53Client(common);
  // Path-style addressing whenever a custom endpoint is in play: S3-compatible
  // endpoints (and loopback ones) rarely resolve bucket subdomains.
  const customS3Endpoint = Boolean(options.endpoint || process.env.AWS_ENDPOINT_URL_S3 || process.env.AWS_ENDPOINT_URL);
  // A state store's bucket may be in another region than the cluster: S3's redirect to it is followed.
  const s3 = new S3Client({ ...common, forcePathStyle: customS3Endpoint, followRegionRedirects: true });
  const elbv2 = new ElasticLoadBalancingV2Client(common);
  const elb = new ElasticLoadBalancingClient(common);
  const iam = new IAMClient(common);
  return {
    ec2,
    autoscaling,
    route53,
    s3,
    elbv2,
    elb,
    iam,
    region,
    destroy() {
      ec2.destroy();
      autoscaling.destroy();
      route53.destroy();
      s3.destroy();
      elbv2.destroy();
      elb.destroy();
      iam.destroy();
    },
  };
}

/** The clients for a region of the cloud `access` reaches (its endpoint and credentials, if it names them). */
export function awsClientsFor(access: CloudAccess, region: string): AwsClients {
  return createAwsClients({ region, endpoint: access.awsEndpoint, credentials: access.awsCredentials });
}
