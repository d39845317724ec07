import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DescribeVpcsCommand } from '@aws-sdk/client-ec2';
import { startSimulator } from '../../src/sim/simulator.js';
import { createAwsClients } from '../../src/engine/cloud/aws/clients.js';
import { describeAwsError, isNotFoundError, isRetryableError, isThrottlingError } from '../../src/engine/cloud/aws/errors.js';
import { parseImageRef } from '../../src/engine/cloud/aws/discovery.js';
import { simAdminFetch } from '../../src/sim/admin-client.js';

test('clients reach the endpoint named by AWS_ENDPOINT_URL with no endpoint option, and retry adaptively', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'kopsdeck-clients-'));
  const sim = await startSimulator({ dir, port: 0, seed: 1 });
  const saved = { ...process.env };
  try {
    Object.assign(process.env, sim.env);
    const clients = createAwsClients();
    assert.equal(clients.region, sim.env.AWS_REGION);
    assert.equal(((await clients.ec2.config.retryStrategy()) as { mode?: string }).mode, 'adaptive');
    const before = (await (await simAdminFetch(sim, '/sim/stats')).json()) as { awsCallsTotal: number };
    await clients.ec2.send(new DescribeVpcsCommand({}));
    const after = (await (await simAdminFetch(sim, '/sim/stats')).json()) as { awsCallsTotal: number };
    assert.equal(after.awsCallsTotal, before.awsCallsTotal + 1, 'the call went to the simulator');
    clients.destroy();
  } finally {
    process.env = saved;
    await sim.stop();
    rmSync(dir, { recursive: true, force: true });
  }
});

test('errors are classified: throttling and 5xx retry, not-found codes are recognised', () => {
  const make = (name: string, status = 400, message = '') => Object.assign(new Error(message), { name, $metadata: { httpStatusCode: status } });
  assert.ok(isThrottlingError(make('RequestLimitExceeded', 503)));
  assert.ok(isRetryableError(make('Throttling')));
  assert.ok(isRetryableError(make('InternalError', 500)));
  assert.ok(!isRetryableError(make('InvalidParameterValue')));
  assert.ok(isNotFoundError(make('InvalidVpcID.NotFound')));
  assert.ok(isNotFoundError(make('ValidationError', 400, 'AutoScalingGroup name not found - x')));
  assert.ok(!isNotFoundError(make('ValidationError', 400, 'MinSize is invalid')));
});

test('credential and permission problems become one sentence naming what to set', () => {
  const missing = Object.assign(new Error('Could not load credentials from any providers'), { name: 'CredentialsProviderError' });
  assert.match(describeAwsError(missing), /^No AWS credentials found: set AWS_PROFILE/);
  assert.match(describeAwsError(Object.assign(new Error('x'), { name: 'UnauthorizedOperation' })), /refused the credentials/);
});

test('image references: ids, owner/name, and owner aliases', () => {
  assert.deepEqual(parseImageRef('ami-0123abcd'), { imageId: 'ami-0123abcd' });
  assert.deepEqual(parseImageRef('099720109477/ubuntu/images/x'), { owner: '099720109477', name: 'ubuntu/images/x' });
  assert.deepEqual(parseImageRef('ubuntu/ubuntu/images/x'), { owner: '099720109477', name: 'ubuntu/images/x' });
});
