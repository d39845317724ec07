// What kops' decoder fills in when it reads a v1alpha2 Cluster
// (SetDefaults_ClusterSpec in pkg/apis/kops/v1alpha2/defaults.go): a missing
// topology is a public DNS one, and a missing api is an empty one (kops then
// chooses DNS or a load balancer from the control plane's subnets). Specs
// written by hand, or by older kops versions, omit them; kops reads them
// anyway, so kopsdeck must too. A copy: the value given is left as it is.
import { isRecord } from './shape.js';

export function withKopsDecodeDefaults(doc: unknown): unknown {
  if (!isRecord(doc) || !isRecord(doc.spec)) return doc;
  const spec = { ...doc.spec };
  const topology = isRecord(spec.topology) ? { ...spec.topology } : spec.topology === undefined || spec.topology === null ? {} : spec.topology;
  if (isRecord(topology)) {
    const dns = isRecord(topology.dns) ? { ...topology.dns } : topology.dns === undefined || topology.dns === null ? {} : topology.dns;
    if (isRecord(dns) && (dns.type === undefined || dns.type === null || dns.type === '')) dns.type = 'Public';
    topology.dns = dns;
  }
  spec.topology = topology;
  if ((spec.api === undefined || spec.api === null) && spec.cloudProvider !== 'openstack') spec.api = {};
  return { ...doc, spec };
}
