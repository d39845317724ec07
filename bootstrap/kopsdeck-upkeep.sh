#!/bin/bash
# kopsdeck upkeep: every minute on each control-plane node (kopsdeck-upkeep.timer),
# the work kops-controller and the cloud controller manager do on a kops
# cluster: the nodes' instance-group labels, nodes whose instances are gone,
# the workers' bootstrap token, and etcd members whose machines are gone.
# It uses the bootstrap script's functions (state store, EC2, metadata).
set -o errexit -o nounset -o pipefail
shopt -s inherit_errexit

# shellcheck source=kopsdeck-bootstrap.sh
. "${KOPSDECK_BOOTSTRAP:-/usr/local/sbin/kopsdeck-bootstrap}" source-only

# --- etcd members ----------------------------------------------------------------------

# Private addresses of the cluster's pending and running control-plane instances.
live_control_plane_ips() {
  ec2_call "Action=DescribeInstances&Filter.1.Name=tag:KubernetesCluster&Filter.1.Value.1=${CLUSTER_NAME}&Filter.2.Name=tag-key&Filter.2.Value.1=k8s.io/role/control-plane&Filter.3.Name=instance-state-name&Filter.3.Value.1=pending&Filter.3.Value.2=running" |
    python3 -c '
import sys, xml.etree.ElementTree as ET
root = ET.fromstring(sys.stdin.read())
if any(e.tag.rsplit("}", 1)[-1] == "Errors" for e in root.iter()):
    sys.exit(1)
for element in root.iter():
    if element.tag.rsplit("}", 1)[-1] == "privateIpAddress" and element.text:
        print(element.text)
' | sort -u
}

# etcdctl inside this node's etcd container, with the health-check client
# certificate kubeadm made (ETCDCTL may name another etcdctl command line).
local_etcdctl() {
  local command
  if [ -n "${ETCDCTL:-}" ]; then
    read -r -a command <<<"${ETCDCTL}"
  else
    command=(crictl exec "$(crictl ps --name etcd -q | head -n 1)" etcdctl --endpoints https://127.0.0.1:2379
      --cacert /etc/kubernetes/pki/etcd/ca.crt --cert /etc/kubernetes/pki/etcd/healthcheck-client.crt
      --key /etc/kubernetes/pki/etcd/healthcheck-client.key)
  fi
  "${command[@]}" "$@"
}

# The members of `etcdctl member list -w simple` on stdin, as lines of
# "ID PEER CLIENT MOVED": PEER and CLIENT say whether the member's peer and
# client addresses are a live control-plane instance's (LIVE_IP... are given),
# MOVED is its peer URL on the live address it answers on ("-" when none).
# IDs stay hex text: JSON output would round them.
etcd_member_view() {
  python3 -c '
import sys, urllib.parse
live = set(sys.argv[1:])
for line in sys.stdin:
    fields = [field.strip() for field in line.split(", ")]
    if len(fields) < 5:
        continue
    peers = [urllib.parse.urlsplit(url) for url in fields[3].split(",") if url]
    clients = [urllib.parse.urlsplit(url) for url in fields[4].split(",") if url]
    live_clients = [url.hostname for url in clients if url.hostname in live]
    moved = "-"
    if peers and live_clients:
        host = f"[{live_clients[0]}]" if ":" in live_clients[0] else live_clients[0]
        port = f":{peers[0].port}" if peers[0].port else ""
        moved = peers[0]._replace(netloc=host + port).geturl()
    state = lambda urls: "live" if {url.hostname for url in urls} & live else "gone"
    print(fields[0], state(peers), state(clients), moved)
' "$@"
}

# correct_moved_etcd_members LIVE_IP...: a member whose client address is a
# live machine's but whose peer address is not came back on its etcd volume
# on a new machine (a one-node control plane's replacement). etcd keeps the
# peer address a member was first given: it is updated to the new machine's.
correct_moved_etcd_members() {
  [ "$#" -gt 0 ] || return 0
  local id peer client moved
  local_etcdctl member list -w simple | etcd_member_view "$@" |
    while read -r id peer client moved; do
      if [ "${peer}" = gone ] && [ "${client}" = live ]; then
        log "etcd member ${id} came back on a new machine: its peer address becomes ${moved}"
        local_etcdctl member update "${id}" --peer-urls="${moved}" >/dev/null || log "could not update etcd member ${id}'s peer address"
      fi
    done
}

# remove_stale_etcd_members LIVE_IP...: removes every member no live
# control-plane instance has (its machine is gone), as the cloud's view says:
# neither its peer nor its client address is a live machine's. Never with an
# empty view: every member would look gone.
remove_stale_etcd_members() {
  [ "$#" -gt 0 ] || return 0
  local id peer client moved
  local_etcdctl member list -w simple | etcd_member_view "$@" |
    while read -r id peer client moved; do
      if [ "${peer}" = gone ] && [ "${client}" = gone ]; then
        log "removing etcd member ${id}: no running control-plane instance has its address"
        local_etcdctl member remove "${id}" >/dev/null
      fi
    done
}


# Nodes whose instances are gone are deleted, as the cloud controller manager's
# node lifecycle controller does: a control-plane node left behind would count
# as an etcd member that does not vote.
forget_gone_nodes() {
  local node provider instance
  kubectl get nodes -o jsonpath='{range .items[*]}{.metadata.name} {.spec.providerID}{"\n"}{end}' |
    while read -r node provider; do
      instance=${provider##*/}
      [ -n "${instance}" ] || continue
      if [ "$(ec2_call "Action=DescribeInstances&InstanceId.1=${instance}" | instance_state)" = gone ]; then
        kubectl delete node "${node}" --wait=false
      fi
    done
}

# The instance group and role labels: NodeRestriction forbids a kubelet to set
# them on itself, so the control plane sets them from the instance's tags.
label_nodes() {
  local node provider instance answer group
  kubectl get nodes -l '!kops.k8s.io/instancegroup' -o jsonpath='{range .items[*]}{.metadata.name} {.spec.providerID}{"\n"}{end}' |
    while read -r node provider; do
      instance=${provider##*/}
      [ -n "${instance}" ] || continue
      answer=$(ec2_call "Action=DescribeInstances&InstanceId.1=${instance}")
      group=$(xml_tag_value kops.k8s.io/instancegroup <<<"${answer}")
      [ -n "${group}" ] || continue
      if [ -n "$(xml_tag_value k8s.io/role/node <<<"${answer}")" ]; then
        kubectl label node "${node}" "kops.k8s.io/instancegroup=${group}" node-role.kubernetes.io/node= --overwrite
      else
        kubectl label node "${node}" "kops.k8s.io/instancegroup=${group}" --overwrite
      fi
    done
}

# The value of an instance tag in a DescribeInstances answer.
xml_tag_value() {
  python3 -c '
import sys, xml.etree.ElementTree as ET
name = lambda e: e.tag.rsplit("}", 1)[-1]
for item in ET.fromstring(sys.stdin.read()).iter():
    if name(item) != "item":
        continue
    fields = {name(child): child.text or "" for child in item}
    if fields.get("key") == sys.argv[1] and "value" in fields:
        print(fields["value"])
        break
' "$1"
}

# The store's token is the one workers join with: the cluster must know it,
# and it is renewed (create-only against the version read) before it expires.
keep_bootstrap_token() {
  local token expires left headers etag
  headers="${WORK_DIR}/bootstrap-token.headers"
  aws_curl s3 -f -D "${headers}" -o "${WORK_DIR}/bootstrap-token.json" "$(object_url secrets/bootstrap-token)" >/dev/null
  token=$(json_field token <"${WORK_DIR}/bootstrap-token.json")
  expires=$(json_field expires <"${WORK_DIR}/bootstrap-token.json")
  left=$(($(date -d "${expires}" +%s) - $(date +%s)))
  if [ "${left}" -lt "${TOKEN_RENEW_SECONDS}" ]; then
    etag=$(awk 'tolower($1) == "etag:" { print $2 }' "${headers}" | tr -d '\r')
    token=$(kubeadm token generate)
    expires=$(date -u -d '+24 hours' +%Y-%m-%dT%H:%M:%S.000Z)
    printf '{"token":"%s","expires":"%s","description":"kopsdeck: joins worker nodes","usages":["signing","authentication"],"groups":["system:bootstrappers:kubeadm:default-node-token"]}\n' "${token}" "${expires}" >"${WORK_DIR}/bootstrap-token.new"
    [ "$(aws_curl s3 -X PUT -H "If-Match: ${etag}" --data-binary "@${WORK_DIR}/bootstrap-token.new" -o /dev/null -w '%{http_code}' "$(object_url secrets/bootstrap-token)")" = 200 ] || return 0
    left=86400
  fi
  kubeadm token list -o jsonpath='{.token}{"\n"}' | grep -qx "${token}" || kubeadm token create "${token}" --ttl "${left}s" >/dev/null
}

upkeep() {
  export KUBECONFIG=/etc/kubernetes/admin.conf
  local ips
  # /run is emptied when the machine restarts; only the bootstrap made this folder.
  install -d -m 0700 "${WORK_DIR}"
  load_credentials
  label_nodes
  forget_gone_nodes
  keep_bootstrap_token
  # An empty view (no answer, or no instance listed) must remove nothing.
  if ips=$(live_control_plane_ips) && [ -n "${ips}" ]; then
    mapfile -t ips <<<"${ips}"
    correct_moved_etcd_members "${ips[@]}"
    remove_stale_etcd_members "${ips[@]}"
  fi
}


case "${1:-upkeep}" in
  upkeep) upkeep ;;
  source-only) ;;
  *) fail "usage: $0 [upkeep|source-only]" ;;
esac
