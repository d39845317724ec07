// Where a cluster's channel comes from (spec.channel, as in kops):
//   ""/"stable"    the channel file shipped with kopsdeck (channels/stable)
//   "none"         no channel: no recommendations, no images (as kops)
//   http(s)://...  fetched
//   file://..., a path with a "/" (or starting with ".")   read from disk
//   another name ("alpha")   resolved against kops' own channel folder on
//                  GitHub, as kops resolves relative channel names.
// kops reads "stable" from GitHub too; kopsdeck ships its copy so that it
// works offline and behaves the same from one run to the next.
import { existsSync, readFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ChannelError, parseChannel, type Channel } from './channel.js';
import { errorMessage } from '../error-message.js';

export const STABLE_CHANNEL = 'stable';
export const KOPS_CHANNEL_BASE = 'https://raw.githubusercontent.com/kubernetes/kops/master/channels/';
/** How long a channel URL may take to answer. */
const FETCH_TIMEOUT_MS = 15_000;

/** The folder holding kopsdeck's package.json: the same from src/ (tsx) and from dist/. */
export function packageRoot(from: string = fileURLToPath(import.meta.url)): string {
  let dir = dirname(from);
  for (;;) {
    if (existsSync(join(dir, 'package.json'))) return dir;
    const parent = dirname(dir);
    if (parent === dir) throw new Error(`no package.json above ${from}; kopsdeck's install is incomplete`);
    dir = parent;
  }
}

/** Path of the channel file shipped with kopsdeck. */
export function shippedChannelPath(): string {
  return join(packageRoot(), 'channels', STABLE_CHANNEL);
}

let shipped: Channel | undefined;

/** The shipped stable channel, read once; throws ChannelError when the install lacks it. */
export function shippedChannel(): Channel {
  if (shipped) return shipped;
  let text: string;
  try {
    text = readFileSync(shippedChannelPath(), 'utf8');
  } catch (error) {
    throw new ChannelError(STABLE_CHANNEL, `kopsdeck's own channel file is missing (${messageOf(error)}); reinstall kopsdeck`);
  }
  shipped = parseChannel(text, STABLE_CHANNEL);
  return shipped;
}

export type ChannelSource = { kind: 'shipped' } | { kind: 'none' } | { kind: 'url'; url: string } | { kind: 'file'; path: string };

/** Where `location` (a cluster's spec.channel) is read from. */
export function resolveChannel(location: string | undefined): ChannelSource {
  const name = (location ?? '').trim();
  if (name === '' || name === STABLE_CHANNEL) return { kind: 'shipped' };
  if (name === 'none') return { kind: 'none' };
  if (/^https?:\/\//i.test(name)) return { kind: 'url', url: name };
  if (/^file:\/\//i.test(name)) return { kind: 'file', path: fileURLToPath(name) };
  if (name.includes('/') || name.startsWith('.')) return { kind: 'file', path: resolve(name) };
  return { kind: 'url', url: new URL(name, KOPS_CHANNEL_BASE).toString() };
}

export interface LoadChannelOptions {
  fetch?: typeof fetch;
}

/** Reads and parses a cluster's channel; throws ChannelError saying which channel and why. */
export async function loadChannel(location: string | undefined, options: LoadChannelOptions = {}): Promise<Channel> {
  const source = resolveChannel(location);
  const name = (location ?? '').trim() || STABLE_CHANNEL;
  switch (source.kind) {
    case 'shipped':
      return shippedChannel();
    case 'none':
      return { location: name, images: [], kubernetesVersions: [], kopsVersions: [] };
    case 'file': {
      let text: string;
      try {
        text = await readFile(source.path, 'utf8');
      } catch (error) {
        throw new ChannelError(name, `cannot read ${source.path} (${messageOf(error)})`);
      }
      return parseChannel(text, name);
    }
    case 'url':
      return parseChannel(await fetchText(name, source.url, options.fetch ?? fetch), name);
  }
}

async function fetchText(name: string, url: string, fetchFn: typeof fetch): Promise<string> {
  let response: Response;
  try {
    response = await fetchFn(url, { signal: AbortSignal.timeout(FETCH_TIMEOUT_MS), redirect: 'follow' });
  } catch (error) {
    const reason = error instanceof Error && error.name === 'TimeoutError' ? `no answer within ${FETCH_TIMEOUT_MS / 1000} s` : messageOf(error);
    throw new ChannelError(name, `GET ${url} failed (${reason})`);
  }
  if (!response.ok) throw new ChannelError(name, `GET ${url} answered ${response.status} ${response.statusText}`.trim());
  return response.text();
}

function messageOf(error: unknown): string {
  const cause = error instanceof Error && error.cause instanceof Error ? `: ${error.cause.message}` : '';
  return errorMessage(error) + cause;
}
