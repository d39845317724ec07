// What kops writes for nodeup: each instance group's nodeupconfig.yaml (in
// the state store, under igconfig/<role>/<ig>/) and the launch template's
// user-data, a bash script that downloads nodeup and hands it kube_env.yaml
// (shape: kubernetes/kops tests/integration/update_cluster/*/data/
// aws_launch_template_*_user_data and aws_s3_object_nodeupconfig-*_content).
import { createHash } from 'node:crypto';
import { stringify } from 'yaml';
import type { KopsInstanceGroup, KopsLayout } from './kops-layout.js';

const sha256 = (text: string): string => createHash('sha256').update(text).digest('hex');

/** igconfig/control-plane/<ig>/nodeupconfig.yaml or igconfig/node/<ig>/nodeupconfig.yaml, under the cluster's key. */
export function nodeupConfigKey(ig: KopsInstanceGroup): string {
  return `igconfig/${ig.role === 'ControlPlane' ? 'control-plane' : 'node'}/${ig.name}/nodeupconfig.yaml`;
}

/**
 * The NodeupConfig for an instance group (the fields the simulator reads and
 * the ones around them). Asset hashes stand in for real ones: the simulator
 * downloads nothing.
 */
export function nodeupConfig(layout: KopsLayout, ig: KopsInstanceGroup): string {
  const v = layout.kubernetesVersion.replace(/^v/, '');
  const asset = (arch: string, binary: string) => `${sha256(`${binary}-${v}-${arch}`)}@https://dl.k8s.io/release/v${v}/bin/linux/${arch}/${binary}`;
  const config: Record<string, unknown> = {
    Assets: { amd64: [asset('amd64', 'kubelet'), asset('amd64', 'kubectl')], arm64: [asset('arm64', 'kubelet'), asset('arm64', 'kubectl')] },
    CAs: {},
    ClusterName: layout.cluster,
    KubeletConfig: {
      anonymousAuth: false,
      cgroupDriver: 'systemd',
      cloudProvider: 'external',
      clusterDNS: '100.64.0.10',
      clusterDomain: 'cluster.local',
      nodeLabels: ig.role === 'ControlPlane'
        ? { 'kops.k8s.io/instancegroup': ig.name, 'node-role.kubernetes.io/control-plane': '', 'node.kubernetes.io/exclude-from-external-load-balancers': '' }
        : { 'kops.k8s.io/instancegroup': ig.name, 'node-role.kubernetes.io/node': '' },
      podManifestPath: '/etc/kubernetes/manifests',
    },
    KubernetesVersion: v,
    Networking: { nonMasqueradeCIDR: '100.64.0.0/10', serviceClusterIPRange: '100.64.0.0/13' },
    UpdatePolicy: 'automatic',
    usesNoneDNS: layout.apiLoadBalancer,
  };
  if (ig.role === 'ControlPlane') {
    config.APIServerConfig = {
      API: layout.apiLoadBalancer ? { loadBalancer: { class: 'Network', type: 'Public' } } : { dns: {}, publicName: `api.${layout.cluster}` },
      KubeAPIServer: { image: `registry.k8s.io/kube-apiserver:v${v}`, securePort: 443, serviceClusterIPRange: '100.64.0.0/13' },
    };
  }
  return stringify(config);
}

/** base64(sha256(nodeupconfig.yaml)), which nodeup checks what it loads against. */
export const nodeupConfigHash = (config: string): string => createHash('sha256').update(config).digest('base64');

/** A placeholder CA: nodeup would trust it for kops-controller; nothing checks it in the simulator. */
const PLACEHOLDER_CA = ['-----BEGIN CERTIFICATE-----', 'c2ltdWxhdG9yIHBsYWNlaG9sZGVyLCBub3QgYSBjZXJ0aWZpY2F0ZQ==', '-----END CERTIFICATE-----'];

function kubeEnv(layout: KopsLayout, ig: KopsInstanceGroup, configHash: string): string[] {
  const lines = ['CloudProvider: aws', `ClusterName: ${layout.cluster}`];
  // The control plane reads its config from the store; nodes ask kops-controller.
  if (ig.role === 'ControlPlane') lines.push(`ConfigBase: ${layout.configBase}`);
  else lines.push('ConfigServer:', '  CACertificates: |', ...PLACEHOLDER_CA.map((l) => `    ${l}`), '  servers:', `  - https://kops-controller.internal.${layout.cluster}:3988/`);
  lines.push(`InstanceGroupName: ${ig.name}`, `InstanceGroupRole: ${ig.role}`, `NodeupConfigHash: ${configHash}`);
  return lines;
}

export function nodeupUserData(layout: KopsLayout, ig: KopsInstanceGroup, configHash: string): string {
  const k = layout.kopsVersion;
  const url = (arch: string) => `https://artifacts.k8s.io/binaries/kops/${k}/linux/${arch}/nodeup,https://github.com/kubernetes/kops/releases/download/v${k}/nodeup-linux-${arch}`;
  return [
    '#!/bin/bash',
    'set -o errexit',
    'set -o nounset',
    'set -o pipefail',
    '',
    `NODEUP_URL_AMD64=${url('amd64')}`,
    `NODEUP_HASH_AMD64=${sha256(`nodeup-${k}-amd64`)}`,
    `NODEUP_URL_ARM64=${url('arm64')}`,
    `NODEUP_HASH_ARM64=${sha256(`nodeup-${k}-arm64`)}`,
    '',
    `export AWS_REGION=${layout.region}`,
    '',
    'function ensure-install-dir() {',
    '  INSTALL_DIR="/opt/kops"',
    '  mkdir -p ${INSTALL_DIR}/bin',
    '  mkdir -p ${INSTALL_DIR}/conf',
    '  cd ${INSTALL_DIR}',
    '}',
    '',
    '# Retry a download until we get it; the hash covers the uncompressed binary.',
    'download-or-bust() {',
    '  local -r file="$1" hash="$2"',
    '  local -a urls',
    '  IFS=, read -r -a urls <<< "$3"',
    '  while true; do',
    '    for url in "${urls[@]}"; do',
    '      if curl -f -Lo "${file}.xz" --connect-timeout 20 --retry 6 --retry-delay 10 "${url}.xz" && xz -d "${file}.xz" && [[ "$(sha256sum "${file}" | awk \'{ print $1 }\')" == "${hash}" ]]; then',
    '        return 0',
    '      fi',
    '      rm -f "${file}" "${file}.xz"',
    '    done',
    '    sleep 60',
    '  done',
    '}',
    '',
    'function download-release() {',
    '  case "$(uname -m)" in',
    '  x86_64*|i?86_64*|amd64*) NODEUP_URL="${NODEUP_URL_AMD64}"; NODEUP_HASH="${NODEUP_HASH_AMD64}" ;;',
    '  aarch64*|arm64*) NODEUP_URL="${NODEUP_URL_ARM64}"; NODEUP_HASH="${NODEUP_HASH_ARM64}" ;;',
    '  esac',
    '  cd ${INSTALL_DIR}/bin',
    '  download-or-bust nodeup "${NODEUP_HASH}" "${NODEUP_URL}"',
    '  chmod +x nodeup',
    '  echo "== Running nodeup =="',
    '  ( cd ${INSTALL_DIR}/bin; ./nodeup --install-systemd-unit --conf=${INSTALL_DIR}/conf/kube_env.yaml --v=8  )',
    '}',
    '',
    '####################################################################################',
    '',
    'echo "== nodeup node config starting =="',
    'ensure-install-dir',
    '',
    "cat > conf/kube_env.yaml << '__EOF_KUBE_ENV'",
    ...kubeEnv(layout, ig, configHash),
    '',
    '__EOF_KUBE_ENV',
    '',
    'download-release',
    'echo "== nodeup node config done =="',
    '',
  ].join('\n');
}
