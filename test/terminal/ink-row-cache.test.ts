// The row cache must give exactly the frames Ink gives: random frames (styled
// and wide text, transformers, vertical and horizontal clips, writes off the
// frame), composed again and again so later frames come from the cache, are
// compared with Ink's own compositor byte for byte.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import fc from 'fast-check';
import { installInkRowCache, loadInkOutputClass } from '../../src/terminal/ink-row-cache.js';

type OutputClass = NonNullable<Awaited<ReturnType<typeof loadInkOutputClass>>>;
type Transformer = (line: string, index: number) => string;

const TRANSFORMERS: Record<string, Transformer> = {
  red: (line) => `\x1b[31m${line}\x1b[39m`,
  inverse: (line) => `\x1b[7m${line}\x1b[27m`,
  upper: (line) => line.toUpperCase(),
  numbered: (line, index) => `${index}:${line}`,
};

type Step =
  | { kind: 'write'; x: number; y: number; text: string; transformers: string[] }
  | { kind: 'clip'; x1?: number; x2?: number; y1?: number; y2?: number }
  | { kind: 'unclip' };

// Mostly plain text, as on kopsdeck's screens, with styled and wide text mixed in.
const piece = fc.oneof(
  { weight: 4, arbitrary: fc.constantFrom('a', 'node-1', ' ', '  Ready ', 'x'.repeat(12), '') },
  { weight: 1, arbitrary: fc.constantFrom('漢字', '…', '↑', '\x1b[1mbold\x1b[22m', '\x1b[32mok\x1b[39m', '😀') },
);
const transformerNames: fc.Arbitrary<string[]> = fc.oneof({ weight: 3, arbitrary: fc.constant<string[]>([]) }, { weight: 1, arbitrary: fc.subarray(Object.keys(TRANSFORMERS)) });
const text = fc.array(fc.array(piece, { maxLength: 4 }).map((parts) => parts.join('')), { minLength: 1, maxLength: 4 }).map((lines) => lines.join('\n'));
const step = (width: number, height: number): fc.Arbitrary<Step> =>
  fc.oneof(
    { weight: 6, arbitrary: fc.record({ kind: fc.constant('write' as const), x: fc.integer({ min: -2, max: width + 2 }), y: fc.integer({ min: -2, max: height + 1 }), text, transformers: transformerNames }) },
    { weight: 1, arbitrary: fc.record({ kind: fc.constant('clip' as const), y1: fc.integer({ min: -1, max: height }), y2: fc.integer({ min: 0, max: height + 1 }) }) },
    { weight: 1, arbitrary: fc.record({ kind: fc.constant('clip' as const), x1: fc.integer({ min: 0, max: width }), x2: fc.integer({ min: 0, max: width + 1 }), y1: fc.integer({ min: 0, max: height }), y2: fc.integer({ min: 0, max: height + 1 }) }) },
    { weight: 1, arbitrary: fc.constant({ kind: 'unclip' as const }) },
  );
const frame = fc
  .record({ width: fc.integer({ min: 1, max: 30 }), height: fc.integer({ min: 1, max: 8 }) })
  .chain(({ width, height }) => fc.record({ width: fc.constant(width), height: fc.constant(height), steps: fc.array(step(width, height), { maxLength: 12 }) }));

function build(Output: OutputClass, width: number, height: number, steps: Step[]) {
  const output = new Output({ width, height }) as InstanceType<OutputClass> & { clip(c: object): void; unclip(): void };
  for (const s of steps) {
    if (s.kind === 'write') output.write(s.x, s.y, s.text, { transformers: s.transformers.map((name) => TRANSFORMERS[name]) });
    else if (s.kind === 'clip') output.clip({ x1: s.x1, x2: s.x2, y1: s.y1, y2: s.y2 });
    else output.unclip();
  }
  return output;
}

describe('Ink row cache', () => {
  let Output: OutputClass;
  let inkGet: OutputClass['prototype']['get'];
  let inkCalls = 0;
  let uninstall: () => void;

  before(async () => {
    const loaded = await loadInkOutputClass();
    assert.ok(loaded, "Ink's Output class is where this Ink version keeps it");
    Output = loaded;
    inkGet = Output.prototype.get;
    // Count the frames and rows that reach Ink's own compositor.
    Output.prototype.get = function countedGet(this: InstanceType<OutputClass>) {
      inkCalls++;
      return inkGet.call(this);
    };
    uninstall = installInkRowCache(Output);
  });
  after(() => {
    uninstall();
    Output.prototype.get = inkGet;
  });

  test('every frame is byte for byte the frame Ink makes, the first time and from the cache', () => {
    fc.assert(
      fc.property(frame, ({ width, height, steps }) => {
        const expected = inkGet.call(build(Output, width, height, steps));
        for (let round = 0; round < 2; round++) assert.deepEqual(build(Output, width, height, steps).get(), expected);
      }),
      { numRuns: 1000 },
    );
  });

  test("an unchanged styled row is not composed again; a changed one is, by Ink's compositor", () => {
    const styled = (label: string) => {
      const output = new Output({ width: 40, height: 3 });
      output.write(0, 0, 'NAME     STATUS', { transformers: [TRANSFORMERS.red] });
      output.write(0, 1, `node-a   ${label}`, { transformers: [TRANSFORMERS.inverse] });
      output.write(0, 2, 'plain row', { transformers: [] });
      return output;
    };
    const first = styled('Ready').get();
    const callsAfterFirst = inkCalls;
    assert.deepEqual(styled('Ready').get(), first);
    assert.equal(inkCalls, callsAfterFirst, 'nothing recomposed for an identical frame');
    const changed = styled('NotReady').get();
    assert.equal(inkCalls, callsAfterFirst + 1, 'only the changed styled row goes to Ink');
    assert.equal(changed.output, inkGet.call(styled('NotReady')).output);
  });

  test("a frame clipped horizontally is left to Ink's compositor whole", () => {
    const output = new Output({ width: 10, height: 2 }) as InstanceType<OutputClass> & { clip(c: object): void };
    output.clip({ x1: 2, x2: 6, y1: 0, y2: 2 });
    output.write(0, 0, 'abcdefghij', { transformers: [] });
    const before = inkCalls;
    assert.deepEqual(output.get(), { output: '  cdef\n', height: 2 });
    assert.equal(inkCalls, before + 1);
  });
});
