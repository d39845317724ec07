// Keys of the state store: '/'-separated parts. A part may not be empty, '.'
// or '..', and may not start with '.', which the file store uses for its temp
// and lock files; the same rule on S3 keeps both stores interchangeable.

/** Splits a key into its parts; throws when the key cannot be stored. */
export function checkKey(key: string): string[] {
  const parts = key.split('/');
  const bad = parts.find((p) => p === '' || p.startsWith('.') || p.includes('\\') || p.includes('\0'));
  if (key.length === 0 || bad !== undefined) {
    throw new Error(`"${key}" cannot be used as a state store key: each part must be non-empty and must not start with "."`);
  }
  return parts;
}
