// What every subcommand receives: where to write, the environment, the global
// options and lazily opened services (the state store, the cloud session).
// Tests build one with in-memory streams.
// The AWS SDK, the simulator connection and the S3 store are loaded on first
// use: `--help` and commands on a local store never pay for them.
import type { ClusterStore } from '../engine/store/cluster-store.js';
import { openFileStateStore, resolveStateStoreUrl, stateStoreIsNamed } from '../engine/store/state-store-url.js';
import type { CloudSession, CloudChoice } from '../startup/cloud-session.js';
import type { AwsClients } from '../engine/cloud/aws/clients.js';
import { terminalSafe } from '../engine/output/terminal-safe.js';

export interface OutputStream {
  write(text: string): unknown;
}

export interface CliIO {
  stdout: OutputStream;
  stderr: OutputStream;
  env: NodeJS.ProcessEnv;
}

export interface GlobalOptions {
  state?: string;
  cloud?: CloudChoice;
  debug?: boolean;
}

export class CommandContext {
  /** By how a missing file:// directory reads ('error' or 'empty'); an s3:// store under 's3'. */
  private readonly stores = new Map<string, ClusterStore>();
  private session?: Promise<CloudSession>;
  private storeClients?: AwsClients;

  constructor(
    readonly io: CliIO,
    private readonly readGlobals: () => GlobalOptions,
  ) {}

  get globals(): GlobalOptions {
    return this.readGlobals();
  }

  get stateStoreUrl(): string {
    return resolveStateStoreUrl(this.globals.state, this.io.env);
  }

  /**
   * The state store. Opening it creates nothing. A file:// store the user named
   * (--state, KOPS_STATE_STORE) whose directory does not exist fails every read
   * with "no state store at URL (the directory does not exist)": a mistyped path
   * is not an empty store. `creating`: the command creates a cluster there, so a
   * missing directory reads as empty; its first write creates the directory (any
   * first write does). kopsdeck's own default store always reads as empty until then.
   */
  store(options: { creating?: boolean } = {}): ClusterStore {
    const url = this.stateStoreUrl;
    const named = stateStoreIsNamed(this.globals.state, this.io.env);
    const mode = url.startsWith('s3://') ? 's3' : named && !options.creating ? 'error' : 'empty';
    let store = this.stores.get(mode);
    if (!store) {
      // An s3:// store is opened by prepareStore, before any command runs.
      if (mode === 's3') throw new Error(`the state store ${url} was used before it was opened`);
      store = openFileStateStore(url, { missingDirectory: mode === 'error' ? 'error' : 'empty' });
      this.stores.set(mode, store);
    }
    return store;
  }

  /**
   * Runs before every command. An s3:// state store lives in the cloud the
   * session chose (the simulator's S3, or AWS), so it needs the session first.
   */
  async prepareStore(): Promise<void> {
    if (this.stores.has('s3') || !this.stateStoreUrl.startsWith('s3://')) return;
    const session = await this.cloud();
    const [{ awsClientsFor }, { openStateStore }] = await Promise.all([import('../engine/cloud/aws/clients.js'), import('../engine/store/open-store.js')]);
    this.storeClients = awsClientsFor(session, session.defaultRegion);
    this.stores.set('s3', openStateStore(this.stateStoreUrl, { s3Client: this.storeClients.s3, env: this.io.env }));
  }

  /** The cloud (real AWS or the simulator), opened on first use and closed by close(). */
  cloud(): Promise<CloudSession> {
    this.session ??= import('../startup/cloud-session.js').then(async ({ openCloudSession }) => {
      const session = await openCloudSession({ choice: this.globals.cloud, env: this.io.env });
      for (const notice of session.notices) this.warn(notice);
      return session;
    });
    return this.session;
  }

  async close(): Promise<void> {
    this.storeClients?.destroy();
    if (this.session) await (await this.session).close();
  }

  /** A line (or lines) for stdout; anything from outside in it is made terminal-safe. */
  print(text: string): void {
    const safe = terminalSafe(text);
    this.io.stdout.write(safe.endsWith('\n') ? safe : safe + '\n');
  }

  warn(text: string): void {
    const safe = terminalSafe(text);
    this.io.stderr.write(safe.endsWith('\n') ? safe : safe + '\n');
  }
}
