// Reading and writing Cluster and InstanceGroup YAML. Parsing keeps the whole
// document (unmodelled fields included) so that writing it back changes
// nothing but what the user changed. Output is in kops' style: keys sorted,
// list items not indented under their key, as `kops get -o yaml` prints.
import { withKopsDecodeDefaults } from './kops-decode.js';
import { parseAllDocuments, stringify, type Document } from 'yaml';
import { checkClusterShape, checkInstanceGroupShape, describe, isRecord } from './shape.js';
import { fail, ok, prefixErrors, specError, type SpecError, type SpecResult } from './spec-error.js';
import type { Cluster, ClusterBundle, InstanceGroup } from './types.js';
import { errorMessage } from '../error-message.js';

const MAX_INPUT_CHARS = 4 * 1024 * 1024;

/** Parses YAML (or JSON) text into plain values, one per non-empty document. */
export function parseYamlDocuments(text: unknown): SpecResult<unknown[]> {
  if (typeof text !== 'string') return fail([specError('', `expected YAML text, got ${describe(text)}`)]);
  if (text.length > MAX_INPUT_CHARS) {
    return fail([specError('', `the document is ${text.length} characters long; the limit is ${MAX_INPUT_CHARS}`)]);
  }
  let documents: Document.Parsed[];
  try {
    documents = parseAllDocuments(text, { uniqueKeys: true }) as Document.Parsed[];
  } catch (error) {
    return fail([specError('', `the YAML could not be read: ${firstLine(error)}`)]);
  }
  if (!Array.isArray(documents)) return fail([specError('', 'the YAML could not be read')]);
  const errors: SpecError[] = [];
  const values: unknown[] = [];
  for (const document of documents) {
    if (document.errors.length > 0) {
      errors.push(...document.errors.map((e) => specError('', `YAML syntax error: ${firstLine(e)}`)));
      continue;
    }
    try {
      const value: unknown = document.toJS({ maxAliasCount: 100 });
      if (value !== null && value !== undefined) values.push(value);
    } catch (error) {
      errors.push(specError('', `the YAML could not be read: ${firstLine(error)}`));
    }
  }
  return errors.length > 0 ? fail(errors) : ok(values);
}

function firstLine(error: unknown): string {
  const message = errorMessage(error);
  return message.split('\n')[0].replace(/:$/, '');
}

function single(text: unknown, kind: string): SpecResult<unknown> {
  const parsed = parseYamlDocuments(text);
  if (!parsed.ok) return parsed;
  if (parsed.value.length !== 1) {
    const found = parsed.value.length === 0 ? 'an empty document' : `${parsed.value.length} documents`;
    return fail([specError('', `expected exactly one ${kind} document, found ${found}`)]);
  }
  return ok(parsed.value[0]);
}

/** Checks that an already-parsed value is shaped like a Cluster. */
export function asCluster(value: unknown): SpecResult<Cluster> {
  // As kops' decoder reads it (kops-decode.ts): a missing topology or api is filled in, not refused.
  const decoded = withKopsDecodeDefaults(value);
  const errors = checkClusterShape(decoded);
  return errors.length > 0 ? fail(errors) : ok(decoded as Cluster);
}

/** Checks that an already-parsed value is shaped like an InstanceGroup. */
export function asInstanceGroup(value: unknown): SpecResult<InstanceGroup> {
  const errors = checkInstanceGroupShape(value);
  return errors.length > 0 ? fail(errors) : ok(value as InstanceGroup);
}

export function parseCluster(text: unknown): SpecResult<Cluster> {
  const doc = single(text, 'Cluster');
  return doc.ok ? asCluster(doc.value) : doc;
}

export function parseInstanceGroup(text: unknown): SpecResult<InstanceGroup> {
  const doc = single(text, 'InstanceGroup');
  return doc.ok ? asInstanceGroup(doc.value) : doc;
}

/**
 * Parses a file holding one Cluster and any number of InstanceGroups separated
 * by `---`, as `kops get <cluster> -o yaml` prints. Error paths start with
 * `documents[i]` (counted from 0) so the user can find the document.
 */
export function parseClusterFile(text: unknown): SpecResult<ClusterBundle> {
  const parsed = parseYamlDocuments(text);
  if (!parsed.ok) return parsed;
  const errors: SpecError[] = [];
  const clusters: Cluster[] = [];
  const instanceGroups: InstanceGroup[] = [];
  parsed.value.forEach((doc, i) => {
    const at = `documents[${i}]`;
    const kind = isRecord(doc) ? doc.kind : undefined;
    if (kind === 'Cluster') {
      const result = asCluster(doc);
      if (result.ok) clusters.push(result.value);
      else errors.push(...prefixErrors(at, result.errors));
    } else if (kind === 'InstanceGroup') {
      const result = asInstanceGroup(doc);
      if (result.ok) instanceGroups.push(result.value);
      else errors.push(...prefixErrors(at, result.errors));
    } else {
      errors.push(specError(at, `has kind ${describe(kind)}; expected Cluster or InstanceGroup`));
    }
  });
  if (clusters.length !== 1 && errors.length === 0) {
    errors.push(specError('', `expected exactly one Cluster document, found ${clusters.length}`));
  }
  return errors.length > 0 ? fail(errors) : ok({ cluster: clusters[0], instanceGroups });
}

// YAML 1.1 quoting rules on output, so that Go YAML readers (kops itself) keep
// strings such as "yes", "on" and timestamps as strings.
const STRINGIFY_OPTIONS = { sortMapEntries: true, indentSeq: false, lineWidth: 0, version: '1.1' } as const;

/** YAML for one resource, in kops' layout. */
export function serialiseResource(resource: Cluster | InstanceGroup): string {
  const text = stringify(resource, STRINGIFY_OPTIONS);
  // Never write what reading would refuse: the store would hold a resource no command can open.
  if (text.length > MAX_INPUT_CHARS) {
    throw new Error(`${resource.kind} ${resource.metadata?.name ?? ''} would be ${text.length} characters of YAML; kopsdeck reads at most ${MAX_INPUT_CHARS}, so it was not written`);
  }
  return text;
}

export const serialiseCluster: (cluster: Cluster) => string = serialiseResource;
export const serialiseInstanceGroup: (ig: InstanceGroup) => string = serialiseResource;

/** The Cluster, then each InstanceGroup, separated by `---`. */
export function serialiseClusterFile(bundle: ClusterBundle): string {
  return [bundle.cluster, ...bundle.instanceGroups].map(serialiseResource).join('---\n');
}
