// `rolling-update cluster --interactive` in a plain terminal: before each
// drain, show what it will disrupt and ask yes / skip / abort on stdin.
import { createInterface } from 'node:readline/promises';
import type { ConfirmAnswer, ConfirmFn, ConfirmRequest } from '../engine/rollout/types.js';
import type { CommandContext } from './command-context.js';

export function terminalConfirm(ctx: CommandContext, input: NodeJS.ReadableStream = process.stdin): ConfirmFn {
  return async (request) => {
    ctx.print(describeRequest(request));
    const prompt = createInterface({ input, output: process.stderr, terminal: false });
    try {
      for (;;) {
        const answer = (await prompt.question('Drain and replace it? [y]es / [s]kip / [a]bort: ')).trim().toLowerCase();
        const chosen = parseAnswer(answer);
        if (chosen) return chosen;
        ctx.warn('Please answer y, s or a.');
      }
    } finally {
      prompt.close();
    }
  };
}

function parseAnswer(answer: string): ConfirmAnswer | null {
  if (answer === 'y' || answer === 'yes') return 'yes';
  if (answer === 's' || answer === 'skip') return 'skip';
  if (answer === 'a' || answer === 'abort') return 'abort';
  return null;
}

export function describeRequest(request: ConfirmRequest): string {
  const lines = [
    '',
    `[${request.position}/${request.total}] ${request.instanceId}${request.nodeName ? ` (node ${request.nodeName})` : ''} in ${request.group}: ${request.reason}`,
    `  The drain will evict ${request.evict.length} pods:`,
    ...request.evict.map((pod) => `    ${pod.namespace}/${pod.name}${pod.pdb ? `  budget ${pod.pdb.name}: ${pod.pdb.disruptionsAllowed} disruptions allowed now` : ''}`),
    `  Left alone (DaemonSet and mirror pods): ${request.leftAlone.length}`,
  ];
  return lines.join('\n');
}
