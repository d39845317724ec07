// A pod's log through the API server (GET .../pods/<name>/log), as kubectl
// logs reads it: one container, its current or previous run, the newest lines
// only, and, when following, new lines as the container writes them until the
// server ends the stream (the container stopped, the pod is gone) or the
// caller lets go.
import type { KubeClient } from './client.js';
import { withQuery } from './informer.js';
import type { PodRef } from './node-ops.js';
import { podPath } from './pod-ops.js';

export interface PodLogRequest extends PodRef {
  /** Required by the API when the pod has several containers. */
  container?: string;
  follow?: boolean;
  /** The container's run before its last restart. */
  previous?: boolean;
  /** Only the newest lines. */
  tailLines?: number;
}

export function podLogPath(request: PodLogRequest): string {
  const query: Record<string, string> = {};
  if (request.container) query.container = request.container;
  if (request.follow) query.follow = 'true';
  if (request.previous) query.previous = 'true';
  if (request.tailLines !== undefined) query.tailLines = String(request.tailLines);
  return withQuery(`${podPath(request)}/log`, query);
}

/**
 * Reads the log, handing over complete lines as they arrive (a followed log
 * keeps doing so); resolves when the server ends the stream, rejects with the
 * API's refusal (KubeApiError) or an AbortError once `signal` fires.
 */
export async function readPodLog(client: KubeClient, request: PodLogRequest, onLines: (lines: string[]) => void, signal?: AbortSignal): Promise<void> {
  const res = await client.stream(podLogPath(request), signal, 'text/plain, */*');
  res.setEncoding('utf8');
  let partial = '';
  for await (const chunk of res as AsyncIterable<string>) {
    const parts = (partial + chunk).split('\n');
    partial = parts.pop() ?? '';
    if (parts.length > 0) onLines(parts.map(withoutCarriageReturn));
  }
  if (partial) onLines([withoutCarriageReturn(partial)]);
}

function withoutCarriageReturn(line: string): string {
  return line.endsWith('\r') ? line.slice(0, -1) : line;
}
