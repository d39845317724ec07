// Which process table a process id belongs to. A lock records its holder's pid
// so that a later process can see the holder is gone (killed, crashed) and
// take the lock over without asking; that is only sound when both processes
// see the same process table. The host name alone does not say so: containers
// often share one (or run on hosts that do), and each has its own PID
// namespace, where the holder's pid means another process or none.
//
// The identity is a hash of what tells process tables apart. On Linux: the
// kernel's boot id and the PID namespace (equal exactly when two processes
// share a process table; the host name is added for readability of the
// inputs only). Elsewhere, where there is no /proc and no PID namespaces: the
// host name and the hardware address of the first network interface, which
// tells apart two machines that share a host name. (Interfaces that come and
// go, such as a container's veth, are never used: the identity must not
// change between a crashed run and the next one on the same machine.)
import { createHash } from 'node:crypto';
import { readFileSync, readlinkSync } from 'node:fs';
import { hostname, networkInterfaces } from 'node:os';

let cached: string | undefined;

export function processSpaceId(): string {
  cached ??= computeProcessSpaceId();
  return cached;
}

/**
 * Whether a process recorded with its process table may still run: it is
 * known to be gone only when it was in this table and no process has its pid
 * now. One in another table (another machine, a container), or recorded
 * without a table, cannot be seen from here, so it may.
 */
export function mayStillRun(holder: { space?: string; pid: number }): boolean {
  if (holder.space === undefined || holder.space !== processSpaceId()) return true;
  try {
    process.kill(holder.pid, 0);
    return true;
  } catch (error) {
    // EPERM: it exists, run by another user.
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

function computeProcessSpaceId(): string {
  const boot = readOr(() => readFileSync('/proc/sys/kernel/random/boot_id', 'utf8').trim());
  const pidNamespace = readOr(() => readlinkSync('/proc/self/ns/pid'));
  const parts = boot && pidNamespace ? [`host=${hostname()}`, `boot=${boot}`, `pidns=${pidNamespace}`] : [`host=${hostname()}`, `mac=${firstHardwareAddress()}`];
  return createHash('sha256').update(parts.join('\n')).digest('hex').slice(0, 16);
}

function firstHardwareAddress(): string {
  const interfaces = networkInterfaces();
  for (const name of Object.keys(interfaces).sort()) {
    const address = interfaces[name]?.find((candidate) => !candidate.internal && candidate.mac !== '00:00:00:00:00:00');
    if (address) return address.mac;
  }
  return '';
}

function readOr(read: () => string): string {
  try {
    return read();
  } catch {
    return '';
  }
}
