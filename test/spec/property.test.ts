import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { stringify } from 'yaml';
import {
  AWS_REGIONS,
  applySetting,
  buildClusterSpec,
  parseCluster,
  parseClusterFile,
  parseInstanceGroup,
  serialiseCluster,
  serialiseClusterFile,
  checkClusterSpec,
  validateInstanceGroup,
  type SpecError,
  type SpecResult,
} from '../../src/engine/spec/index.js';

const RUNS = { numRuns: 200 };

/** Every kind of value fast-check can make, exotic objects included. */
const exotic = fc.anything({
  withNullPrototype: true,
  withBigInt: true,
  withBoxedValues: true,
  withDate: true,
  withMap: true,
  withSet: true,
  withObjectString: true,
  withSparseArray: true,
  withTypedArray: true,
});

function assertErrorList(errors: unknown): asserts errors is SpecError[] {
  assert.ok(Array.isArray(errors));
  for (const e of errors as SpecError[]) {
    assert.equal(typeof e.path, 'string');
    assert.equal(typeof e.message, 'string');
    assert.ok(e.message.length > 0);
  }
}

/** Either a value, or at least one well-formed error: never both, never neither. */
function assertResult(result: SpecResult<unknown>): void {
  if (result.ok) assert.ok(result.value !== undefined && result.value !== null);
  else {
    assert.ok(result.errors.length > 0);
    assertErrorList(result.errors);
  }
}

const parsers = [parseCluster, parseInstanceGroup, parseClusterFile] as const;

/** YAML text built from arbitrary values, so the parser sees structured as well as junk input. */
const yamlText = fc.oneof(
  fc.string({ maxLength: 300 }),
  fc.string({ unit: 'binary', maxLength: 200 }),
  fc.anything().map((v) => {
    try {
      return stringify(v);
    } catch {
      return String(v);
    }
  }),
  fc.array(fc.jsonValue(), { maxLength: 4 }).map((docs) => docs.map((d) => stringify(d)).join('---\n')),
);

test('parsers never throw on arbitrary text and return a spec or errors', () => {
  fc.assert(
    fc.property(yamlText, (text) => {
      for (const parse of parsers) assertResult(parse(text));
    }),
    RUNS,
  );
});

test('parsers never throw on values that are not text at all', () => {
  fc.assert(
    fc.property(exotic, (value) => {
      for (const parse of parsers) {
        const result = parse(value);
        assertResult(result);
        if (typeof value !== 'string') assert.equal(result.ok, false);
      }
    }),
    RUNS,
  );
});

test('validators never throw on arbitrary values and return a list of errors', () => {
  fc.assert(
    fc.property(exotic, fc.oneof(exotic, fc.array(exotic)), exotic, (cluster, groups, group) => {
      assertErrorList(checkClusterSpec(cluster, groups));
      assertErrorList(validateInstanceGroup(group, cluster));
      assertErrorList(validateInstanceGroup(group));
    }),
    RUNS,
  );
});

const zonesArb = fc
  .constantFrom(...Object.keys(AWS_REGIONS))
  .chain((region) => fc.subarray([...AWS_REGIONS[region]], { minLength: 1 }));

const optionsArb = fc.record({
  zones: zonesArb,
  controlPlaneCount: fc.constantFrom(1, 3, 5),
  nodeCount: fc.integer({ min: 0, max: 20 }),
  topology: fc.constantFrom('public' as const, 'private' as const),
  networking: fc.constantFrom('cilium' as const, 'calico' as const, 'flannel' as const, 'amazonvpc' as const, 'kindnet' as const),
});

test('every built spec for known zones and an odd control plane validates clean and round-trips', () => {
  fc.assert(
    fc.property(optionsArb, fc.boolean(), (options, bastion) => {
      const bundle = buildClusterSpec({ name: 'prop.example.com', ...options, bastion: bastion && options.topology === 'private' });
      assert.deepEqual(checkClusterSpec(bundle.cluster, bundle.instanceGroups), []);
      const again = parseClusterFile(serialiseClusterFile(bundle));
      assert.ok(again.ok);
      assert.deepEqual(again.value, bundle);
    }),
    { numRuns: 40 },
  );
});

/** Every path into a value, as segment lists, so a mutation can hit any field. */
function pathsOf(value: unknown, prefix: (string | number)[] = []): (string | number)[][] {
  if (value === null || typeof value !== 'object') return [prefix];
  const entries = Array.isArray(value) ? value.map((v, i) => [i, v] as const) : Object.entries(value);
  return [prefix, ...entries.flatMap(([k, v]) => pathsOf(v, [...prefix, k]))];
}

function mutate(root: any, path: (string | number)[], replacement: unknown, remove: boolean): any {
  if (path.length === 0) return replacement;
  let node = root;
  for (const key of path.slice(0, -1)) node = node[key];
  const last = path[path.length - 1];
  if (remove && !Array.isArray(node)) delete node[last];
  else node[last] = replacement;
  return root;
}

test('mutated valid specs never make the parser or validator throw', () => {
  const base = buildClusterSpec({ name: 'mut.example.com', zones: ['us-east-1a', 'us-east-1b', 'us-east-1c'], controlPlaneCount: 3, topology: 'private', bastion: true });
  const paths = pathsOf(base);
  fc.assert(
    fc.property(fc.nat(paths.length - 1), exotic, fc.boolean(), (index, replacement, remove) => {
      const mutated = mutate(structuredClone(base), paths[index], replacement, remove);
      assertErrorList(checkClusterSpec(mutated?.cluster, mutated?.instanceGroups));
      let text: string;
      try {
        text = stringify(mutated?.cluster);
      } catch {
        return; // a value yaml itself cannot write is not the parser's concern
      }
      const parsed = parseCluster(text);
      assertResult(parsed);
      if (parsed.ok) assertErrorList(checkClusterSpec(parsed.value, mutated?.instanceGroups));
    }),
    { numRuns: 200 },
  );
});

test('unknown fields of any JSON shape survive serialise then parse', () => {
  const base = buildClusterSpec({ name: 'keep.example.com', zones: ['eu-west-1a'], topology: 'public' }).cluster;
  const key = fc.string({ minLength: 1, maxLength: 12 }).filter((k) => !(k in base.spec) && k !== '__proto__');
  fc.assert(
    fc.property(fc.dictionary(key, fc.jsonValue(), { maxKeys: 4 }), (extra) => {
      const cluster = { ...base, spec: { ...base.spec, ...extra } };
      const again = parseCluster(serialiseCluster(cluster));
      assert.ok(again.ok, JSON.stringify(!again.ok && again.errors));
      assert.deepEqual(again.value, cluster);
    }),
    { numRuns: 200 },
  );
});

test('applySetting never throws and never changes its input', () => {
  const base = buildClusterSpec({ name: 'set.example.com', zones: ['eu-west-1a'], topology: 'public' }).cluster;
  const frozen = JSON.stringify(base);
  fc.assert(
    fc.property(fc.string({ maxLength: 60 }), (setting) => {
      assertResult(applySetting(base, setting));
      assert.equal(JSON.stringify(base), frozen);
    }),
    RUNS,
  );
});
