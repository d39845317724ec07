#!/usr/bin/env node
// kopsdeck's entry point: argv -> a full-screen console session or a one-shot
// subcommand (src/commands). Exit codes: 0 success, 1 error, 2 validation failed.
import { runCli } from './commands/program.js';

// The AWS SDK warns on Node 20 that future releases will need Node 22; kopsdeck
// pins an SDK that supports Node 20, and a warning on stderr would tear the console.
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
// React's development build (what an unset NODE_ENV selects) records a diff of
// every render's props for its profiler, kept without bound, and is several
// times slower; set before the console (and React) is first imported.
process.env.NODE_ENV ??= 'production';

const io = { stdout: process.stdout, stderr: process.stderr, env: process.env };

const code = await runCli(process.argv.slice(2), io, {
  openConsole: async (ctx, initialRoute) => {
    // Loaded only when the console opens, so one-shot commands start fast.
    const { openConsole } = await import('./startup/open-console.js');
    await openConsole(ctx, initialRoute);
  },
});

// Exit once stdout is flushed (a large `-o json` into a pipe must not be cut),
// without waiting for idle keep-alive sockets.
process.stdout.write('', () => process.exit(code));
