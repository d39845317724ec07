// An error answered in the service's own error format, with AWS's code so the
// SDK raises its typed exception (err.name === code).

export class AwsError extends Error {
  constructor(
    readonly code: string,
    message: string,
    readonly status = 400,
  ) {
    super(message);
    this.name = 'AwsError';
  }
}
