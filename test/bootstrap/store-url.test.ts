// Where a machine sends its state store requests (bootstrap/kopsdeck-bootstrap.sh,
// as the user-data ships it, under bash): the bucket's own region, which
// bootstrap.env names when it is not the machine's, in the URL and in the
// SigV4 scope; path-style for a bucket name with dots, which S3's wildcard
// certificate does not cover. curl stands in as a function that prints the
// request it was given; nothing is sent.
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { bootstrapScript } from '../../src/engine/bootstrap/user-data.js';

const skip = spawnSync('sh', ['-c', 'command -v bash']).status === 0 ? false : 'bash is not installed';
const dir = mkdtempSync(join(tmpdir(), 'kopsdeck-store-url-'));
after(() => rmSync(dir, { recursive: true, force: true }));
const script = join(dir, 'kopsdeck-bootstrap');
writeFileSync(script, bootstrapScript(), { mode: 0o755 });

/** Runs `calls` after sourcing the script with a bootstrap.env of these lines. */
function run(envLines: string[], calls: string): string {
  const etc = mkdtempSync(join(dir, 'etc-'));
  writeFileSync(join(etc, 'bootstrap.env'), ['CLUSTER_NAME=c.k8s.local', 'INSTANCE_GROUP=nodes', 'INSTANCE_GROUP_ROLE=Node', 'KUBERNETES_VERSION=1.36.3', ...envLines, ''].join('\n'));
  const result = spawnSync('bash', ['-c', `. "$SCRIPT" source-only\ncurl() { echo "curl $*"; }\n${calls}`], {
    encoding: 'utf8',
    env: { PATH: process.env.PATH ?? '/usr/bin:/bin', HOME: dir, SCRIPT: script, KOPSDECK_ETC: etc, AWS_ACCESS_KEY_ID: 'AKIDEXAMPLE', AWS_SECRET_ACCESS_KEY: 'x', AWS_SESSION_TOKEN: 't' },
  });
  assert.equal(result.status, 0, result.stderr);
  return result.stdout;
}

test("the store's bucket is addressed, and signed for, in its own region; EC2 in the machine's", { skip }, () => {
  const env = ['AWS_REGION=eu-west-1', 'CONFIG_BASE=s3://kops-state/clusters/c.k8s.local', 'STORE_REGION=us-east-1'];
  assert.equal(run(env, 'object_url pki/ca.crt'), 'https://kops-state.s3.us-east-1.amazonaws.com/clusters/c.k8s.local/pki/ca.crt\n');
  assert.match(run(env, 'aws_curl s3 "$(object_url pki/ca.crt)"'), /--aws-sigv4 aws:amz:us-east-1:s3 /);
  assert.match(run(env, 'aws_curl ec2 "${EC2_ENDPOINT}/"'), /--aws-sigv4 aws:amz:eu-west-1:ec2 .* https:\/\/ec2\.eu-west-1\.amazonaws\.com\/$/m);
  // Without STORE_REGION the bucket is in the machine's region.
  assert.equal(run(env.slice(0, 2), 'object_url pki/ca.crt'), 'https://kops-state.s3.eu-west-1.amazonaws.com/clusters/c.k8s.local/pki/ca.crt\n');
});

test('a bucket name with dots is addressed path-style', { skip }, () => {
  const env = ['AWS_REGION=eu-west-1', 'CONFIG_BASE=s3://state.example.com/c.k8s.local', 'STORE_REGION=us-east-2'];
  assert.equal(run(env, 'object_url pki/ca.crt'), 'https://s3.us-east-2.amazonaws.com/state.example.com/c.k8s.local/pki/ca.crt\n');
});
