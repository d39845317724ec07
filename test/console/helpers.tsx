// Test helpers for the console: an in-memory ObjectStore, services around a
// real ClusterStore, seeded clusters, keys as terminals send them, and a
// bounded wait for frames.
import { EventEmitter } from 'node:events';
import { render as inkRender, type Instance } from 'ink';
import { render } from 'ink-testing-library';
import type { ReactElement } from 'react';
import { App, type AppProps } from '../../src/app.js';
import { buildClusterSpec } from '../../src/engine/spec/index.js';
import { ClusterStore } from '../../src/engine/store/cluster-store.js';
import { ConflictError, type ObjectStore, type ObjectVersion, type PutCondition, type StoredObject } from '../../src/engine/store/object-store.js';
import type { Services } from '../../src/hooks/services.js';
import { enableInkRowCache } from '../../src/terminal/ink-row-cache.js';
import { waitForFrame } from '../helpers/frames.js';
import { consoleServices } from '../helpers/console-services.js';

// The console's start-up (commands/open-console.ts) patches Ink before the
// first frame; tests that render <App> directly do the same, so they draw
// frames as the console does.
await enableInkRowCache();

export const keys = {
  enter: '\r',
  escape: '\x1b',
  up: '\x1b[A',
  down: '\x1b[B',
  pageUp: '\x1b[5~',
  pageDown: '\x1b[6~',
  tab: '\t',
  backspace: '\x7f',
  ctrlC: '\x03',
} as const;

export class MemoryObjectStore implements ObjectStore {
  readonly url = 'memory://test-state';
  private readonly objects = new Map<string, StoredObject>();
  private counter = 0;
  /** When set, every call fails with this error (to show error states). */
  failWith: Error | undefined;

  async get(key: string): Promise<StoredObject | null> {
    this.check();
    return this.objects.get(key) ?? null;
  }

  async put(key: string, body: string, condition: PutCondition = {}): Promise<ObjectVersion> {
    this.check();
    const existing = this.objects.get(key);
    if (condition.ifVersion === null && existing) throw new ConflictError(key, `${key} already exists`);
    if (typeof condition.ifVersion === 'string' && existing?.version !== condition.ifVersion) {
      throw new ConflictError(key, `${key} changed since it was read`);
    }
    const version = `v${++this.counter}`;
    this.objects.set(key, { body, version });
    return version;
  }

  async delete(key: string): Promise<void> {
    this.check();
    this.objects.delete(key);
  }

  async list(prefix: string): Promise<string[]> {
    this.check();
    return [...this.objects.keys()].filter((k) => k.startsWith(prefix)).sort();
  }

  private check() {
    if (this.failWith) throw this.failWith;
  }
}

/** The console's services (test/helpers/console-services.ts) over `store`, by default an empty store in memory. */
export function makeServices(store: ClusterStore = new ClusterStore(new MemoryObjectStore()), overrides: Partial<Services> = {}): Services {
  return consoleServices(store, overrides);
}

export async function seedCluster(store: ClusterStore, name: string, zones: string[], kubernetesVersion = '1.31.4'): Promise<void> {
  const bundle = buildClusterSpec({ name, zones, topology: 'public', kubernetesVersion });
  await store.createCluster(bundle.cluster, bundle.instanceGroups);
}

export { waitForFrame, waitUntil, type Frames } from '../helpers/frames.js';

export function renderApp(props: AppProps) {
  const view = render(<App {...props} />);
  return {
    ...view,
    /** Types one key (or a string of text) and lets Ink's input parser run. */
    press: (data: string) => view.stdin.write(data),
    waitFor: (check: string | ((frame: string) => boolean), timeoutMs?: number) => waitForFrame(view, check, timeoutMs),
  };
}

/** A stdout whose size can change, like a terminal window being resized. */
export class FakeTerminalOut extends EventEmitter {
  columns: number;
  rows: number;
  isTTY = true;
  readonly writes: string[] = [];
  private last = '';
  constructor(columns: number, rows: number) {
    super();
    this.columns = columns;
    this.rows = rows;
  }
  write = (data: string) => {
    this.writes.push(data);
    this.last = data;
    return true;
  };
  lastFrame = () => this.last;
  resize(columns: number, rows: number) {
    this.columns = columns;
    this.rows = rows;
    this.emit('resize');
  }
}

/** A stdin that claims to be a terminal, so Ink enables raw-mode input. */
export class FakeTerminalIn extends EventEmitter {
  isTTY = true;
  private data: string | null = null;
  write = (data: string) => {
    this.data = data;
    this.emit('readable');
    this.emit('data', data);
  };
  read = () => {
    const { data } = this;
    this.data = null;
    return data;
  };
  setEncoding() {}
  setRawMode() {}
  resume() {}
  pause() {}
  ref() {}
  unref() {}
}

export function renderOnTerminal(tree: ReactElement, columns: number, rows: number): { out: FakeTerminalOut; input: FakeTerminalIn; instance: Instance } {
  const out = new FakeTerminalOut(columns, rows);
  const input = new FakeTerminalIn();
  const instance = inkRender(tree, {
    stdout: out as unknown as NodeJS.WriteStream,
    stdin: input as unknown as NodeJS.ReadStream,
    stderr: new FakeTerminalOut(columns, rows) as unknown as NodeJS.WriteStream,
    debug: true,
    exitOnCtrlC: false,
    patchConsole: false,
  });
  return { out, input, instance };
}
