// Runs the console full-screen: enters the terminal's alternate screen, renders
// <App/> with Ink, and always restores the terminal (main screen, visible
// cursor) however the session ends: q, Ctrl-C, a crash, SIGTERM or SIGHUP.
import { render, type RenderOptions } from 'ink';
import { App } from './app.js';
import type { Route } from './navigation/routes.js';
import type { Services } from './hooks/services.js';
import type { ScreenTable } from './screens/registry.js';

export interface ConsoleOptions {
  stdout?: NodeJS.WriteStream;
  stdin?: NodeJS.ReadStream;
  stderr?: NodeJS.WriteStream;
  initialRoute?: Route;
  /** Print the stack trace of a crash, not only its message. */
  debug?: boolean;
  /** Replaces screens by route name (tests, embedding). */
  screens?: Partial<ScreenTable>;
  /** Passed to Ink (frame timing for benchmarks). */
  onRender?: RenderOptions['onRender'];
}

export type ConsoleExit =
  | { reason: 'quit'; exitCode: 0 }
  | { reason: 'signal'; signal: NodeJS.Signals; exitCode: number }
  | { reason: 'error'; error: Error; exitCode: 1 };

const ENTER_ALTERNATE_SCREEN = '\x1b[?1049h\x1b[H\x1b[2J\x1b[?25l';
const LEAVE_ALTERNATE_SCREEN = '\x1b[?25h\x1b[?1049l';
const SIGNAL_EXIT_CODES: Partial<Record<NodeJS.Signals, number>> = { SIGHUP: 129, SIGINT: 130, SIGTERM: 143 };

export class NotInteractiveError extends Error {
  constructor() {
    super('The kopsdeck console needs an interactive terminal; in scripts use a subcommand such as `kopsdeck get clusters`.');
    this.name = 'NotInteractiveError';
  }
}

function asError(value: unknown): Error {
  return value instanceof Error ? value : new Error(String(value));
}

/**
 * Opens the console and resolves when it ends, after the terminal is restored.
 * It does not exit the process: after a signal or a crash the caller should
 * `process.exit(result.exitCode)`, since other handles may keep Node alive.
 */
export function runConsole(services: Services, options: ConsoleOptions = {}): Promise<ConsoleExit> {
  const stdout = options.stdout ?? process.stdout;
  const stdin = options.stdin ?? process.stdin;
  const stderr = options.stderr ?? process.stderr;
  if (!stdin.isTTY) return Promise.reject(new NotInteractiveError());

  let restored = false;
  const restoreTerminal = () => {
    if (restored) return;
    restored = true;
    stdout.write(LEAVE_ALTERNATE_SCREEN);
  };
  // Last resort: even a process.exit() elsewhere leaves the terminal usable.
  process.once('exit', restoreTerminal);
  stdout.write(ENTER_ALTERNATE_SCREEN);

  return new Promise<ConsoleExit>((resolve) => {
    let finished = false;
    const app = <App services={services} initialRoute={options.initialRoute} screens={options.screens} />;
    const instance = render(app, {
      stdout,
      stdin,
      stderr,
      exitOnCtrlC: false, // the app handles Ctrl-C as quit, through the same path as q
      // The frame fills the screen, so Ink repaints it whole (clear + draw inside a
      // synchronized update) instead of diffing lines: the only way that stays
      // correct when the window is resized (measured in tmux; incremental
      // rendering left stale lines after growing the window).
      onRender: options.onRender,
    });

    const finish = (result: ConsoleExit) => {
      if (finished) return;
      finished = true;
      removeHandlers();
      try {
        instance.unmount();
      } catch {
        // Unmounting a crashed tree can throw; the terminal is restored regardless.
      }
      restoreTerminal();
      process.off('exit', restoreTerminal);
      if (result.reason === 'error') {
        const { error } = result;
        const detail = options.debug && error.stack ? error.stack : `${error.message} (run with --debug for the stack trace)`;
        stderr.write(`kopsdeck stopped because of an unexpected error: ${detail}\n`);
      }
      resolve(result);
    };

    const onCrash = (value: unknown) => finish({ reason: 'error', error: asError(value), exitCode: 1 });
    const onSignal = (signal: NodeJS.Signals) => finish({ reason: 'signal', signal, exitCode: SIGNAL_EXIT_CODES[signal] ?? 1 });
    const signals: NodeJS.Signals[] = ['SIGTERM', 'SIGHUP', 'SIGINT'];
    process.on('uncaughtException', onCrash);
    process.on('unhandledRejection', onCrash);
    for (const signal of signals) process.on(signal, onSignal);
    function removeHandlers() {
      process.off('uncaughtException', onCrash);
      process.off('unhandledRejection', onCrash);
      for (const signal of signals) process.off(signal, onSignal);
    }

    instance.waitUntilExit().then(
      () => finish({ reason: 'quit', exitCode: 0 }),
      (error: unknown) => finish({ reason: 'error', error: asError(error), exitCode: 1 }),
    );
  });
}
