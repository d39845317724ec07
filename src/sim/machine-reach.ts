// What one booting machine reaches in the AWS world, as itself: S3 with its
// instance profile's role (IAM decides, as on AWS), its attached etcd volume,
// the world's DNS names, and its serial console. The Kubernetes side plays the
// machine's bootstrap against it (src/sim/kube/kubeadm-boot.ts).
//
// One leniency, on purpose: a file:// state store on this computer is readable
// by the simulator's machines (no IAM applies to it), so that clusters in the
// default local store boot in the simulator. Machines on AWS cannot read it.
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { MachineReach } from './contracts.js';
import { roleAllows, type RequestContext } from './aws/iam/policy-evaluation.js';
import type { AwsWorld } from './aws/world/aws-world.js';
import type { Instance } from './aws/world/types.js';
import { ACCOUNT_ID } from './aws/world/regions.js';
import { errorMessage } from '../engine/error-message.js';
import { createFileExclusive, writeFileAtomic } from '../engine/fs/atomic-write.js';

/** EC2 keeps the last 64 KB of a console. */
const CONSOLE_LIMIT = 64 * 1024;

export function machineReach(world: () => AwsWorld, instanceId: string): MachineReach | undefined {
  const instance = world().state.instances[instanceId];
  if (!instance) return undefined;
  const s3 = (url: string) => parseS3(url);
  return {
    instanceId,
    role: () => roleOf(world(), instance),
    read(url) {
      if (url.startsWith('file://')) return readLocal(url);
      const target = s3(url);
      if (!target) return { error: `unsupported location "${url}"` };
      const denied = deny(world(), instance, 's3:GetObject', objectArn(target));
      if (denied) return { error: denied };
      const object = world().state.buckets[target.bucket]?.objects[target.key];
      if (!object) return { error: world().state.buckets[target.bucket] ? 'NoSuchKey (404)' : 'NoSuchBucket (404)' };
      return { body: Buffer.from(object.body, 'base64').toString('utf8') };
    },
    exists(url) {
      if (url.startsWith('file://')) return existsSync(fileURLToPath(url));
      const target = s3(url);
      if (!target) return { error: `unsupported location "${url}"` };
      const denied = deny(world(), instance, 's3:GetObject', objectArn(target));
      if (denied) return { error: denied };
      if (world().state.buckets[target.bucket]?.objects[target.key]) return true;
      // Without s3:ListBucket, S3 answers a missing key with 403, not 404.
      const listing = deny(world(), instance, 's3:ListBucket', `arn:aws:s3:::${target.bucket}`, { 's3:prefix': target.key });
      return listing ? { error: listing } : false;
    },
    create(url, body) {
      if (url.startsWith('file://')) return createLocal(url, body);
      const written = putAs(world(), instance, url, body, { onlyIfAbsent: true });
      return written === 'written' ? 'created' : written;
    },
    overwrite(url, body) {
      if (url.startsWith('file://')) return writeLocal(url, body);
      const written = putAs(world(), instance, url, body, { onlyIfAbsent: false });
      return written === 'exists' ? { error: 'PreconditionFailed (412)' } : written;
    },
    instanceAlive(id) {
      const state = world().state.instances[id]?.state;
      return state === 'pending' || state === 'running';
    },
    etcdVolume() {
      const volume = Object.values(world().state.volumes).find(
        (v) => v.attachment?.instanceId === instance.id && v.tags['k8s.io/etcd/main'] !== undefined && v.tags.KubernetesCluster === instance.tags.KubernetesCluster,
      );
      return volume ? { id: volume.id, hasData: volume.holdsEtcdData === true } : undefined;
    },
    claimEtcdVolume() {
      const w = world();
      const volume = w.volumes.freeEtcdMainVolumes(instance)[0];
      if (!volume) return undefined;
      // AttachVolume is authorised against the volume and the instance, each with its own tags.
      const resources: [string, Record<string, string>][] = [
        [`arn:aws:ec2:${instance.region}:${ACCOUNT_ID}:volume/${volume.id}`, volume.tags],
        [`arn:aws:ec2:${instance.region}:${ACCOUNT_ID}:instance/${instance.id}`, instance.tags],
      ];
      for (const [arn, tags] of resources) {
        const denied = deny(w, instance, 'ec2:AttachVolume', arn, Object.fromEntries(Object.entries(tags).map(([k, v]) => [`aws:ResourceTag/${k}`, v])));
        if (denied) return { volumeId: volume.id, error: denied };
      }
      w.volumes.attachAtFreeDevice(volume, instance);
      return { id: volume.id, hasData: volume.holdsEtcdData === true };
    },
    zone: instance.zone,
    bucketRegion(url) {
      const target = parseS3(url);
      return target ? world().state.buckets[target.bucket]?.region : undefined;
    },
    markEtcdData(volumeId) {
      const volume = world().state.volumes[volumeId];
      if (volume && !volume.holdsEtcdData) {
        volume.holdsEtcdData = true;
        world().changed();
      }
    },
    resolves(host) {
      const name = host.toLowerCase().replace(/\.$/, '');
      const state = world().state;
      if (Object.values(state.loadBalancing.loadBalancers).some((lb) => lb.dnsName.toLowerCase() === name)) return true;
      return Object.values(state.hostedZones).some((zone) => zone.records.some((r) => r.name.toLowerCase().replace(/\.$/, '') === name));
    },
    console(line) {
      const text = (instance.consoleOutput ?? '') + line + '\n';
      instance.consoleOutput = text.length > CONSOLE_LIMIT ? text.slice(text.length - CONSOLE_LIMIT) : text;
      world().changed();
    },
  };
}

/** Private addresses of the cluster's pending or running control-plane instances. */
export function liveControlPlaneIps(world: AwsWorld, cluster: string): string[] {
  return Object.values(world.state.instances)
    .filter((i) => (i.state === 'pending' || i.state === 'running') && i.tags.KubernetesCluster === cluster)
    .filter((i) => i.tags['k8s.io/role/control-plane'] !== undefined || i.tags['k8s.io/role/master'] !== undefined)
    .map((i) => i.privateIp);
}

/** A PutObject as the instance (IAM decides); `exists` when it must not replace an object that is there. */
function putAs(world: AwsWorld, instance: Instance, url: string, body: string, options: { onlyIfAbsent: boolean }): 'written' | 'exists' | { error: string } {
  const target = parseS3(url);
  if (!target) return { error: `unsupported location "${url}"` };
  const denied = deny(world, instance, 's3:PutObject', objectArn(target));
  if (denied) return { error: denied };
  const bucket = world.state.buckets[target.bucket];
  if (!bucket) return { error: 'NoSuchBucket (404)' };
  if (options.onlyIfAbsent && bucket.objects[target.key]) return 'exists';
  world.putObject(bucket, target.key, Buffer.from(body, 'utf8'));
  return 'written';
}

function parseS3(url: string): { bucket: string; key: string } | undefined {
  const match = /^s3:\/\/([^/]+)\/(.+)$/.exec(url);
  return match ? { bucket: match[1], key: match[2] } : undefined;
}

const objectArn = (target: { bucket: string; key: string }) => `arn:aws:s3:::${target.bucket}/${target.key}`;

function roleOf(world: AwsWorld, instance: Instance): { role: string } | { error: string } {
  const arn = instance.iamInstanceProfile?.arn;
  if (!arn) return { error: 'this instance has no instance profile, so it cannot read the cluster\'s state store' };
  const profile = Object.values(world.state.iam.instanceProfiles).find((p) => p.arn === arn);
  const role = profile?.roles[0];
  if (!role || !world.state.iam.roles[role]) return { error: `instance profile ${arn} has no role: the instance metadata service gives it no credentials` };
  return { role };
}

/** Why IAM refuses the action, or undefined when it allows it. */
function deny(world: AwsWorld, instance: Instance, action: string, resource: string, context?: RequestContext): string | undefined {
  const found = roleOf(world, instance);
  if ('error' in found) return found.error;
  const decision = roleAllows(world.state.iam.roles[found.role], action, resource, context);
  return decision.allowed ? undefined : `AccessDenied (403): ${decision.reason}`;
}

function readLocal(url: string): { body: string } | { error: string } {
  try {
    return { body: readFileSync(fileURLToPath(url), 'utf8') };
  } catch {
    return { error: 'NoSuchKey (404)' };
  }
}

function writeLocal(url: string, body: string): 'written' | { error: string } {
  try {
    // As kopsdeck's own file store writes: a reader (another machine booting) sees the old object or the new, never half.
    writeFileAtomic(fileURLToPath(url), body);
    return 'written';
  } catch (error) {
    return { error: errorMessage(error) };
  }
}

function createLocal(url: string, body: string): 'created' | 'exists' | { error: string } {
  const path = fileURLToPath(url);
  try {
    mkdirSync(dirname(path), { recursive: true });
    return createFileExclusive(path, body) ? 'created' : 'exists';
  } catch (error) {
    return { error: errorMessage(error) };
  }
}
