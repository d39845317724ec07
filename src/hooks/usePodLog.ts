// A pod's log for the logs screen: read (and followed) through the API while
// the request stays the same, kept to the newest MAX_LOG_LINES, and handed to
// React a few times a second however fast lines arrive. stop() ends a follow
// and keeps what was read; a new request starts over.
import { useCallback, useEffect, useRef, useState } from 'react';
import { apiMessage, KubeApiError, type KubeClient } from '../engine/kube/client.js';
import { readPodLog, type PodLogRequest } from '../engine/kube/pod-logs.js';

/** Lines kept on screen; older ones are dropped (and counted). */
export const MAX_LOG_LINES = 5000;
const FLUSH_MS = 100;

export type PodLogPhase = 'loading' | 'following' | 'stopped' | 'ended' | 'error';

export interface PodLogState {
  lines: readonly string[];
  /** Lines dropped from the start to stay within MAX_LOG_LINES. */
  dropped: number;
  phase: PodLogPhase;
  /** What went wrong, when phase is 'error': the API's refusal in its words, or the connection's error. */
  error?: string;
}

export interface PodLog extends PodLogState {
  /** Stops reading (a followed log stops following); the lines read so far stay. */
  stop(): void;
}

const initial: PodLogState = { lines: [], dropped: 0, phase: 'loading' };

export function usePodLog(kube: KubeClient | undefined, request: PodLogRequest | undefined): PodLog {
  const [state, setState] = useState<PodLogState>(initial);
  const stopCurrent = useRef<(() => void) | undefined>(undefined);

  useEffect(() => {
    setState(initial);
    if (!kube || !request) return;
    const abort = new AbortController();
    let lines: string[] = [];
    let dropped = 0;
    let timer: NodeJS.Timeout | undefined;
    const publish = (phase: PodLogPhase, error?: string) => {
      clearTimeout(timer);
      timer = undefined;
      setState({ lines: lines.slice(), dropped, phase, error });
    };
    const onLines = (fresh: string[]) => {
      lines.push(...fresh);
      if (lines.length > MAX_LOG_LINES) {
        dropped += lines.length - MAX_LOG_LINES;
        lines = lines.slice(-MAX_LOG_LINES);
      }
      timer ??= setTimeout(() => publish(request.follow ? 'following' : 'loading'), FLUSH_MS);
    };
    stopCurrent.current = () => {
      if (abort.signal.aborted) return;
      abort.abort();
      publish('stopped');
    };
    if (request.follow) publish('following');
    readPodLog(kube, request, onLines, abort.signal).then(
      () => !abort.signal.aborted && publish('ended'),
      (error: unknown) => {
        if (abort.signal.aborted) return;
        // An answer from the API server (a refusal) reads differently from a connection that failed.
        const said = error instanceof KubeApiError ? `The API server refused: ${apiMessage(error)}` : `Could not read the log: ${apiMessage(error)}`;
        publish('error', said);
      },
    );
    return () => {
      clearTimeout(timer);
      abort.abort();
    };
  }, [kube, request]);

  const stop = useCallback(() => stopCurrent.current?.(), []);

  return { ...state, stop };
}
