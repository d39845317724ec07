// Every spec function reports problems as data, never by throwing, so that a
// caller can show all of them at once (the CLI as stderr lines, the editor as
// comments, the wizard next to the field).

/** One problem, located by a path such as `spec.subnets[1].cidr` ('' for the whole document). */
export interface SpecError {
  path: string;
  message: string;
}

export type SpecResult<T> = { ok: true; value: T } | { ok: false; errors: SpecError[] };

export function ok<T>(value: T): SpecResult<T> {
  return { ok: true, value };
}

export function fail<T>(errors: SpecError[]): SpecResult<T> {
  return { ok: false, errors };
}

export function specError(path: string, message: string): SpecError {
  return { path, message };
}

/** Joins a parent path and a child key: ('spec', 'subnets') -> 'spec.subnets'. */
export function childPath(parent: string, key: string | number): string {
  if (typeof key === 'number') return `${parent}[${key}]`;
  return parent ? `${parent}.${key}` : key;
}

/** Puts a prefix in front of each error's path: 'instanceGroups[nodes]' + 'spec.minSize'. */
export function prefixErrors(prefix: string, errors: SpecError[]): SpecError[] {
  return errors.map((e) => ({ path: e.path ? `${prefix}.${e.path}` : prefix, message: e.message }));
}

/** One line per error, `path: message`, for stderr and editor comments. */
export function formatSpecErrors(errors: SpecError[]): string[] {
  return errors.map((e) => (e.path ? `${e.path}: ${e.message}` : e.message));
}
