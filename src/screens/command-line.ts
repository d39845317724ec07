// The `:` command line: commands are data (name, aliases, what it does), parsed
// and completed here; the screen registry contributes the commands that open screens.
import type { Router } from '../hooks/useRouter.js';
import type { Shell, Completion } from '../hooks/useShell.js';
import type { Services } from '../hooks/services.js';
import type { ScreenContext } from '../hooks/useKeymap.js';

export interface CommandContext {
  router: Router;
  shell: Shell;
  services: Services;
  /** What the current screen points at (e.g. the selected cluster). */
  screen: ScreenContext;
  /** The cluster the console is on: the current route's, else the last one visited. */
  currentCluster?: string;
}

export interface Command {
  name: string;
  aliases?: string[];
  /** e.g. "[CLUSTER]" */
  usage?: string;
  description: string;
  /** Returns a message to show when the command cannot run. */
  run(args: string[], ctx: CommandContext): string | void;
  /** Candidates for the first argument (Tab). */
  completeArgument?(ctx: CommandContext): string[] | Promise<string[]>;
}

export function parseCommandLine(text: string): { name: string; args: string[] } {
  const [name = '', ...args] = text.trim().split(/\s+/);
  return { name: name.toLowerCase(), args };
}

export function findCommand(commands: readonly Command[], name: string): Command | undefined {
  return commands.find((c) => c.name === name || c.aliases?.includes(name));
}

/** Runs a command line; returns the message to show, if any. */
export function runCommandLine(text: string, commands: readonly Command[], ctx: CommandContext): string | void {
  const { name, args } = parseCommandLine(text);
  if (name === '') return;
  const command = findCommand(commands, name);
  if (!command) {
    const known = commands.map((c) => ':' + c.name).join(' ');
    return `Unknown command ":${name}". Known commands: ${known} (Tab completes).`;
  }
  return command.run(args, ctx);
}

export function commandNamesMatching(commands: readonly Command[], prefix: string): string[] {
  const names = commands.flatMap((c) => [c.name, ...(c.aliases ?? [])]);
  return [...new Set(names.filter((n) => n.startsWith(prefix.toLowerCase())))].sort();
}

export function commonPrefix(words: readonly string[]): string {
  if (words.length === 0) return '';
  let prefix = words[0];
  for (const word of words) while (!word.startsWith(prefix)) prefix = prefix.slice(0, -1);
  return prefix;
}

/** Tab completion: the command name first, then its first argument. */
export async function completeCommandLine(text: string, commands: readonly Command[], ctx: CommandContext): Promise<Completion> {
  const spaceAt = text.indexOf(' ');
  if (spaceAt < 0) {
    const candidates = commandNamesMatching(commands, text);
    if (candidates.length === 1) return { text: candidates[0] + ' ', candidates: [] };
    return { text: commonPrefix(candidates) || text, candidates };
  }
  const command = findCommand(commands, text.slice(0, spaceAt).toLowerCase());
  if (!command?.completeArgument) return { text, candidates: [] };
  const head = text.slice(0, spaceAt + 1);
  const partial = text.slice(spaceAt + 1).trimStart();
  const candidates = (await command.completeArgument(ctx)).filter((c) => c.startsWith(partial)).sort();
  if (candidates.length === 1) return { text: head + candidates[0], candidates: [] };
  return { text: head + (commonPrefix(candidates) || partial), candidates };
}
