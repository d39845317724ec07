#!/bin/bash
# kopsdeck bootstrap: makes an Ubuntu 24.04 machine a Kubernetes node with
# kubeadm. cloud-init writes this file, /etc/kopsdeck/bootstrap.env and the
# kubeadm configurations, then runs it once (see src/engine/bootstrap).
#
# Nothing secret travels in the user-data. Certificates, keys and the
# bootstrap token are read from the cluster's folder in the state store
# (CONFIG_BASE) with the instance profile's credentials, and the CA read there
# must match the hash the user-data carries.
#
# Control plane, in order: a machine that finds the cluster's API answering
# joins it; a machine whose etcd volume already holds data (the replacement of
# a one-node control plane) starts the control plane again on that data; else
# the machine that creates bootstrap/init-lock first (a create-only write)
# runs `kubeadm init`, and the others wait for the API and join.
set -o errexit -o nounset -o pipefail
# A failure inside $(...) stops the script too (bash turns errexit off there otherwise).
shopt -s inherit_errexit

KOPSDECK_ETC=${KOPSDECK_ETC:-/etc/kopsdeck}
# shellcheck source=/dev/null
. "${KOPSDECK_ETC}/bootstrap.env"

# Endpoints and folders, overridable only so this script can be run against
# stand-ins (the tests run it with a fake instance metadata service and the
# simulator's S3 and EC2).
IMDS_ENDPOINT=${IMDS_ENDPOINT:-http://169.254.169.254}
EC2_ENDPOINT=${EC2_ENDPOINT:-https://ec2.${AWS_REGION}.amazonaws.com}
# The state store bucket's region: bootstrap.env names it when it is not the machine's.
STORE_REGION=${STORE_REGION:-${AWS_REGION}}
# How long a control-plane machine waits for its zone's etcd volume to be free.
ETCD_VOLUME_WAIT_SECONDS=${ETCD_VOLUME_WAIT_SECONDS:-900}
ETCD_VOLUME_RETRY_SECONDS=${ETCD_VOLUME_RETRY_SECONDS:-10}
PKI_DIR=${PKI_DIR:-/etc/kubernetes/pki}
WORK_DIR=${WORK_DIR:-/run/kopsdeck}
# The cluster's CA as this machine checked it (fetch_ca).
CA_FILE=${WORK_DIR}/ca.crt
API_WAIT_SECONDS=${API_WAIT_SECONDS:-1800}
# Prefixed to where containerd and runc are installed (a test installs them under a temp folder).
SYSTEM_ROOT=${SYSTEM_ROOT:-}
# Renew the workers' bootstrap token when it has less than this left.
TOKEN_RENEW_SECONDS=${TOKEN_RENEW_SECONDS:-43200}

log() { echo "kopsdeck-bootstrap: $*" >&2; }
fail() {
  log "$*"
  exit 1
}

# --- instance metadata (IMDSv2) and credentials --------------------------------

imds() {
  local token
  token=$(curl -fsS -X PUT "${IMDS_ENDPOINT}/latest/api/token" -H 'X-aws-ec2-metadata-token-ttl-seconds: 300')
  curl -fsS -H "X-aws-ec2-metadata-token: ${token}" "${IMDS_ENDPOINT}/latest/$1"
}

json_field() {
  python3 -c 'import json, sys; print(json.load(sys.stdin)[sys.argv[1]])' "$1"
}

load_credentials() {
  local role document
  role=$(imds meta-data/iam/security-credentials/) || fail "this instance has no instance profile, so it cannot read the cluster's state store"
  document=$(imds "meta-data/iam/security-credentials/${role}")
  AWS_ACCESS_KEY_ID=$(json_field AccessKeyId <<<"${document}")
  AWS_SECRET_ACCESS_KEY=$(json_field SecretAccessKey <<<"${document}")
  AWS_SESSION_TOKEN=$(json_field Token <<<"${document}")
}

# curl signs with SigV4; the key pair goes through a config on a pipe, never the command line.
# S3 also wants the payload's hash in x-amz-content-sha256 (older curl does not send it; given, curl signs it).
aws_curl() {
  local service=$1 region=${AWS_REGION}
  local payload=()
  shift
  if [ "${service}" = s3 ]; then
    payload=(-H 'x-amz-content-sha256: UNSIGNED-PAYLOAD')
    region=${STORE_REGION}
  fi
  curl -sS --aws-sigv4 "aws:amz:${region}:${service}" \
    -K <(printf 'user = "%s:%s"\n' "${AWS_ACCESS_KEY_ID}" "${AWS_SECRET_ACCESS_KEY}") \
    -H "x-amz-security-token: ${AWS_SESSION_TOKEN}" "${payload[@]}" "$@"
}

# --- the state store -----------------------------------------------------------

STORE_BUCKET=${CONFIG_BASE#s3://}
STORE_BUCKET=${STORE_BUCKET%%/*}
STORE_PREFIX=${CONFIG_BASE#s3://"${STORE_BUCKET}"/}

# Virtual-hosted URLs in the bucket's region, as AWS recommends, but
# path-style for a bucket name with dots (S3's wildcard certificate covers no
# dotted name); a stand-in S3 is addressed path-style.
object_url() {
  if [ -n "${S3_ENDPOINT:-}" ]; then
    echo "${S3_ENDPOINT}/${STORE_BUCKET}/${STORE_PREFIX}/$1"
  elif [[ "${STORE_BUCKET}" == *.* ]]; then
    echo "https://s3.${STORE_REGION}.amazonaws.com/${STORE_BUCKET}/${STORE_PREFIX}/$1"
  else
    echo "https://${STORE_BUCKET}.s3.${STORE_REGION}.amazonaws.com/${STORE_PREFIX}/$1"
  fi
}

# s3_get KEY FILE: KEY is relative to the cluster's folder.
s3_get() {
  local status
  status=$(aws_curl s3 -o "$2" -w '%{http_code}' "$(object_url "$1")")
  [ "${status}" = 200 ] || fail "could not read $1 from ${CONFIG_BASE} (HTTP ${status})"
}

# s3_exists KEY: 0 when the object exists, 1 when it does not.
s3_exists() {
  local status
  status=$(aws_curl s3 -I -o /dev/null -w '%{http_code}' "$(object_url "$1")")
  case "${status}" in
    200) return 0 ;;
    404) return 1 ;;
    *) fail "could not check $1 in ${CONFIG_BASE} (HTTP ${status})" ;;
  esac
}

# s3_create KEY TEXT: writes only if absent (If-None-Match: *); 1 when another machine wrote it first.
s3_create() {
  local status
  status=$(aws_curl s3 -X PUT -H 'If-None-Match: *' --data-binary "$2" -o /dev/null -w '%{http_code}' "$(object_url "$1")")
  case "${status}" in
    200) return 0 ;;
    412) return 1 ;;
    *) fail "could not write $1 to ${CONFIG_BASE} (HTTP ${status})" ;;
  esac
}

# --- the cluster's CA and secrets ------------------------------------------------

ca_hash() {
  echo "sha256:$(openssl x509 -pubkey -noout -in "$1" | openssl pkey -pubin -outform der | sha256sum | cut -d' ' -f1)"
}

# The cluster's CA, checked against the hash the user-data carries, is kept in
# WORK_DIR, not in PKI_DIR: a worker's `kubeadm join` refuses to start when
# /etc/kubernetes/pki/ca.crt exists (its preflight FileAvailable check), and
# writes the CA there itself. A control plane copies it there for kubeadm.
fetch_ca() {
  s3_get pki/ca.crt "${CA_FILE}"
  local found
  found=$(ca_hash "${CA_FILE}")
  [ "${found}" = "${CA_CERT_HASH}" ] || fail "the CA in ${CONFIG_BASE} has hash ${found}, not the ${CA_CERT_HASH} this machine was made for: refusing to join"
}

fetch_control_plane_secrets() {
  install -d -m 0755 "${PKI_DIR}"
  install -m 0644 "${CA_FILE}" "${PKI_DIR}/ca.crt"
  install -d -m 0700 "${PKI_DIR}/etcd"
  local file
  for file in ca.key front-proxy-ca.crt front-proxy-ca.key etcd/ca.crt etcd/ca.key sa.key sa.pub; do
    s3_get "pki/${file}" "${PKI_DIR}/${file}"
  done
  chmod 0600 "${PKI_DIR}"/*.key "${PKI_DIR}"/etcd/*.key
}

# The workers' bootstrap token, as kopsdeck stores it (JSON: token, expires, ...).
bootstrap_token() {
  s3_get secrets/bootstrap-token "${WORK_DIR}/bootstrap-token.json"
  json_field token <"${WORK_DIR}/bootstrap-token.json"
}

node_ip() { imds meta-data/local-ipv4; }

# The kubeadm configuration with the token and this machine's address filled
# in, readable by root only; the kubelet's provider ID goes in as a kubeadm patch.
render_kubeadm_config() {
  local template=$1 token address zone instance
  token=$(bootstrap_token)
  address=$(node_ip)
  zone=$(imds meta-data/placement/availability-zone)
  instance=$(imds meta-data/instance-id)
  install -d -m 0700 "${KOPSDECK_ETC}/patches"
  echo "providerID: aws:///${zone}/${instance}" >"${KOPSDECK_ETC}/patches/kubeletconfiguration+merge.yaml"
  (
    umask 077
    sed -e "s/@BOOTSTRAP_TOKEN@/${token}/" -e "s/@NODE_IP@/${address}/" "${template}" >"${WORK_DIR}/kubeadm.yaml"
  )
  echo "${WORK_DIR}/kubeadm.yaml"
}

# --- packages --------------------------------------------------------------------

# download_verified URL SHA256 FILE: a release file from upstream, kept only
# if its SHA-256 is the one kopsdeck's channel pins for it.
download_verified() {
  local found
  curl -fsSL --retry 5 --retry-connrefused -o "$3" "$1" || fail "could not download $1"
  found=$(sha256sum "$3" | cut -d' ' -f1)
  if [ "${found}" != "$2" ]; then
    rm -f "$3"
    fail "$1 has SHA-256 ${found}, not the $2 kopsdeck's channel pins: refusing to install it"
  fi
}

# containerd runs containers with runc, in the systemd cgroup the kubelet
# expects: version 3 of the configuration for containerd 2, version 2 for
# containerd 1.7 (kops' pin below Kubernetes 1.32).
containerd_config() {
  local version=3 plugin="'io.containerd.cri.v1.runtime'" quote="'"
  if [ "${CONTAINERD_VERSION%%.*}" -lt 2 ]; then
    version=2 plugin='"io.containerd.grpc.v1.cri"' quote='"'
  fi
  local section="[plugins.${plugin}.containerd"
  printf '%s\n' "version = ${version}" "" \
    "${section}]" "  default_runtime_name = ${quote}runc${quote}" "" \
    "${section}.runtimes.runc]" "  runtime_type = ${quote}io.containerd.runc.v2${quote}" "" \
    "${section}.runtimes.runc.options]" "  BinaryName = ${quote}/usr/local/sbin/runc${quote}" "  SystemdCgroup = true"
}

containerd_unit() {
  cat <<'UNIT'
[Unit]
Description=containerd container runtime
Documentation=https://containerd.io
After=network.target local-fs.target

[Service]
ExecStartPre=-/sbin/modprobe overlay
ExecStart=/usr/local/bin/containerd
Type=notify
Delegate=yes
KillMode=process
Restart=always
RestartSec=5
LimitNPROC=infinity
LimitCORE=infinity
TasksMax=infinity
OOMScoreAdjust=-999

[Install]
WantedBy=multi-user.target
UNIT
}

# containerd and runc from their upstream releases, at the versions and
# SHA-256 sums kopsdeck's channel pins (as kops installs them): Ubuntu's
# archive has containerd 1.7, and Kubernetes 1.35 was the last release to
# support containerd 1.x.
install_containerd() {
  log "installing containerd ${CONTAINERD_VERSION} and runc ${RUNC_VERSION}"
  download_verified "${CONTAINERD_URL}" "${CONTAINERD_SHA256}" "${WORK_DIR}/containerd.tar.gz"
  download_verified "${RUNC_URL}" "${RUNC_SHA256}" "${WORK_DIR}/runc"
  install -d -m 0755 "${SYSTEM_ROOT}/usr/local/bin" "${SYSTEM_ROOT}/usr/local/sbin" "${SYSTEM_ROOT}/etc/containerd" "${SYSTEM_ROOT}/etc/systemd/system"
  # The release holds bin/containerd, its shims and ctr.
  tar -xzf "${WORK_DIR}/containerd.tar.gz" -C "${SYSTEM_ROOT}/usr/local" bin
  install -m 0755 "${WORK_DIR}/runc" "${SYSTEM_ROOT}/usr/local/sbin/runc"
  containerd_config >"${SYSTEM_ROOT}/etc/containerd/config.toml"
  containerd_unit >"${SYSTEM_ROOT}/etc/systemd/system/containerd.service"
  # crictl (cri-tools, installed with the kubelet) talks to this containerd: the upkeep runs etcdctl through it.
  echo 'runtime-endpoint: unix:///run/containerd/containerd.sock' >"${SYSTEM_ROOT}/etc/crictl.yaml"
  systemctl daemon-reload
  systemctl enable --now containerd
}

install_packages() {
  local minor=${KUBERNETES_VERSION%.*} version
  printf 'overlay\nbr_netfilter\n' >/etc/modules-load.d/kubernetes.conf
  modprobe overlay
  modprobe br_netfilter
  printf 'net.ipv4.ip_forward = 1\nnet.bridge.bridge-nf-call-iptables = 1\nnet.bridge.bridge-nf-call-ip6tables = 1\n' >/etc/sysctl.d/99-kubernetes.conf
  sysctl --system >/dev/null
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -q
  apt-get install -y -q ca-certificates curl gpg nvme-cli
  install_containerd
  install -d -m 0755 /etc/apt/keyrings
  curl -fsSL "https://pkgs.k8s.io/core:/stable:/v${minor}/deb/Release.key" | gpg --dearmor --yes -o /etc/apt/keyrings/kubernetes-apt-keyring.gpg
  echo "deb [signed-by=/etc/apt/keyrings/kubernetes-apt-keyring.gpg] https://pkgs.k8s.io/core:/stable:/v${minor}/deb/ /" >/etc/apt/sources.list.d/kubernetes.list
  apt-get update -q
  version=$(apt-cache madison kubelet | awk -v want="${KUBERNETES_VERSION}-" 'index($3, want) == 1 { print $3; exit }')
  [ -n "${version}" ] || fail "kubelet ${KUBERNETES_VERSION} is not in pkgs.k8s.io's v${minor} repository"
  # cri-tools for crictl, which the control plane's upkeep needs (kubeadm 1.32 and later no longer depend on it).
  apt-get install -y -q "kubelet=${version}" "kubeadm=${version}" "kubectl=${version}" cri-tools
  apt-mark hold kubelet kubeadm kubectl
}

# --- the etcd volume (control plane) ---------------------------------------------

ec2_call() {
  aws_curl ec2 --data "Version=2016-11-15&$1" "${EC2_ENDPOINT}/"
}

# The first <tag> text in an EC2 answer.
xml_text() {
  python3 -c '
import sys, xml.etree.ElementTree as ET
for element in ET.fromstring(sys.stdin.read()).iter():
    if element.tag.rsplit("}", 1)[-1] == sys.argv[1] and element.text:
        print(element.text)
        break
' "$1"
}

# "gone" for a terminated (or no longer known) instance; anything else, an
# error included, keeps the node.
instance_state() {
  python3 -c '
import sys, xml.etree.ElementTree as ET
root = ET.fromstring(sys.stdin.read())
name = lambda e: e.tag.rsplit("}", 1)[-1]
codes = [e.text for e in root.iter() if name(e) == "Code"]
if codes:
    print("gone" if codes[0] == "InvalidInstanceID.NotFound" else "error")
    sys.exit()
for state in (e for e in root.iter() if name(e) == "instanceState"):
    value = next((c.text for c in state if name(c) == "name"), "")
    print("gone" if value in ("shutting-down", "terminated") else value)
    break
'
}

# The ids of the cluster's etcd main volumes in ZONE that are free to attach.
available_etcd_volumes() {
  ec2_call "Action=DescribeVolumes&Filter.1.Name=tag:KubernetesCluster&Filter.1.Value.1=${CLUSTER_NAME}&Filter.2.Name=tag-key&Filter.2.Value.1=k8s.io/etcd/main&Filter.3.Name=availability-zone&Filter.3.Value.1=$1&Filter.4.Name=status&Filter.4.Value.1=available" |
    python3 -c '
import sys, xml.etree.ElementTree as ET
name = lambda e: e.tag.rsplit("}", 1)[-1]
root = ET.fromstring(sys.stdin.read())
if any(name(e) == "Errors" for e in root.iter()):
    sys.exit(1)
for volume in (e for e in root.iter() if name(e) == "item" and any(name(c) == "volumeId" for c in e)):
    print(next(c.text for c in volume if name(c) == "volumeId"))
'
}

# claim_etcd_volume ZONE INSTANCE: attaches a free etcd volume of ZONE to
# INSTANCE and prints its id. The machine a replacement takes over from lets
# go of its volume only as it terminates, and two machines of one zone may
# reach for the same volume at once (the loser's attach is refused): so it
# keeps trying, for ETCD_VOLUME_WAIT_SECONDS.
claim_etcd_volume() {
  local zone=$1 instance=$2 waited=0 volume answer
  while :; do
    for volume in $(available_etcd_volumes "${zone}"); do
      answer=$(ec2_call "Action=AttachVolume&VolumeId=${volume}&InstanceId=${instance}&Device=/dev/xvdu")
      # Attached only when EC2 answers with the attachment (an error, or an answer that is not XML, has none).
      if [ "$(xml_text volumeId <<<"${answer}" 2>/dev/null || true)" = "${volume}" ]; then
        echo "${volume}"
        return 0
      fi
      log "could not attach etcd volume ${volume}: $(xml_text Message <<<"${answer}" 2>/dev/null || echo 'EC2 gave no readable answer')"
    done
    [ "${waited}" -lt "${ETCD_VOLUME_WAIT_SECONDS}" ] ||
      fail "no etcd volume of ${CLUSTER_NAME} in ${zone} came free in ${ETCD_VOLUME_WAIT_SECONDS}s: a control-plane node keeps etcd's data only there"
    log "waiting for an etcd volume of ${CLUSTER_NAME} in ${zone} to be free"
    sleep "${ETCD_VOLUME_RETRY_SECONDS}"
    waited=$((waited + ETCD_VOLUME_RETRY_SECONDS))
  done
}

# The etcd volume is mounted at ETCD_VOLUME_DIR; etcd's data is a folder in
# it (ETCD_DATA_DIR), never its root: a new ext4 file system holds lost+found,
# and kubeadm refuses a data directory that is not empty.
attach_etcd_volume() {
  local zone instance volume device
  zone=$(imds meta-data/placement/availability-zone)
  instance=$(imds meta-data/instance-id)
  volume=$(claim_etcd_volume "${zone}" "${instance}")
  # Nitro machines show EBS volumes as NVMe devices named after the volume id;
  # older (Xen) machine types at the device name asked for.
  local nvme=/dev/disk/by-id/nvme-Amazon_Elastic_Block_Store_${volume/-/} xen=/dev/xvdu
  device=""
  for _ in $(seq 60); do
    if [ -e "${nvme}" ]; then device=${nvme}; elif [ -e "${xen}" ]; then device=${xen}; fi
    [ -z "${device}" ] || break
    sleep 2
  done
  [ -n "${device}" ] || fail "etcd volume ${volume} did not appear as ${nvme} or ${xen}"
  blkid "${device}" >/dev/null || mkfs.ext4 -q -L etcd "${device}"
  install -d -m 0700 "${ETCD_VOLUME_DIR}"
  echo "${device} ${ETCD_VOLUME_DIR} ext4 defaults,nofail 0 2" >>/etc/fstab
  mount "${ETCD_VOLUME_DIR}"
  # After a reboot the kubelet (and so etcd) starts only once the volume is mounted:
  # etcd started on an empty folder of the root disk would be a new, empty cluster.
  install -d -m 0755 /etc/systemd/system/kubelet.service.d
  printf '[Unit]\nRequiresMountsFor=%s\n' "${ETCD_VOLUME_DIR}" >/etc/systemd/system/kubelet.service.d/20-etcd-volume.conf
}

# A machine joining a running control plane is a new etcd member. Data on its
# volume is a former member's (the machine it replaces): etcd must not start
# on it, and kubeadm refuses to join over it. It is moved aside, within the
# volume, to a folder of its own; forget_former_etcd_data keeps only the
# newest once the join has worked.
set_aside_former_etcd_data() {
  [ -e "${ETCD_DATA_DIR}" ] || return 0
  local aside
  aside=${ETCD_VOLUME_DIR}/former-member-$(date -u +%Y%m%dT%H%M%S.%NZ)
  log "the etcd volume holds a former member's data: moving it to ${aside} before joining"
  mv "${ETCD_DATA_DIR}" "${aside}"
}

# After a join that worked: the newest former member's data stays, older copies go.
forget_former_etcd_data() {
  local former
  mapfile -t former < <(find "${ETCD_VOLUME_DIR}" -mindepth 1 -maxdepth 1 -type d -name 'former-member-*' | sort)
  [ "${#former[@]}" -gt 1 ] || return 0
  rm -rf "${former[@]:0:${#former[@]}-1}"
}

# --- kubeadm -----------------------------------------------------------------------

api_ready() {
  curl -fsS --max-time 5 --cacert "${CA_FILE}" "https://${API_ENDPOINT}/readyz" >/dev/null 2>&1
}

wait_for_api() {
  local waited=0
  until api_ready; do
    [ "${waited}" -lt "${API_WAIT_SECONDS}" ] || fail "the API at ${API_ENDPOINT} did not answer in ${API_WAIT_SECONDS}s"
    sleep 10
    waited=$((waited + 10))
  done
}

init_control_plane() {
  # A data directory carried over on the etcd volume is the cluster itself: keep it.
  local config
  config=$(render_kubeadm_config "${KOPSDECK_ETC}/kubeadm-init.yaml")
  # kubeadm names its check of the data directory after the path: DirAvailable--mnt-etcd-data.
  kubeadm init --config "${config}" --ignore-preflight-errors="DirAvailable-${ETCD_DATA_DIR//\//-}"
}

# The network add-on pinned in kopsdeck's channel, from upstream: a manifest
# applied with kubectl, or a helm chart (cilium). Nodes are NotReady until it runs.
install_network() {
  export KUBECONFIG=/etc/kubernetes/admin.conf
  local arch host
  if [ -z "${NETWORKING:-}" ]; then
    log "no network add-on named in bootstrap.env: nodes stay NotReady until one is installed"
    return 0
  fi
  log "installing ${NETWORKING} ${CNI_VERSION}"
  if [ -n "${CNI_MANIFEST:-}" ]; then
    curl -fsSL --retry 5 -o "${WORK_DIR}/network.yaml" "${CNI_MANIFEST}"
    # flannel's manifest carries its own pod network: the cluster's is another.
    [ "${NETWORKING}" != flannel ] || sed -i "s#10.244.0.0/16#${POD_CIDR}#" "${WORK_DIR}/network.yaml"
    kubectl apply -f "${WORK_DIR}/network.yaml"
    return 0
  fi
  arch=$(dpkg --print-architecture)
  curl -fsSL --retry 5 "${HELM_URL//@ARCH@/${arch}}" | tar -xz -C "${WORK_DIR}" "linux-${arch}/helm"
  host=${API_ENDPOINT%:*}
  # Without kube-proxy (kops' default with cilium) cilium replaces it and reaches the API directly.
  "${WORK_DIR}/linux-${arch}/helm" install cilium "${CNI_CHART}" --namespace kube-system --set ipam.mode=kubernetes \
    --set kubeProxyReplacement="${SKIP_KUBE_PROXY:-false}" --set k8sServiceHost="${host}" --set k8sServicePort=443
}

join_control_plane() {
  local config
  config=$(render_kubeadm_config "${KOPSDECK_ETC}/kubeadm-join-control-plane.yaml")
  set_aside_former_etcd_data
  kubeadm join --config "${config}"
  forget_former_etcd_data
  upgrade_cluster_if_older
}

# A rolling update to a new version: a joining control plane takes its
# components' version from the cluster's kubeadm-config, not from its own
# files, so the first new control-plane node upgrades the cluster to the
# version it was made for (its kubelet already runs it).
upgrade_cluster_if_older() {
  local running
  running=$(KUBECONFIG=/etc/kubernetes/admin.conf kubectl -n kube-system get configmap kubeadm-config -o jsonpath='{.data.ClusterConfiguration}' |
    awk '$1 == "kubernetesVersion:" { print $2 }')
  [ -n "${running}" ] && [ "${running}" != "v${KUBERNETES_VERSION}" ] || return 0
  # Only forward: a machine older than the cluster leaves it as it is.
  if [ "$(printf '%s\n' "${running}" "v${KUBERNETES_VERSION}" | sort -V | tail -n 1)" = "v${KUBERNETES_VERSION}" ]; then
    log "the cluster runs ${running}: upgrading its control plane to v${KUBERNETES_VERSION}"
    kubeadm upgrade apply "v${KUBERNETES_VERSION}" --yes
  fi
}

control_plane() {
  # Where the etcd volume is mounted, and etcd's data folder in it (the kubeadm configuration's dataDir).
  if [ -z "${ETCD_VOLUME_DIR:-}" ] || [ -z "${ETCD_DATA_DIR:-}" ]; then
    fail "bootstrap.env names no ETCD_VOLUME_DIR and ETCD_DATA_DIR: there is nowhere to mount the etcd volume"
  fi
  case "${ETCD_DATA_DIR}" in
    "${ETCD_VOLUME_DIR%/}"/?*) ;;
    *) fail "ETCD_DATA_DIR ${ETCD_DATA_DIR} is not a folder inside the etcd volume's ETCD_VOLUME_DIR ${ETCD_VOLUME_DIR}" ;;
  esac
  fetch_control_plane_secrets
  attach_etcd_volume
  if api_ready; then
    log "the API answers: joining the control plane"
    join_control_plane
  elif [ -d "${ETCD_DATA_DIR}/member" ]; then
    log "the etcd volume holds the cluster's data: starting the control plane on it"
    init_control_plane
  elif s3_create bootstrap/init-lock "$(imds meta-data/instance-id)"; then
    first_control_plane
  else
    log "another control-plane node is initialising the cluster: waiting for its API"
    local waited=0
    until api_ready; do
      if take_over_stale_init_lock; then
        log "the machine that held bootstrap/init-lock is gone: this one takes over"
        first_control_plane
        return
      fi
      [ "${waited}" -lt "${API_WAIT_SECONDS}" ] || fail "the API at ${API_ENDPOINT} did not answer in ${API_WAIT_SECONDS}s"
      sleep 10
      waited=$((waited + 10))
    done
    join_control_plane
  fi
  systemctl enable --now kopsdeck-upkeep.timer
}

first_control_plane() {
  if s3_exists bootstrap/initialized; then
    fail "bootstrap/initialized exists but no API answers and this etcd volume is empty: refusing to start a new, empty cluster"
  fi
  log "first control-plane node: kubeadm init"
  init_control_plane
  install_network
  s3_create bootstrap/initialized "$(imds meta-data/instance-id)" || true
}

# 0 when the machine named in bootstrap/init-lock is gone and this machine
# wrote its own id over it (If-Match: only over the version it read).
take_over_stale_init_lock() {
  local headers=${WORK_DIR}/init-lock.headers holder etag
  [ "$(aws_curl s3 -D "${headers}" -o "${WORK_DIR}/init-lock" -w '%{http_code}' "$(object_url bootstrap/init-lock)")" = 200 ] || return 1
  holder=$(cat "${WORK_DIR}/init-lock")
  [ "$(ec2_call "Action=DescribeInstances&InstanceId.1=${holder}" | instance_state)" = gone ] || return 1
  etag=$(awk 'tolower($1) == "etag:" { print $2 }' "${headers}" | tr -d '\r')
  [ "$(aws_curl s3 -X PUT -H "If-Match: ${etag}" --data-binary "$(imds meta-data/instance-id)" -o /dev/null -w '%{http_code}' "$(object_url bootstrap/init-lock)")" = 200 ]
}

worker() {
  log "waiting for the API at ${API_ENDPOINT}"
  wait_for_api
  local config
  config=$(render_kubeadm_config "${KOPSDECK_ETC}/kubeadm-join.yaml")
  kubeadm join --config "${config}"
}

main() {
  install -d -m 0700 "${WORK_DIR}"
  case "${INSTANCE_GROUP_ROLE}" in
    ControlPlane | Node | APIServer) ;;
    Bastion)
      log "a bastion joins no cluster"
      return 0
      ;;
    *) fail "unknown role ${INSTANCE_GROUP_ROLE}" ;;
  esac
  local name
  for name in CONTAINERD_VERSION CONTAINERD_URL CONTAINERD_SHA256 RUNC_VERSION RUNC_URL RUNC_SHA256; do
    [ -n "${!name:-}" ] || fail "bootstrap.env names no ${name}: this machine has no container runtime to install"
  done
  load_credentials
  fetch_ca
  install_packages
  if [ "${INSTANCE_GROUP_ROLE}" = ControlPlane ]; then control_plane; else worker; fi
  log "done: ${INSTANCE_GROUP_ROLE} ${INSTANCE_GROUP} of ${CLUSTER_NAME}, Kubernetes ${KUBERNETES_VERSION}"
}

case "${1:-boot}" in
  boot) main ;;
  source-only) ;;
  *) fail "usage: $0 [boot|source-only]" ;;
esac
