// Percent-decoding that cannot throw: a malformed escape (`%ZZ`) in a path
// is the client's mistake, answered with the protocol's 400, never an
// exception out of a request handler.

/** The decoded text, or undefined when `text` has a malformed percent escape. */
export function tryDecodeUri(text: string): string | undefined {
  try {
    return decodeURIComponent(text);
  } catch {
    return undefined;
  }
}
