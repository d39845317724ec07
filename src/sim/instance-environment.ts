// The AWS world as a booting machine sees it (the InstanceEnvironment seam in
// contracts.ts): objects of the simulated S3, and kops-controller, which runs
// on the cluster's control plane and serves nodeup configuration from that
// control plane's ConfigBase.
import type { InstanceEnvironment } from './contracts.js';
import type { AwsWorld } from './aws/world/aws-world.js';
import { parseExports, parseKubeEnv } from './kube/user-data.js';
import { liveControlPlaneIps, machineReach } from './machine-reach.js';
import { isCloudConfig, plainCloudConfigFile } from './kube/cloud-config.js';
import { BOOTSTRAP_ENV, parseEnvLines } from './kube/kubeadm-boot.js';
import { userDataText } from './aws/world/user-data-text.js';

/** What a kopsdeck user-data says the machine is: its cloud-config's bootstrap.env, or the exports of the earlier shell form. */
function kopsdeckBootstrapValues(userData: string): Record<string, string> | undefined {
  if (!isCloudConfig(userData)) return parseExports(userData);
  const env = plainCloudConfigFile(userData, BOOTSTRAP_ENV);
  return env === undefined ? undefined : parseEnvLines(env);
}

export function instanceEnvironment(world: () => AwsWorld): InstanceEnvironment {
  return {
    readObject(url) {
      const match = /^s3:\/\/([^/]+)\/(.+)$/.exec(url);
      if (!match) return { error: `unsupported location "${url}" (the simulator serves s3:// only)` };
      const bucket = world().state.buckets[match[1]];
      if (!bucket) return { error: 'NoSuchBucket: The specified bucket does not exist' };
      const object = bucket.objects[match[2]];
      if (!object) return { error: 'NoSuchKey: The specified key does not exist.' };
      return { body: Buffer.from(object.body, 'base64').toString('utf8') };
    },
    kopsControllerConfigBase(cluster) {
      for (const instance of Object.values(world().state.instances)) {
        if (instance.state !== 'running' || instance.tags.KubernetesCluster !== cluster || !instance.userData) continue;
        const script = userDataText(instance.userData);
        const env = parseKubeEnv(script);
        if (env?.role === 'ControlPlane' && env.configBase) return env.configBase;
        // kopsdeck's bootstrap names its ConfigBase in bootstrap.env (in an export, before its cloud-config).
        const values = kopsdeckBootstrapValues(script);
        if (values?.INSTANCE_GROUP_ROLE === 'ControlPlane' && values.CONFIG_BASE) return values.CONFIG_BASE;
      }
      return undefined;
    },
    machine: (instanceId) => machineReach(world, instanceId),
    liveControlPlaneIps: (cluster) => liveControlPlaneIps(world(), cluster),
  };
}
