// What a simulated container writes to its log. Nothing is stored: the lines
// are a function of the container's run (its pod, image, node, start and end
// on the simulated clock) and of the time asked about, so every reader of the
// same pod at the same moment sees the same text, and a follower sees new
// lines appear as simulated time passes.
import { timestamp } from './types.js';

/** Simulated ms between a container's periodic lines. */
export const LOG_PERIOD_MS = 15_000;
/** The newest lines kept of a long run, as a kubelet keeps only its newest rotated log files. */
export const RETAINED_LINES = 10_000;

/** One run of a container: the current one, or the previous (terminated) one. */
export interface ContainerRun {
  namespace: string;
  pod: string;
  node: string;
  container: string;
  image: string;
  podIP?: string;
  startedAt: number;
  /** The kubelet sent SIGTERM (the pod is being deleted): no periodic lines after this. */
  stoppingAt?: number;
  /** A terminated run: when it ended and how. */
  exit?: { at: number; code: number; reason: string };
}

export interface LogLine {
  /** Position in the run's whole log (startup lines first); lines with a higher seq come later. */
  seq: number;
  at: number;
  text: string;
  /** The run's last line (shutdown or exit); nothing follows it. */
  final?: boolean;
}

const STARTUP_OFFSETS_MS = [0, 0, 1000, 2000];

/** FNV-1a: a stable number per pod and line, so the figures vary between pods but never between reads. */
function hash(text: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return h;
}

function versionOf(image: string): string {
  const tag = /:([^/:@]+)(@.*)?$/.exec(image)?.[1];
  return tag ?? 'latest';
}

function uptime(ms: number): string {
  const seconds = Math.floor(ms / 1000);
  const h = Math.floor(seconds / 3600);
  const m = Math.floor((seconds % 3600) / 60);
  const s = seconds % 60;
  return h > 0 ? `${h}h${m}m${s}s` : m > 0 ? `${m}m${s}s` : `${s}s`;
}

function stamp(ms: number): string {
  return timestamp(ms);
}

function startupLines(run: ContainerRun): LogLine[] {
  const port = 8000 + (hash(`${run.container}/port`) % 1000);
  const texts = [
    `INFO  starting ${run.container} ${versionOf(run.image)} (image ${run.image})`,
    `INFO  running in pod ${run.namespace}/${run.pod} on node ${run.node}`,
    `INFO  listening on ${run.podIP ?? '0.0.0.0'}:${port}`,
    'INFO  ready',
  ];
  return texts.map((text, i) => {
    const at = run.startedAt + STARTUP_OFFSETS_MS[i];
    return { seq: i, at, text: `${stamp(at)} ${text}` };
  });
}

function periodicLine(run: ContainerRun, k: number): LogLine {
  const at = run.startedAt + k * LOG_PERIOD_MS;
  const h = hash(`${run.namespace}/${run.pod}/${run.container}/${k}`);
  const requests = h % 240;
  const p50 = 2 + ((h >>> 8) % 40);
  const text = `${stamp(at)} INFO  ${requests} request${requests === 1 ? '' : 's'} in the last ${LOG_PERIOD_MS / 1000}s, p50 ${p50}ms, uptime ${uptime(at - run.startedAt)}`;
  return { seq: STARTUP_OFFSETS_MS.length - 1 + k, at, text };
}

/** Where periodic lines stop: shutdown or exit, whichever the run has. */
function periodicEnd(run: ContainerRun): number {
  return Math.min(run.stoppingAt ?? Infinity, run.exit?.at ?? Infinity);
}

/** How many periodic lines were written by `until` (exclusive of the end). */
function periodicCount(run: ContainerRun, until: number): number {
  const last = Math.min(until, periodicEnd(run) - 1);
  return last < run.startedAt ? 0 : Math.floor((last - run.startedAt) / LOG_PERIOD_MS);
}

function finalLine(run: ContainerRun, seq: number): LogLine | undefined {
  if (run.exit) {
    const { at, code, reason } = run.exit;
    const text = code === 0 ? `INFO  exiting (${reason})` : `ERROR exiting with code ${code} (${reason})`;
    return { seq, at, text: `${stamp(at)} ${text}`, final: true };
  }
  if (run.stoppingAt !== undefined) {
    return { seq, at: run.stoppingAt, text: `${stamp(run.stoppingAt)} INFO  received SIGTERM, draining connections and shutting down`, final: true };
  }
  return undefined;
}

/** The lines the run has written by `now`: its newest RETAINED_LINES, oldest first. */
export function logLines(run: ContainerRun, now: number): LogLine[] {
  const periodic = periodicCount(run, now);
  const lines: LogLine[] = [];
  // Only the retained window is made: a run of days at 15 s a line is far longer.
  if (periodic < RETAINED_LINES) lines.push(...startupLines(run).filter((line) => line.at <= now));
  for (let k = Math.max(1, periodic - RETAINED_LINES + 1); k <= periodic; k++) lines.push(periodicLine(run, k));
  const last = finalLine(run, STARTUP_OFFSETS_MS.length + periodic);
  if (last && last.at <= now) lines.push(last);
  return lines.length > RETAINED_LINES ? lines.slice(-RETAINED_LINES) : lines;
}

/** When the run writes its next line after `now`, or undefined when it writes no more by itself. */
export function nextLineAt(run: ContainerRun, now: number): number | undefined {
  const startup = STARTUP_OFFSETS_MS.map((offset) => run.startedAt + offset).find((at) => at > now);
  if (startup !== undefined) return startup;
  const next = run.startedAt + (periodicCount(run, now) + 1) * LOG_PERIOD_MS;
  return next < periodicEnd(run) ? next : undefined;
}
