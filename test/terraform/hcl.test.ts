// The HCL writer: whatever a value holds comes back unchanged from a
// maintained HCL2 parser (quotes, backslashes, newlines, `${` and `%{` stay
// text; hcl2json answers in Terraform's JSON syntax, where strings are
// templates too, so its `$${` and `%%{` are read back as text), keys are sorted and aligned as `terraform fmt` does, and what cannot
// be written is refused rather than written wrongly.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { blocks, expr, writeBlock } from '../../src/engine/terraform/hcl.js';
import { dataFileName, fileExpr, terraformLabel } from '../../src/engine/terraform/types.js';
import { parseModule } from './terraform-helpers.js';

/** A Terraform JSON string's text: its template escapes undone (`$${` and `%%{` are one `${` and `%{`, as HCL reads them). */
const text = (template: string): string => template.replace(/\$\$\{/g, '${').replace(/%%\{/g, '%{');

test('any string survives a round trip through the HCL2 parser', async () => {
  const awkward = ['say "hi"', 'back\\slash', 'line\nbreak\ttab\r', '${var.x}', '%{ if true }', '$${already}', '${ unclosed', '%{ unclosed', 'ünïcödé ☃', '\u0001ctl', ''];
  const written = writeBlock('resource', ['aws_thing', 'x'], { values: awkward, tags: Object.fromEntries(awkward.map((v, i) => [`k${i}/${v}`, v])) });
  const parsed = await parseModule(written);
  const body = parsed.resource!.aws_thing.x[0];
  assert.deepEqual((body.values as string[]).map(text), awkward);
  assert.deepEqual(Object.fromEntries(Object.entries(body.tags as Record<string, string>).map(([k, v]) => [text(k), text(v)])), Object.fromEntries(awkward.map((v, i) => [`k${i}/${v}`, v])));
  await fc.assert(
    fc.asyncProperty(fc.string({ unit: 'binary', maxLength: 40 }), async (value) => {
      // HCL reads string literals in Unicode NFC (U+2F800 comes back as U+4E3D): such a string is refused, not changed.
      if (value !== value.normalize('NFC')) return assert.throws(() => writeBlock('locals', [], { v: value }), /not in Unicode NFC/);
      const back = await parseModule(writeBlock('locals', [], { v: value }));
      assert.equal(text(back.locals![0].v as string), value);
    }),
    { numRuns: 200 },
  );
  assert.throws(() => writeBlock('locals', [], { v: '\u{2F800}' }), /not in Unicode NFC: Terraform would read it changed/);
});

test('attributes sorted and aligned, blocks in place, expressions bare', () => {
  const text = writeBlock('resource', ['aws_vpc', 'a-b'], {
    vpc_id: expr('aws_vpc.a-b.id'),
    cidr_block: '10.0.0.0/16',
    tags: { Name: 'a.b', KubernetesCluster: 'a.b' },
    lifecycle: blocks({ create_before_destroy: true }),
    enable: false,
    skipped: undefined,
  });
  assert.equal(
    text,
    [
      'resource "aws_vpc" "a-b" {',
      '  cidr_block = "10.0.0.0/16"',
      '  enable     = false',
      '  lifecycle {',
      '    create_before_destroy = true',
      '  }',
      '  tags = {',
      '    "KubernetesCluster" = "a.b"',
      '    "Name"              = "a.b"',
      '  }',
      '  vpc_id = aws_vpc.a-b.id',
      '}',
    ].join('\n'),
  );
});

test('a map with a key `expr` is a map, never a raw expression', async () => {
  const written = writeBlock('locals', [], { tags: { expr: 'aws_vpc.x.id' } });
  assert.match(written, /"expr" = "aws_vpc\.x\.id"/, 'the value is a quoted string, not a reference');
  assert.deepEqual((await parseModule(written)).locals![0].tags, { expr: 'aws_vpc.x.id' });
});

test("labels and file names as kops makes them; what cannot be one is refused", () => {
  assert.equal(terraformLabel('nodes.minimal.example.com'), 'nodes-minimal-example-com');
  assert.equal(terraformLabel('from-::/0-ingress-tcp-22to22-masters.x'), 'from-__--0-ingress-tcp-22to22-masters-x');
  assert.equal(terraformLabel('0.0.0.0/0'), 'prefix_0-0-0-0--0');
  assert.equal(dataFileName('aws_key_pair', 'kubernetes.x-ab:cd', 'public_key'), 'aws_key_pair_kubernetes.x-abcd_public_key');
  assert.throws(() => dataFileName('aws_iam_role', 'a b', 'policy'), /cannot be a file name/);
  assert.equal(fileExpr('aws_iam_role_x_policy').expr, 'file("${path.module}/data/aws_iam_role_x_policy")');
  assert.throws(() => writeBlock('locals', [], { 'not valid': 'x' }), /not a valid Terraform identifier/);
  assert.throws(() => writeBlock('locals', [], { n: Number.NaN }), /cannot write NaN/);
});
