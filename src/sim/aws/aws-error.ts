// An error answered in the service's own error format, with AWS's code so the
// SDK raises its typed exception (err.name === code).

export class AwsError extends Error {
  constructor(
    readonly code: string,
    message: string,
    readonly status = 400,
    /** Headers the answer carries besides the service's own (S3's x-amz-bucket-region on a redirect). */
    readonly headers: Record<string, string> = {},
  ) {
    super(message);
    this.name = 'AwsError';
  }
}
