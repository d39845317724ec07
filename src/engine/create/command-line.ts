// The `kopsdeck create cluster ...` command line that makes the same cluster
// as the wizard's answers, so what was done interactively can be repeated in a
// script. --yes also applies it in the cloud, as confirming the wizard does.
import type { WizardAnswers } from './answers.js';
import { answersToBuild } from './to-options.js';

export interface CommandLineOptions {
  /** Add --yes (create in the cloud too). Default true. */
  apply?: boolean;
}

/** The arguments after `kopsdeck`. */
export function createClusterArgs(answers: WizardAnswers, opts: CommandLineOptions = {}): string[] {
  const { options, nodeMaxSize } = answersToBuild(answers);
  const args = ['create', 'cluster', options.name, '--zones', options.zones.join(',')];
  args.push('--control-plane-count', String(options.controlPlaneCount));
  args.push('--control-plane-size', options.controlPlaneSize!);
  args.push('--node-count', String(options.nodeCount));
  args.push('--node-size', options.nodeSize!);
  if (nodeMaxSize !== undefined) args.push('--node-max-size', String(nodeMaxSize));
  args.push('--topology', options.topology);
  if (options.bastion) args.push('--bastion');
  args.push('--networking', options.networking!);
  if (options.dnsZone) args.push('--dns-zone', options.dnsZone);
  args.push('--kubernetes-version', options.kubernetesVersion!);
  if (options.sshPublicKey) args.push('--ssh-public-key', options.sshPublicKey);
  if (options.adminAccess) args.push('--admin-access', options.adminAccess.join(','));
  if (opts.apply ?? true) args.push('--yes');
  return args;
}

const SAFE = /^[A-Za-z0-9._/:=,@+%-]+$/;

/** Quotes an argument for a POSIX shell when it needs it. */
export function shellQuote(arg: string): string {
  if (arg !== '' && SAFE.test(arg)) return arg;
  return `'${arg.replace(/'/g, `'\\''`)}'`;
}

/** The whole command, e.g. "kopsdeck create cluster demo.k8s.local --zones ...". */
export function formatCommandLine(args: readonly string[], program = 'kopsdeck'): string {
  return [program, ...args].map(shellQuote).join(' ');
}

/** The command broken into lines of at most `width` characters, continued with a backslash. */
export function wrapCommandLine(args: readonly string[], width: number, program = 'kopsdeck'): string[] {
  const words = [program, ...args].map(shellQuote);
  // Keep each flag with its value.
  const pieces: string[] = [];
  for (let i = 0; i < words.length; i++) {
    const next = words[i + 1];
    if (words[i].startsWith('--') && next !== undefined && !next.startsWith('--')) {
      pieces.push(`${words[i]} ${next}`);
      i++;
    } else {
      pieces.push(words[i]);
    }
  }
  const lines: string[] = [];
  let line = '';
  for (const piece of pieces) {
    const candidate = line === '' ? piece : `${line} ${piece}`;
    if (candidate.length + 2 > width && line !== '') {
      lines.push(`${line} \\`);
      line = `  ${piece}`;
    } else {
      line = candidate;
    }
  }
  if (line) lines.push(line);
  return lines;
}
