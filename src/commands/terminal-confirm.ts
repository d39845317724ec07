// `rolling-update cluster --interactive` in a plain terminal: before each
// drain, show what it will disrupt and ask on stdin, with the console's keys:
// y drain, s skip this node, a yes to all remaining, x abort. An instance
// replaced without a drain (a bastion registers no node; --cloudonly) is asked
// about as a replacement.
import { createInterface } from 'node:readline';
import type { ConfirmAnswer, ConfirmFn, ConfirmRequest } from '../engine/rollout/types.js';
import type { CommandContext } from './command-context.js';
import { noDrainSentence } from '../engine/rollout/confirm-phase.js';

export function terminalConfirm(ctx: CommandContext, input: NodeJS.ReadableStream = process.stdin): ConfirmFn {
  let yesToAll = false;
  let lines: LineReader | undefined;
  return async (request) => {
    ctx.print(describeRequest(request));
    if (yesToAll) {
      ctx.print(request.noDrain ? '  (yes to all: replacing without asking)' : '  (yes to all: draining without asking)');
      return 'yes';
    }
    lines ??= new LineReader(input);
    for (;;) {
      ctx.warn(
        request.noDrain
          ? 'Replace it? [y]es / [s]kip this instance / yes to [a]ll remaining / [x] abort: '
          : 'Drain and replace it? [y]es / [s]kip this node / yes to [a]ll remaining / [x] abort: ',
      );
      const answer = await lines.next();
      if (answer === null) {
        ctx.warn('No answer (input closed): aborting the rolling update.');
        return 'abort';
      }
      const chosen = parseAnswer(answer.trim());
      if (chosen === 'all') {
        yesToAll = true;
        return 'yes';
      }
      if (chosen) return chosen;
      ctx.warn('Please answer y, s, a or x.');
    }
  };
}

/** Lines of the input, one at a time, none lost between questions (piped answers arrive all at once). */
class LineReader {
  private readonly queue: string[] = [];
  private readonly waiting: ((line: string | null) => void)[] = [];
  private closed = false;

  constructor(input: NodeJS.ReadableStream) {
    const reader = createInterface({ input, terminal: false });
    reader.on('line', (line) => {
      const waiter = this.waiting.shift();
      if (waiter) waiter(line);
      else this.queue.push(line);
    });
    reader.on('close', () => {
      this.closed = true;
      for (const waiter of this.waiting.splice(0)) waiter(null);
    });
  }

  next(): Promise<string | null> {
    const line = this.queue.shift();
    if (line !== undefined) return Promise.resolve(line);
    if (this.closed) return Promise.resolve(null);
    return new Promise((resolve) => this.waiting.push(resolve));
  }
}

function parseAnswer(answer: string): ConfirmAnswer | 'all' | null {
  switch (answer.toLowerCase()) {
    case 'y':
    case 'yes':
      return 'yes';
    case 's':
    case 'skip':
      return 'skip';
    case 'a':
    case 'all':
      return 'all';
    case 'x':
    case 'abort':
      return 'abort';
    default:
      return null;
  }
}

export function describeRequest(request: ConfirmRequest): string {
  const head = `[${request.position}/${request.total}] ${request.instanceId}${request.nodeName ? ` (node ${request.nodeName})` : ''} in ${request.group}: ${request.reason}`;
  const again = request.earlierRun ? [`  Asked again: ${request.earlierRun}`] : [];
  if (request.noDrain) return ['', head, ...again, `  ${noDrainSentence(request)}`].join('\n');
  const lines = [
    '',
    `[${request.position}/${request.total}] ${request.instanceId}${request.nodeName ? ` (node ${request.nodeName})` : ''} in ${request.group}: ${request.reason}`,
    ...(request.earlierRun ? [`  Asked again: ${request.earlierRun}`] : []),
    `  The drain will evict ${request.evict.length} pods:`,
    ...request.evict.map(
      (pod) =>
        `    ${pod.namespace}/${pod.name} (${pod.ownerKind} ${pod.ownerName})${pod.pdb ? `  PodDisruptionBudget ${pod.pdb.namespace}/${pod.pdb.name}: ${pod.pdb.disruptionsAllowed} ${pod.pdb.disruptionsAllowed === 1 ? 'disruption' : 'disruptions'} allowed now` : ''}`,
    ),
    `  Left alone (DaemonSet and mirror pods): ${request.leftAlone.length}`,
  ];
  return lines.join('\n');
}
