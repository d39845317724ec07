// Which task failures are worth running the task again for, and how long to
// wait. Two levels retry, and they must not multiply: every AWS call already
// goes through the SDK's own retries (adaptive mode, DEFAULT_MAX_ATTEMPTS in
// cloud/aws/clients.ts), which cover throttling, 5xx, timeouts and network
// errors (@smithy/core's service-error-classification). An error of that kind
// reaching a task means the SDK has spent its attempts: the task fails.
//
// The task retries only what the SDK does not: AWS answering, correctly, "not
// yet" (the cases kops' executor waits out with TryAgainLaterError and that
// pkg/resources/aws retries as IsDependencyViolation):
// - something still depends on what is being deleted or changed
//   (DependencyViolation, InvalidGroup.InUse, ResourceInUse, VolumeInUse, ...);
// - a resource made a moment ago is not visible yet to another call (EC2's
//   eventual consistency: the *.NotFound codes kops' awsup lists as
//   tagsEventualConsistencyErrors), for creates and modifies only (a delete
//   already takes "not found" as done);
// - an IAM instance profile made a moment ago is not known yet to EC2 or Auto
//   Scaling ("Invalid IamInstanceProfile", "Invalid IAM Instance Profile
//   name", as kops' AutoscalingGroup task and Terraform's provider retry).
// Delays grow exponentially with full jitter (a uniform draw below the cap),
// so that tasks failing together do not come back together, and the retries of
// one task stop once a time budget is spent.
import { errorCode, isThrottlingError } from '../cloud/aws/errors.js';

interface AwsLikeError {
  message?: string;
  code?: string;
  $metadata?: { httpStatusCode?: number };
  $retryable?: unknown;
}

/** First retry's delay cap (clock ms); the cap doubles per retry. */
export const DEFAULT_RETRY_BASE_MS = 1_000;
/** The largest delay cap (clock ms), as the SDK's own MAXIMUM_RETRY_DELAY. */
export const MAX_RETRY_DELAY_MS = 20_000;
/** How long (clock ms) a task keeps retrying, from its first attempt (kops' executor allows 10 minutes). */
export const DEFAULT_RETRY_BUDGET_MS = 5 * 60_000;

/** Codes meaning "something still uses it": AWS will say yes once that has let go. */
const IN_USE_CODES = new Set([
  'DependencyViolation',
  'InvalidGroup.InUse',
  'InvalidIPAddress.InUse',
  'ResourceInUse',
  'VolumeInUse',
  'ScalingActivityInProgress',
  'IncorrectState',
  'ResourceContention',
]);

/** EC2 ids not visible yet right after their create (kops: awsup tagsEventualConsistencyErrors, plus the kinds kopsdeck makes). */
const NOT_YET_VISIBLE_CODES = new Set([
  'InvalidInstanceID.NotFound',
  'InvalidRouteTableID.NotFound',
  'InvalidVpcID.NotFound',
  'InvalidGroup.NotFound',
  'InvalidSubnetID.NotFound',
  'InvalidDhcpOptionsID.NotFound',
  'InvalidInternetGatewayID.NotFound',
  'InvalidAllocationID.NotFound',
  'InvalidNatGatewayID.NotFound',
  'InvalidNetworkInterfaceID.NotFound',
  'InvalidLaunchTemplateId.NotFound',
  'InvalidVolume.NotFound',
]);

/** An instance profile EC2 or Auto Scaling does not know yet (IAM propagates in seconds). */
const IAM_PROPAGATION = /Invalid IamInstanceProfile|Invalid IAM Instance Profile/i;

/**
 * True for what the SDK's retry strategy already retried (so its attempts are
 * spent): throttling, 5xx, timeouts, network errors, errors the service marks
 * retryable. Mirrors @smithy/core's isThrottlingError, isTransientError and
 * isServerError.
 */
export function isRetriedBySdk(error: unknown): boolean {
  if (isThrottlingError(error)) return true;
  const e = error as AwsLikeError | undefined;
  if (e?.$retryable !== undefined) return true;
  const status = e?.$metadata?.httpStatusCode ?? 0;
  if (status >= 500 && status <= 599) return true;
  const code = errorCode(error);
  if (['TimeoutError', 'RequestTimeout', 'RequestTimeoutException'].includes(code)) return true;
  const nodeCode = e?.code ?? '';
  return ['ECONNRESET', 'ECONNREFUSED', 'EPIPE', 'ETIMEDOUT', 'EHOSTUNREACH', 'ENETUNREACH', 'ENOTFOUND', 'EAI_AGAIN'].includes(nodeCode);
}

/** Whether running the task again may succeed where this attempt failed (see the file comment). */
export function isTaskRetryable(error: unknown, action: 'create' | 'modify' | 'delete'): boolean {
  if (isRetriedBySdk(error)) return false;
  const code = errorCode(error);
  if (IN_USE_CODES.has(code)) return true;
  if (action !== 'delete' && NOT_YET_VISIBLE_CODES.has(code)) return true;
  const message = String((error as AwsLikeError | undefined)?.message ?? '');
  return IAM_PROPAGATION.test(message);
}

/**
 * The delay before retry number `retry` (1 for the first): exponential backoff
 * with full jitter, a draw of `random` (in [0, 1)) times
 * min(MAX_RETRY_DELAY_MS, baseMs * 2^(retry - 1)).
 */
export function jitteredBackoff(retry: number, baseMs: number, random: () => number): number {
  const cap = Math.min(MAX_RETRY_DELAY_MS, baseMs * 2 ** (retry - 1));
  return Math.floor(random() * cap);
}
