// Errors a subcommand reports to the user: one clear sentence on stderr and an
// exit code, never a stack trace unless --debug. The exit codes are a contract
// with pipelines (README "In pipelines"): a code keeps its meaning once shipped.
import type { SpecError } from '../engine/spec/spec-error.js';

/** Done, or (without --yes) nothing to change. */
export const EXIT_OK = 0;
/** An error: bad input, a failure; the message says what was done and what was not. */
export const EXIT_ERROR = 1;
/** The cluster did not validate, or a spec is not valid. */
export const EXIT_VALIDATION_FAILED = 2;
/** A rolling update was aborted (Ctrl-C, x in the console); re-running resumes it. */
export const EXIT_ABORTED = 3;
/** `update cluster` without --yes: the plan has changes that --yes would make (as `terraform plan -detailed-exitcode` exits 2). */
export const EXIT_CHANGES_PENDING = 4;
/** `rolling-update cluster` without --yes: instances need replacing, and --yes would replace them. */
export const EXIT_ROLLOUT_PENDING = 5;

export class CliError extends Error {
  constructor(
    message: string,
    readonly exitCode: number = EXIT_ERROR,
    /** Extra lines printed after the sentence (problems, hints). */
    readonly details: string[] = [],
  ) {
    super(message);
    this.name = 'CliError';
  }
}

/** An exit code whose reason was already shown to the user (e.g. by the console). */
export function exitSilently(exitCode: number): CliError {
  return new CliError('', exitCode);
}

/** A spec that does not validate: exit code 2 and every problem listed. */
export function specInvalid(subject: string, errors: SpecError[]): CliError {
  const count = errors.length === 1 ? '1 problem' : `${errors.length} problems`;
  return new CliError(
    `${subject} is not valid (${count}); nothing was written.`,
    EXIT_VALIDATION_FAILED,
    errors.map((error) => `  ${error.path ? error.path + ': ' : ''}${error.message}`),
  );
}
