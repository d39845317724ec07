// Malformed requests answered with the protocol's error, never an exception
// out of the simulator (which may host a rolling update, or the console):
// a malformed percent escape in a Kubernetes or S3 path, a pod whose
// containers are not a list (it used to be accepted, then crashed the
// scheduler), and a bounded burst of random malformed requests of every kind.
// Afterwards the simulator still answers and nothing reached stderr.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { simInstance, startKubeHarness, waitFor, type KubeHarness } from '../helpers/sim-kube.js';
import { startFixture, type SimFixture } from '../helpers/sim-aws.js';
import { simAdminFetch } from '../../src/sim/admin-client.js';

let f: SimFixture;
let k: KubeHarness;
const warnings: string[] = [];
const onWarning = (warning: Error) => warnings.push(warning.message);
const CLUSTER = 'fuzz.example.com';

before(async () => {
  process.on('warning', onWarning);
  f = await startFixture();
  k = await startKubeHarness({ speed: 100 });
  k.kube.clusterSeen(CLUSTER);
  k.kube.instanceRunning(simInstance(CLUSTER, { role: 'ControlPlane' }));
  k.kube.instanceRunning(simInstance(CLUSTER));
});
after(async () => {
  process.off('warning', onWarning);
  await f?.close();
  await k?.close();
});

/** A request the AWS router takes as signed for `service` with the world's token (the simulator reads the scope, not the signature). */
const awsHeaders = (service: string) => ({ authorization: `AWS4-HMAC-SHA256 Credential=${f.sim.token}/20260101/us-east-1/${service}/aws4_request, SignedHeaders=host, Signature=00` });
const bearer = () => ({ authorization: `Bearer ${f.sim.token}` });

async function simAnswers(): Promise<void> {
  const health = await simAdminFetch(f.sim, '/sim/health');
  assert.equal(health.status, 200, 'the simulator still answers');
}

test('a malformed escape in a Kubernetes path is a 400 Status; the simulator goes on', async () => {
  for (const path of ['/k8s/%ZZ/api', `/k8s/${CLUSTER}/api/v1/namespaces/%ZZ/pods`]) {
    const res = await fetch(`${f.sim.url}${path}`, { headers: bearer() });
    assert.equal(res.status, path.includes(CLUSTER) ? 503 : 400, path);
    const body = (await res.json()) as { kind: string };
    assert.equal(body.kind, 'Status');
  }
  const inCluster = await fetch(`${k.serverUrl(CLUSTER)}/api/v1/namespaces/%ZZ/pods`);
  assert.equal(inCluster.status, 400);
  assert.match(((await inCluster.json()) as { message: string }).message, /malformed percent escape/);
  await simAnswers();
});

test('a malformed escape in an S3 key is 400 InvalidURI, with nothing on stderr', async () => {
  const res = await fetch(`${f.sim.url}/bucket/key-%ZZ`, { headers: awsHeaders('s3') });
  assert.equal(res.status, 400);
  assert.match(await res.text(), /<Code>InvalidURI<\/Code>/);
  assert.deepEqual(warnings, []);
  await simAnswers();
});

test('a pod whose containers are not a list is refused with 422 Invalid; the scheduler goes on', async () => {
  const post = (body: unknown) =>
    fetch(`${k.serverUrl(CLUSTER)}/api/v1/namespaces/default/pods`, { method: 'POST', headers: { 'content-type': 'application/json', authorization: 'Bearer simulated' }, body: JSON.stringify(body) });
  for (const spec of [{ containers: 'x' }, { containers: [] }, { containers: [{ name: 'c' }] }, { containers: [{ name: 'c', image: 'busybox' }], tolerations: 'all' }]) {
    const res = await post({ apiVersion: 'v1', kind: 'Pod', metadata: { name: 'bad' }, spec });
    assert.equal(res.status, 422, JSON.stringify(spec));
    assert.match(((await res.json()) as { message: string }).message, /^Pod "bad" is invalid: spec\./);
  }
  const good = await post({ apiVersion: 'v1', kind: 'Pod', metadata: { name: 'good' }, spec: { containers: [{ name: 'c', image: 'busybox' }] } });
  assert.equal(good.status, 201);
  await waitFor('the good pod scheduled', async () => {
    const pod = (await (await fetch(`${k.serverUrl(CLUSTER)}/api/v1/namespaces/default/pods/good`)).json()) as { spec?: { nodeName?: string } };
    return pod.spec?.nodeName;
  });
});

test('a burst of random malformed requests of every kind: every one answered, the simulator and the API alive', async () => {
  const segment = fc.oneof(fc.constantFrom('%ZZ', '%', '%E0%A4%A', '..', '%00', '\u00ff'), fc.string({ maxLength: 8 }).map(encodeURIComponent));
  const request = fc.record({
    target: fc.constantFrom('kube', 'ec2', 'autoscaling', 's3', 'sim'),
    method: fc.constantFrom('GET', 'POST', 'PUT', 'PATCH', 'DELETE'),
    path: fc.array(segment, { minLength: 0, maxLength: 5 }),
    body: fc.oneof(fc.constant(''), fc.json(), fc.string({ maxLength: 40 }), fc.constantFrom('Action=DescribeInstances&InstanceId.1=%ZZ', 'Action=CreateAutoScalingGroup&MinSize=x', '{"spec":{"containers":"x"}}')),
    contentType: fc.constantFrom('application/json', 'application/x-www-form-urlencoded', 'application/merge-patch+json', 'application/json-patch+json', 'text/plain'),
  });
  let answered = 0;
  await fc.assert(
    fc.asyncProperty(request, async (r) => {
      const base = r.target === 'kube' ? `${k.serverUrl(CLUSTER)}/api/v1/namespaces/default/pods` : r.target === 'sim' ? `${f.sim.url}/sim` : f.sim.url;
      const url = `${base}/${r.path.join('/')}`;
      const headers: Record<string, string> = { 'content-type': r.contentType, ...(r.target === 'kube' || r.target === 'sim' ? bearer() : awsHeaders(r.target)) };
      const res = await fetch(url, { method: r.method, headers, body: r.method === 'GET' ? undefined : r.body }).catch(() => undefined);
      if (res) {
        await res.arrayBuffer();
        answered++;
        // 501: what S3 answers for an operation it does not have; 503: a cluster whose API is not up.
        assert.ok(res.status < 500 || res.status === 501 || res.status === 503, `${r.method} ${url}: ${res.status}`);
      }
    }),
    { numRuns: 600, seed: 20261204 },
  );
  assert.ok(answered >= 590, `${answered} of 600 answered`);
  assert.deepEqual(warnings, []);
  await simAnswers();
  assert.equal((await fetch(`${k.serverUrl(CLUSTER)}/api/v1/nodes`)).status, 200, 'the API still lists nodes');
});

test('an S3 request without x-amz-content-sha256 is refused 400, as S3 refuses it; with it, it goes on', async () => {
  const res = await fetch(`${f.sim.url}/no-such-bucket/key`, { headers: awsHeaders('s3') });
  assert.equal(res.status, 400);
  assert.match(await res.text(), /<Code>InvalidRequest<\/Code><Message>Missing required header for this request: x-amz-content-sha256<\/Message>/);
  const signed = await fetch(`${f.sim.url}/no-such-bucket/key`, { headers: { ...awsHeaders('s3'), 'x-amz-content-sha256': 'UNSIGNED-PAYLOAD' } });
  assert.equal(signed.status, 404);
  assert.match(await signed.text(), /<Code>NoSuchBucket<\/Code>/);
  await simAnswers();
});
