// The one sentence a failure is reported with. Anything can be thrown (an
// Error, a string, undefined): an Error says its message, anything else is
// shown as text, and reading a message never throws in turn (a cast such as
// `(error as Error).message` does, for a thrown undefined or null).
export function errorMessage(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
