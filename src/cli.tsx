#!/usr/bin/env node
// kopsdeck's entry point: argv -> a full-screen console session or a one-shot
// subcommand (src/commands). Exit codes: 0 success, 1 error, 2 validation failed.
import { runCli } from './commands/program.js';

// The AWS SDK warns on Node 20 that future releases will need Node 22; kopsdeck
// pins an SDK that supports Node 20, and a warning on stderr would tear the console.
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
// React's development build (what an unset NODE_ENV selects) records a diff of
// every render's props for its profiler, kept without bound, and is several
// times slower; set before the console (and React) is first imported. The
// bundle users run has it fixed at build time (scripts/bundle.mjs), where
// `process.env.NODE_ENV` is a constant: hence the indirection, which also keeps
// the variable for the processes kopsdeck starts.
const environment = process.env;
environment.NODE_ENV ??= 'production';

const io = { stdout: process.stdout, stderr: process.stderr, env: process.env };

const code = await runCli(process.argv.slice(2), io, {
  openConsole: async (ctx, initialRoute) => {
    // Loaded only when the console opens, so one-shot commands start fast.
    const { openConsole } = await loadInteractively(() => import('./commands/open-console.js'));
    await openConsole(ctx, initialRoute);
  },
});

/**
 * Ink decides once, when first loaded, to draw only a final frame if CI is
 * set. A terminal a person types into is interactive whatever CI says (a CI
 * runner's debug shell, a tmux session started from a job), so hide CI while
 * the console's modules load, then put it back for everything else.
 */
async function loadInteractively<T>(load: () => Promise<T>): Promise<T> {
  if (!process.stdin.isTTY || !process.stdout.isTTY) return load();
  const saved = { CI: process.env.CI, CONTINUOUS_INTEGRATION: process.env.CONTINUOUS_INTEGRATION };
  delete process.env.CI;
  delete process.env.CONTINUOUS_INTEGRATION;
  try {
    return await load();
  } finally {
    for (const [key, value] of Object.entries(saved)) if (value !== undefined) process.env[key] = value;
  }
}

// Exit once stdout is flushed (a large `-o json` into a pipe must not be cut),
// without waiting for idle keep-alive sockets.
process.stdout.write('', () => process.exit(code));
