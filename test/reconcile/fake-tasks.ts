// Fake tasks for the pure parts of the engine (ordering, parallelism, retries).
import type { AwsClients } from '../../src/engine/cloud/aws/clients.js';
import { emptyClusterSnapshot, type ClusterSnapshot } from '../../src/engine/cloud/aws/discovery.js';
import { scaledClock } from '../../src/engine/clock.js';
import type { ReconcileContext, Task } from '../../src/engine/reconcile/task.js';
import { compareFields } from '../../src/engine/reconcile/task.js';

export function emptySnapshot(clusterName = 'test.example.com'): ClusterSnapshot {
  return emptyClusterSnapshot(clusterName);
}

export function fakeContext(): ReconcileContext {
  return {
    clusterName: 'test.example.com',
    clients: {} as AwsClients,
    snapshot: emptySnapshot(),
    ids: new Map(),
    clock: scaledClock(1000),
  };
}

export interface FakeWorld {
  /** name -> value that "exists". */
  existing: Map<string, number>;
  log: string[];
  inFlight: number;
  maxInFlight: number;
}

export function fakeWorld(existing: Record<string, number> = {}): FakeWorld {
  return { existing: new Map(Object.entries(existing)), log: [], inFlight: 0, maxInFlight: 0 };
}

export interface FakeTaskOptions {
  deps?: string[];
  /** Errors thrown by the first attempts, in order. */
  failures?: Error[];
  delayMs?: number;
}

export function fakeTask(world: FakeWorld, name: string, value: number, options: FakeTaskOptions = {}): Task<{ value: number }, { value: number }> {
  const failures = [...(options.failures ?? [])];
  return {
    key: `VPC/${name}`,
    kind: 'VPC',
    name,
    dependencies: (options.deps ?? []).map((d) => `VPC/${d}`),
    desired: () => ({ value }),
    find: () => (world.existing.has(name) ? { value: world.existing.get(name)! } : null),
    idOf: () => `id-${name}`,
    diff: (d, a) => compareFields([['Value', d.value, a.value]]),
    describe: (d) => ({ Value: String(d.value) }),
    async apply(_ctx, change) {
      world.inFlight += 1;
      world.maxInFlight = Math.max(world.maxInFlight, world.inFlight);
      try {
        await new Promise((resolve) => setTimeout(resolve, options.delayMs ?? 5));
        const failure = failures.shift();
        if (failure) throw failure;
        world.log.push(`${change.action}:${name}`);
        world.existing.set(name, value);
        return `id-${name}`;
      } finally {
        world.inFlight -= 1;
      }
    },
  };
}

export function throttlingError(): Error {
  const error = new Error('Rate exceeded');
  error.name = 'Throttling';
  return error;
}

/** What EC2 answers while something still uses the resource (the SDK does not retry it; the task does). */
export function dependencyViolation(): Error {
  const error = new Error('resource sg-1 has a dependent object');
  error.name = 'DependencyViolation';
  return error;
}

/** A fixed sequence of "random" numbers, repeated, for deterministic jitter. */
export function sequenceRandom(values: number[]): () => number {
  let i = 0;
  return () => values[i++ % values.length];
}
