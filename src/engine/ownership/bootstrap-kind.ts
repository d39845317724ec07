// What boots an instance of a launch template: kopsdeck's own bootstrap
// (src/engine/bootstrap/user-data.ts), kops' nodeup, something else, or nothing.
// Only a template carrying kopsdeck's bootstrap is kopsdeck's to rewrite.
import type { LaunchTemplateState } from '../cloud/aws/discovery.js';
import { USER_DATA_MARKER, decodeUserData, readBootstrapValues } from '../bootstrap/user-data.js';

export type BootstrapKind = 'kopsdeck' | 'nodeup' | 'other' | 'none' | 'unreadable';

/** The values every kopsdeck bootstrap carries (bootstrap.env, or the exports of its earlier shell form). */
const KOPSDECK_VALUES = ['CLUSTER_NAME', 'INSTANCE_GROUP', 'INSTANCE_GROUP_ROLE', 'KUBERNETES_VERSION'];
const KOPSDECK_MARKER = new RegExp(`^${USER_DATA_MARKER}\\b`, 'm');

/** nodeup's bootstrap script: it downloads nodeup and writes its kube_env.yaml. */
const NODEUP_MARKERS = [/\bkube_env\.yaml\b/, /\bNODEUP_URL(_AMD64|_ARM64)?=/];

export function bootstrapKindOfScript(script: string): BootstrapKind {
  if (script.trim() === '') return 'none';
  if (NODEUP_MARKERS.some((marker) => marker.test(script))) return 'nodeup';
  const values = readBootstrapValues(script);
  if (KOPSDECK_MARKER.test(script) && values && KOPSDECK_VALUES.every((name) => values[name])) return 'kopsdeck';
  return 'other';
}

/** The bootstrap of a template's newest version; unreadable when discovery could not read that version. */
export function bootstrapKindOfTemplate(state: LaunchTemplateState): BootstrapKind {
  if (!state.latest) return 'unreadable';
  return bootstrapKindOfScript(decodeUserData(state.latest.LaunchTemplateData?.UserData));
}

export function describeBootstrap(kind: BootstrapKind): string {
  switch (kind) {
    case 'kopsdeck':
      return "kopsdeck's bootstrap";
    case 'nodeup':
      return "nodeup, kops' bootstrap";
    case 'other':
      return "a user-data that is not kopsdeck's bootstrap";
    case 'none':
      return 'no user-data';
    case 'unreadable':
      return 'a user-data that could not be read';
  }
}
