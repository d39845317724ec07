// Spec warnings on the command line: `Warning: path: message` lines on
// stderr, so they never mix with what a script reads from stdout. A channel
// that cannot be read is itself a warning where only recommendations depend
// on it (reading, editing, validating, rolling), as in kops.
import type { Channel } from '../engine/channel/channel.js';
import { ChannelError } from '../engine/channel/channel.js';
import { loadChannel } from '../engine/channel/load-channel.js';
import type { SpecError } from '../engine/spec/spec-error.js';
import type { CommandContext } from './command-context.js';

export function printSpecWarnings(ctx: CommandContext, warnings: SpecError[]): void {
  for (const w of warnings) ctx.warn(`Warning: ${w.path ? `${w.path}: ` : ''}${w.message}`);
}

/** The cluster's channel, or undefined (after a warning) when it cannot be read. */
export async function channelForWarnings(ctx: CommandContext, channelLocation: unknown): Promise<Channel | undefined> {
  try {
    return await loadChannel(typeof channelLocation === 'string' ? channelLocation : undefined);
  } catch (error) {
    if (!(error instanceof ChannelError)) throw error;
    printSpecWarnings(ctx, [{ path: 'spec.channel', message: `${error.message}; Kubernetes version recommendations are skipped` }]);
    return undefined;
  }
}
