// Shell completion, as kops and kubectl offer it: `kopsdeck completion
// bash|zsh|fish` prints a script that asks kopsdeck itself for candidates
// (`kopsdeck __complete -- WORDS...`), so completion always matches the
// commands, options and clusters of the installed version. Candidates come
// from the command tree; cluster names from a local state store only (an
// s3:// store would need the cloud at every Tab).
import type { Command, Option } from 'commander';
import { CliError } from './cli-error.js';
import type { CommandContext } from './command-context.js';

export const COMPLETION_SHELLS = ['bash', 'zsh', 'fish'] as const;
export type CompletionShell = (typeof COMPLETION_SHELLS)[number];

/** The hidden command the scripts call. */
export const COMPLETE_COMMAND = '__complete';

/** Where the words typed so far stand: the command they reach, and what the last (partial) word is. */
interface Position {
  command: Command;
  /** Positional arguments already typed for that command. */
  argumentsTyped: number;
  /** The option whose value is being typed, if any. */
  valueFor?: Option;
}

function findSubcommand(command: Command, word: string): Command | undefined {
  return command.commands.find((c) => c.name() === word || c.aliases().includes(word));
}

function findOption(command: Command, word: string): Option | undefined {
  const flag = word.split('=')[0];
  for (let c: Command | null = command; c; c = c.parent) {
    const option = c.options.find((o) => o.long === flag || o.short === flag);
    if (option) return option;
  }
  return undefined;
}

function positionOf(root: Command, typed: readonly string[]): Position {
  let command = root;
  let argumentsTyped = 0;
  for (let i = 0; i < typed.length; i++) {
    const word = typed[i];
    if (word.startsWith('-')) {
      const option = findOption(command, word);
      // A value in the next word: skip it (or complete it, when it is the last word).
      if (option?.required && !word.includes('=')) {
        if (i === typed.length - 1) return { command, argumentsTyped, valueFor: option };
        i++;
      }
      continue;
    }
    const sub = argumentsTyped === 0 ? findSubcommand(command, word) : undefined;
    if (sub) command = sub;
    else argumentsTyped++;
  }
  return { command, argumentsTyped };
}

function optionNames(command: Command): string[] {
  const names: string[] = [];
  for (let c: Command | null = command; c; c = c.parent) for (const o of c.options) if (o.long && !o.hidden) names.push(o.long);
  return names;
}

/** A positional argument that names a cluster (its name is `name` or `cluster`). */
function argumentIsCluster(command: Command, index: number): boolean {
  const argument = command.registeredArguments[index];
  return argument !== undefined && ['name', 'cluster'].includes(argument.name());
}

/**
 * The candidates for the last word of `words` (the words after `kopsdeck`,
 * the last one being typed), filtered by what it starts with.
 */
export async function completeWords(root: Command, words: readonly string[], clusters: () => Promise<string[]>): Promise<string[]> {
  const partial = words.at(-1) ?? '';
  const position = positionOf(root, words.slice(0, -1));
  const { command } = position;
  let candidates: string[] = [];
  if (position.valueFor) {
    const option = position.valueFor;
    if (option.argChoices) candidates = option.argChoices;
    else if (option.long === '--name') candidates = await clusters();
  } else if (partial.startsWith('-')) {
    candidates = optionNames(command);
  } else {
    const subcommands = command.commands.filter((c) => c.name() !== COMPLETE_COMMAND).map((c) => c.name());
    if (position.argumentsTyped === 0 && subcommands.length > 0) candidates = subcommands;
    else if (command.name() === 'get' && position.argumentsTyped === 0) candidates = resourceNames(command);
    else if (argumentIsCluster(command, position.argumentsTyped)) candidates = await clusters();
    else if (command.name() === 'completion') candidates = [...COMPLETION_SHELLS];
  }
  return [...new Set(candidates.filter((c) => c.startsWith(partial)))].sort();
}

/** `get`'s resource kinds, from its argument's help ("list resources: clusters|cluster, ..."). */
function resourceNames(get: Command): string[] {
  const listed = /list resources: (.*)$/.exec(get.description())?.[1] ?? '';
  return listed.split(/[,|]\s*/).map((s) => s.trim()).filter(Boolean);
}

/** Cluster names for completion: from a local (file://) state store only; none when it cannot be read. */
export async function clustersForCompletion(ctx: CommandContext): Promise<string[]> {
  if (!ctx.stateStoreUrl.startsWith('file://')) return [];
  try {
    return await ctx.store().listClusters();
  } catch {
    return [];
  }
}

export function completionScript(shell: string): string {
  switch (shell) {
    case 'bash':
      return BASH;
    case 'zsh':
      return ZSH;
    case 'fish':
      return FISH;
    default:
      throw new CliError(`Unknown shell "${shell}"; use one of ${COMPLETION_SHELLS.join(', ')}.`);
  }
}

const BASH = `# kopsdeck completion for bash. Load it with: source <(kopsdeck completion bash)
_kopsdeck() {
  local IFS=$'\\n'
  COMPREPLY=($(kopsdeck ${COMPLETE_COMMAND} -- "\${COMP_WORDS[@]:1:COMP_CWORD}" 2>/dev/null))
}
complete -o default -F _kopsdeck kopsdeck
`;

const ZSH = `#compdef kopsdeck
# kopsdeck completion for zsh. Load it with: source <(kopsdeck completion zsh)
_kopsdeck() {
  local -a candidates
  candidates=("\${(@f)$(kopsdeck ${COMPLETE_COMMAND} -- "\${(@)words[2,CURRENT]}" 2>/dev/null)}")
  compadd -a candidates
}
if [ "$funcstack[1]" = "_kopsdeck" ]; then _kopsdeck "$@"; else compdef _kopsdeck kopsdeck; fi
`;

const FISH = `# kopsdeck completion for fish. Load it with: kopsdeck completion fish | source
function __kopsdeck_complete
  set -l words (commandline -opc) (commandline -ct)
  kopsdeck ${COMPLETE_COMMAND} -- $words[2..-1] 2>/dev/null
end
complete -c kopsdeck -f -a '(__kopsdeck_complete)'
`;
