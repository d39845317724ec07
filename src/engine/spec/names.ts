// Name rules. Cluster names are DNS names because kops builds Route 53 records
// (api.<cluster>) and AWS resource names (<ig>.<cluster>) from them.

const DNS_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;

/** Why `name` is not a usable cluster name, or null when it is. */
export function clusterNameProblem(name: string): string | null {
  const example = 'like demo.example.com (or demo.k8s.local for a cluster without a DNS zone)';
  if (name.length === 0) return `the cluster name is empty; use a DNS name ${example}`;
  if (name.length > 253) return `the cluster name is ${name.length} characters long; a DNS name has at most 253`;
  if (name !== name.toLowerCase()) {
    const lower = name.toLowerCase();
    const suggestion = clusterNameProblem(lower) === null ? `"${lower}"` : 'demo.example.com';
    return `cluster name "${name}" has capital letters; use a lowercase DNS name such as ${suggestion}`;
  }
  if (!name.includes('.')) return `cluster name "${name}" needs at least one dot: use a DNS name ${example}`;
  const labels = name.split('.');
  for (const label of labels) {
    if (label.length === 0) return `cluster name "${name}" has an empty part between dots; use a DNS name ${example}`;
    if (label.length > 63) return `cluster name "${name}" has a part longer than 63 characters ("${label.slice(0, 20)}…")`;
    if (!DNS_LABEL.test(label)) {
      return `cluster name "${name}" is not a DNS name: "${label}" may only hold a-z, 0-9 and inner hyphens; use a name ${example}`;
    }
  }
  return null;
}

/** Why `name` is not a usable instance group name, or null when it is. */
export function instanceGroupNameProblem(name: string): string | null {
  if (name.length === 0) return 'the instance group name is empty; use a name such as nodes-us-east-1a';
  if (name.length > 128) return `instance group name "${name.slice(0, 20)}…" is longer than 128 characters`;
  if (!/^[a-z0-9]([-a-z0-9.]*[a-z0-9])?$/.test(name)) {
    return `instance group name "${name}" may only hold lowercase letters, digits, "-" and "."; e.g. nodes-us-east-1a`;
  }
  return null;
}

/** EC2 instance types look like family.size: t3.medium, m6i.2xlarge, c7gn.metal-48xl. */
export function isMachineTypeShape(value: string): boolean {
  return /^[a-z][a-z0-9-]*\.[a-z0-9-]+$/.test(value);
}
