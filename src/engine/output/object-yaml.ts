// A Kubernetes object as `kubectl get -o yaml` prints it: metadata.managedFields
// left out (kubectl's default since 1.21), keys in alphabetical order, list
// items at their key's indentation, strings that YAML 1.1 would read as
// something else quoted ("2025-01-01T00:00:00Z", "on"), long strings never
// folded: kubectl writes through sigs.k8s.io/yaml (go-yaml v2), which does so.
import { stringify } from 'yaml';

interface WithMetadata {
  metadata?: Record<string, unknown>;
}

export function withoutManagedFields<T extends WithMetadata>(object: T): T {
  if (!object.metadata || !('managedFields' in object.metadata)) return object;
  const { managedFields: _dropped, ...metadata } = object.metadata;
  return { ...object, metadata };
}

export function kubectlYaml(object: WithMetadata): string {
  return stringify(withoutManagedFields(object), { version: '1.1', sortMapEntries: true, indentSeq: false, lineWidth: 0 });
}
