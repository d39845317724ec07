// The command line: argv -> one subcommand, run with a CommandContext, turned
// into an exit code. `kopsdeck` with no subcommand opens the console.
import { Command, CommanderError, Option } from 'commander';
import { CliError, EXIT_ERROR, EXIT_OK } from './cli-error.js';
import { CommandContext, type CliIO, type GlobalOptions } from './command-context.js';
import { isOutputFormat, OUTPUT_FORMATS, type OutputFormat } from '../engine/output/output-format.js';
import { registerSpecCommands } from './register-spec-commands.js';
import { registerCloudCommands } from './register-cloud-commands.js';
import { clustersForCompletion, COMPLETE_COMMAND, COMPLETION_SHELLS, completeWords, completionScript } from './completion.js';
import type { Route } from '../navigation/routes.js';
import { terminalSafe } from '../engine/output/terminal-safe.js';
import { MissingStateStoreError } from '../engine/store/file-store.js';
import { errorMessage } from '../engine/error-message.js';

/** What only the real process provides (the console, the simulator); tests may replace it. */
export interface ProcessHooks {
  /** Opens the console, on `initialRoute` when given (e.g. the create-cluster wizard). */
  openConsole(ctx: CommandContext, initialRoute?: Route): Promise<void>;
}

export async function runCli(argv: string[], io: CliIO, hooks: ProcessHooks): Promise<number> {
  const { program, context } = buildProgram(io, hooks);
  try {
    await program.parseAsync(argv, { from: 'user' });
    return EXIT_OK;
  } catch (error) {
    return reportError(error, io, argv.includes('--debug'));
  } finally {
    await context.close();
  }
}

function buildProgram(io: CliIO, hooks: ProcessHooks): { program: Command; context: CommandContext } {
  const program = new Command('kopsdeck')
    .description('A terminal console for Kubernetes clusters on AWS, in the spirit of kops.\nWith no command it opens the full-screen console.')
    .option('--state <url>', 'state store: file:///path or s3://bucket/prefix (default: $KOPS_STATE_STORE, else a local store)')
    .addOption(
      new Option('--cloud <cloud>', 'sim: the embedded simulator (default); aws: real AWS through your AWS profile (or KOPSDECK_CLOUD)')
        .choices(['sim', 'aws']),
    )
    .option('--debug', 'print stack traces on errors')
    .exitOverride()
    .configureOutput({
      writeOut: (text) => io.stdout.write(text),
      writeErr: (text) => io.stderr.write(text),
    })
    .showHelpAfterError('(add --help for usage)')
    .action(async () => hooks.openConsole(context));

  const context = new CommandContext(io, () => program.opts<GlobalOptions>());
  // Completion never opens an s3:// store: a Tab must not reach for the cloud.
  program.hook('preAction', (_program, action) => (isCompletion(action) ? undefined : context.prepareStore()));
  registerSpecCommands(program, () => context, hooks);
  registerCloudCommands(program, () => context);
  registerCompletion(program, () => context);
  return { program, context };
}

const isCompletion = (command: Command) => command.name() === 'completion' || command.name() === COMPLETE_COMMAND;

function registerCompletion(program: Command, context: () => CommandContext): void {
  program
    .command('completion')
    .description('print a shell completion script: source <(kopsdeck completion bash), or zsh, or fish')
    .argument('<shell>', COMPLETION_SHELLS.join(', '))
    .action((shell: string) => context().print(completionScript(shell).trimEnd()));
  program
    .command(COMPLETE_COMMAND, { hidden: true })
    .description('the candidates for the last of WORDS (used by the completion scripts)')
    .argument('[words...]')
    .allowUnknownOption()
    .helpOption(false)
    .action(async (words: string[] = []) => {
      const candidates = await completeWords(program, words, () => clustersForCompletion(context()));
      if (candidates.length) context().io.stdout.write(candidates.join('\n') + '\n');
    });
}

/** `-o table|json|yaml`, shared by every command that prints resources. */
export function outputOption(formats: readonly OutputFormat[] = OUTPUT_FORMATS): Option {
  return new Option('-o, --output <format>', 'output format').choices([...formats]).default('table');
}

export function parseOutput(value: string): OutputFormat {
  if (!isOutputFormat(value)) throw new CliError(`Unknown output format "${value}"; use table, json or yaml.`);
  return value;
}

function reportError(error: unknown, io: CliIO, debug: boolean): number {
  if (error instanceof CommanderError) {
    // Commander already printed its message (or the help / version text).
    const quiet = ['commander.helpDisplayed', 'commander.help', 'commander.version', 'commander.executeSubCommandAsync'];
    return quiet.includes(error.code) ? EXIT_OK : error.exitCode || EXIT_ERROR;
  }
  if (error instanceof MissingStateStoreError) {
    io.stderr.write(`Error: ${terminalSafe(error.message)}\n`);
    io.stderr.write('Check --state and KOPS_STATE_STORE for a typo; `kopsdeck create cluster` creates the directory when it writes the first cluster there.\n');
    return EXIT_ERROR;
  }
  if (error instanceof CliError) {
    if (error.message === '') return error.exitCode;
    io.stderr.write(`Error: ${terminalSafe(error.message)}\n`);
    for (const line of error.details) io.stderr.write(terminalSafe(line) + '\n');
    if (debug && error.stack) io.stderr.write(error.stack + '\n');
    return error.exitCode;
  }
  const message = errorMessage(error);
  io.stderr.write(`Error: ${terminalSafe(firstSentence(message))}\n`);
  if (debug && error instanceof Error && error.stack) io.stderr.write(error.stack + '\n');
  else io.stderr.write('(run again with --debug for details)\n');
  return EXIT_ERROR;
}

function firstSentence(message: string): string {
  const line = message.split('\n')[0]?.trim() ?? '';
  return line || 'an unexpected error occurred.';
}
