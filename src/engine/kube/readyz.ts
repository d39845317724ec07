// The API server's own readiness (/readyz), one of kops' validation inputs.
import type { KubeClient } from './client.js';

export interface ReadyzResult {
  ok: boolean;
  /** The HTTP status, or 0 when the server could not be reached. */
  status: number;
  message: string;
}

export async function checkReadyz(client: KubeClient, signal?: AbortSignal): Promise<ReadyzResult> {
  try {
    const res = await client.requestRaw('GET', '/readyz', { signal, timeoutMs: 10_000 });
    const text = res.body.trim().slice(0, 300);
    if (res.status === 200) return { ok: true, status: 200, message: text || 'ok' };
    return { ok: false, status: res.status, message: `/readyz answered ${res.status}${text ? `: ${firstLine(text)}` : ''}` };
  } catch (error) {
    if (signal?.aborted) throw error;
    return { ok: false, status: 0, message: `/readyz unreachable: ${(error as Error).message}` };
  }
}

function firstLine(text: string): string {
  try {
    const parsed = JSON.parse(text) as { message?: string };
    if (parsed.message) return parsed.message;
  } catch {
    // plain text body
  }
  return text.split('\n')[0];
}
