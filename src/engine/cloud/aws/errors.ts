// Classifying AWS errors: what is worth retrying and what means "already gone".

interface AwsLikeError {
  name?: string;
  Code?: string;
  code?: string;
  message?: string;
  $metadata?: { httpStatusCode?: number };
  $retryable?: { throttling?: boolean };
}

const THROTTLING_CODES = new Set([
  'Throttling',
  'ThrottlingException',
  'ThrottledException',
  'RequestThrottled',
  'RequestThrottledException',
  'RequestLimitExceeded',
  'TooManyRequestsException',
  'SlowDown',
  'PriorRequestNotComplete',
  'EC2ThrottledException',
]);

export function errorCode(error: unknown): string {
  const e = error as AwsLikeError | undefined;
  return e?.name ?? e?.Code ?? e?.code ?? 'Error';
}

export function isThrottlingError(error: unknown): boolean {
  const e = error as AwsLikeError | undefined;
  return Boolean(e?.$retryable?.throttling) || THROTTLING_CODES.has(errorCode(error)) || e?.$metadata?.httpStatusCode === 429;
}

/** Throttling, 5xx and transient dependency races: a later attempt may well succeed. */
export function isRetryableError(error: unknown): boolean {
  if (isThrottlingError(error)) return true;
  const e = error as AwsLikeError | undefined;
  const status = e?.$metadata?.httpStatusCode ?? 0;
  if (status >= 500) return true;
  const code = errorCode(error);
  if (['InternalError', 'InternalFailure', 'ServiceUnavailable', 'Unavailable', 'DependencyViolation', 'ResourceInUse', 'VolumeInUse', 'ScalingActivityInProgress', 'IncorrectState', 'ResourceContention'].includes(code)) return true;
  // Network failures between us and the endpoint.
  return ['ECONNRESET', 'ECONNREFUSED', 'EPIPE', 'ETIMEDOUT', 'TimeoutError'].includes(code);
}

export function isNotFoundError(error: unknown): boolean {
  const code = errorCode(error);
  if (/NotFound|NoSuch|NotAttached/.test(code)) return true;
  const message = String((error as AwsLikeError | undefined)?.message ?? '');
  return (code === 'ValidationError' || code === 'InvalidChangeBatch') && /not found|does not exist/i.test(message);
}

/** One sentence for a person, never a stack trace. Credentials problems name what to set. */
export function describeAwsError(error: unknown): string {
  const code = errorCode(error);
  const message = (error as AwsLikeError | undefined)?.message ?? String(error);
  if (code === 'CredentialsProviderError' || /Could not load credentials/i.test(message)) {
    return 'No AWS credentials found: set AWS_PROFILE (or AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY), or run `aws sso login`.';
  }
  if (/Region is missing/i.test(message)) return 'No AWS region set: set AWS_REGION (or a region in your AWS profile).';
  if (['UnauthorizedOperation', 'AccessDenied', 'AccessDeniedException', 'AuthFailure', 'InvalidClientTokenId', 'SignatureDoesNotMatch', 'ExpiredToken'].includes(code)) {
    return `AWS refused the credentials in use (${code}): check AWS_PROFILE or the access keys and their permissions.`;
  }
  return `${code}: ${message}`;
}
