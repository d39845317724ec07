// Errors a subcommand reports to the user: one clear sentence on stderr and an
// exit code (1 error, 2 validation failed), never a stack trace unless --debug.
import type { SpecError } from '../engine/spec/spec-error.js';

export const EXIT_OK = 0;
export const EXIT_ERROR = 1;
export const EXIT_VALIDATION_FAILED = 2;

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
