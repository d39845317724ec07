// Why a machine has not joined, in its own words: the last line its bootstrap
// printed on the serial console (EC2 GetConsoleOutput), added to validation's
// "has not yet joined" failures. kopsdeck's bootstrap prefixes each of its
// lines with `kopsdeck-bootstrap:`; other consoles are not quoted.
import { GetConsoleOutputCommand, type EC2Client } from '@aws-sdk/client-ec2';
import type { ValidationResult } from './validate-cluster-health.js';

const PREFIX = 'kopsdeck-bootstrap:';
/** At most this many consoles are read per validation: a large failing group must not cost a call per machine. */
export const MAX_CONSOLES = 10;

/** The last `kopsdeck-bootstrap:` line of a console's text, if any. */
export function lastBootLine(consoleText: string): string | undefined {
  const lines = consoleText.split(/\r?\n/).filter((line) => line.includes(PREFIX));
  const last = lines.at(-1);
  return last === undefined ? undefined : last.slice(last.indexOf(PREFIX)).trim();
}

/** Adds each unjoined machine's last boot line to its failure; a console that cannot be read adds nothing. */
export async function explainUnjoinedMachines(ec2: Pick<EC2Client, 'send'>, result: ValidationResult, signal?: AbortSignal): Promise<void> {
  const unjoined = result.failures.filter((f) => f.kind === 'Machine').slice(0, MAX_CONSOLES);
  await Promise.all(
    unjoined.map(async (failure) => {
      const out = await ec2.send(new GetConsoleOutputCommand({ InstanceId: failure.name }), { abortSignal: signal }).catch(() => undefined);
      const line = out?.Output ? lastBootLine(Buffer.from(out.Output, 'base64').toString('utf8')) : undefined;
      if (line) failure.message = `${failure.message}; its console says: ${line}`;
    }),
  );
}
