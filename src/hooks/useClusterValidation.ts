// kops' cluster validation, live, for the overview: the engine's validateClusterHealth
// judged over the live model (re-judged when the model changes, at most once a
// second: at 5,000 nodes a judgement walks every node) and the API server's
// /readyz (asked every few seconds).
import { useCallback, useEffect, useRef, useState } from 'react';
import { validateClusterHealth, type ValidationResult } from '../engine/health/validate-cluster-health.js';
import { checkReadyz, type ReadyzResult } from '../engine/kube/readyz.js';
import type { ModelSnapshot } from '../engine/live-model/types.js';
import type { LiveSessionState } from '../sessions/live-sessions.js';

export interface ValidationOptions {
  /** Wall ms between /readyz checks; default 5 s. */
  readyzIntervalMs?: number;
  /** Wall ms between judgements at most; default 1 s. */
  minIntervalMs?: number;
}

export interface LiveValidation {
  result: ValidationResult | undefined;
  readyz: ReadyzResult | undefined;
  /** Asks /readyz again and re-judges now. */
  recheck(): void;
}

export function useClusterValidation(state: LiveSessionState, snapshot: ModelSnapshot | undefined, options: ValidationOptions = {}): LiveValidation {
  const live = state.status === 'live' ? state : undefined;
  const [readyz, setReadyz] = useState<ReadyzResult | undefined>(undefined);
  const [result, setResult] = useState<ValidationResult | undefined>(undefined);
  const [generation, setGeneration] = useState(0);
  const readyzInterval = options.readyzIntervalMs ?? 5000;
  const minInterval = options.minIntervalMs ?? 1000;

  useEffect(() => {
    if (!live) return;
    const controller = new AbortController();
    let timer: NodeJS.Timeout | undefined;
    const ask = () => {
      checkReadyz(live.kube, controller.signal).then(
        (answer) => {
          if (controller.signal.aborted) return;
          setReadyz(answer);
          timer = setTimeout(ask, readyzInterval);
        },
        () => undefined,
      );
    };
    ask();
    return () => {
      controller.abort();
      clearTimeout(timer);
    };
    // eslint-disable-next-line react-hooks/exhaustive-deps -- a new kube client (not a new snapshot of the same cluster) starts the /readyz polling again
  }, [live?.kube, readyzInterval, generation]);

  const latest = useRef({ live, readyz });
  latest.current = { live, readyz };
  const timer = useRef<NodeJS.Timeout | undefined>(undefined);
  const lastRun = useRef(0);
  useEffect(() => {
    if (!snapshot || !readyz || timer.current) return;
    const delay = Math.max(0, lastRun.current + minInterval - Date.now());
    timer.current = setTimeout(() => {
      timer.current = undefined;
      lastRun.current = Date.now();
      const { live, readyz } = latest.current;
      if (!live || !readyz) return;
      setResult(validateClusterHealth(live.live.model.cluster, live.live.model, readyz, { specInstanceGroups: live.specGroups }));
    }, delay);
    // eslint-disable-next-line react-hooks/exhaustive-deps -- runs on each new model version; the timer reads the latest values through `latest`
  }, [snapshot?.version, readyz, minInterval]);
  useEffect(() => () => clearTimeout(timer.current), []);

  const recheck = useCallback(() => setGeneration((g) => g + 1), []);
  return { result, readyz, recheck };
}
