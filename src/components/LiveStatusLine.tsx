// One line under a live screen's title: that the view is live, or why part of
// it may be stale (the Kubernetes watch or the cloud poll failing, retried).
import { Text } from 'ink';
import type { ModelSnapshot } from '../engine/live-model/types.js';

export function LiveStatusLine({ snapshot }: { snapshot: ModelSnapshot | undefined }) {
  if (!snapshot) return <Text> </Text>;
  if (snapshot.kubeError) return <Text color="red" wrap="truncate-end">{`${snapshot.kubeError}; showing the last known state, reconnecting…`}</Text>;
  if (snapshot.cloudError) return <Text color="yellow" wrap="truncate-end">{`${snapshot.cloudError}; instance groups may be stale, retrying…`}</Text>;
  return (
    <Text dimColor wrap="truncate-end">
      live: nodes and pods watched, instance groups polled from the cloud
    </Text>
  );
}
