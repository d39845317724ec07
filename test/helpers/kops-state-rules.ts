// What `kops delete cluster` accepts in a cluster's folder of the state store.
// kops (pkg/client/simple/vfsclientset, DeleteAllClusterState) deletes the
// cloud resources first, then lists <cluster>/ and refuses to go on if any
// file there is not one of these; the cluster is then half deleted. The list
// is restated here from kops' source so tests can hold kopsdeck to it.
const KNOWN_FILES = new Set(['config', 'cluster.spec', 'cluster-completed.spec', 'kops-version.txt']);
const KNOWN_FOLDERS = ['addons/', 'clusteraddons/', 'pki/', 'secrets/', 'instancegroup/', 'igconfig/', 'manifests/', 'backups/'];

/** The keys under `<cluster>/` (keys relative to the store's root) that kops' delete would refuse. */
export function keysKopsDeleteRefuses(keys: readonly string[], cluster: string): string[] {
  const folder = `${cluster}/`;
  return keys
    .filter((key) => key.startsWith(folder))
    .map((key) => key.slice(folder.length))
    .filter((relative) => relative !== '' && !KNOWN_FILES.has(relative) && !KNOWN_FOLDERS.some((prefix) => relative.startsWith(prefix)))
    .map((relative) => folder + relative);
}
