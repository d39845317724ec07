// cloud-init's reading of a `#cloud-config` user-data, as the simulator's
// Ubuntu machines do it: the header, a YAML mapping, `write_files` (with the
// encodings cloud-init decodes) and `runcmd`. A part cloud-init would reject
// is a problem; the machine then never runs its bootstrap.
import { gunzipSync } from 'node:zlib';
import { parse as parseYaml } from 'yaml';

export interface MachineFile {
  content: string;
  permissions: string;
}

export interface CloudConfig {
  files: Map<string, MachineFile>;
  /** Each command as its argv (a string command is one shell word list). */
  runcmd: string[][];
}

export type CloudConfigRead = { config: CloudConfig } | { problem: string };

const ENCODINGS = new Set(['b64', 'base64', 'gz', 'gzip', 'gz+b64', 'gz+base64', 'gzip+b64', 'gzip+base64', 'text/plain']);

export const isCloudConfig = (userData: string): boolean => userData.startsWith('#cloud-config');

export function readCloudConfig(userData: string): CloudConfigRead {
  if (!/^#cloud-config[ \t]*\r?\n/.test(userData)) return { problem: 'cloud-init: user-data does not start with the line #cloud-config' };
  let doc: unknown;
  try {
    doc = parseYaml(userData);
  } catch (error) {
    return { problem: `cloud-init: user-data is not valid YAML: ${(error as Error).message.split('\n')[0]}` };
  }
  if (!doc || typeof doc !== 'object' || Array.isArray(doc)) return { problem: 'cloud-init: user-data is not a YAML mapping' };
  const config = doc as Record<string, unknown>;
  const files = readWriteFiles(config.write_files);
  if ('problem' in files) return files;
  const runcmd = readRuncmd(config.runcmd);
  if ('problem' in runcmd) return runcmd;
  return { config: { files: files.files, runcmd: runcmd.commands } };
}

/**
 * One plain (unencoded) file a cloud-config writes, without decoding the
 * others: for readers that only need it (the API endpoint asks on each TLS
 * handshake, and a machine's scripts are compressed).
 */
export function plainCloudConfigFile(userData: string, path: string): string | undefined {
  if (!isCloudConfig(userData)) return undefined;
  let doc: unknown;
  try {
    doc = parseYaml(userData);
  } catch {
    return undefined;
  }
  const files = (doc as { write_files?: unknown } | null)?.write_files;
  const file = Array.isArray(files) ? (files.find((f) => (f as { path?: unknown })?.path === path) as { content?: unknown; encoding?: unknown } | undefined) : undefined;
  return file && file.encoding === undefined && typeof file.content === 'string' ? file.content : undefined;
}

function readWriteFiles(value: unknown): { files: Map<string, MachineFile> } | { problem: string } {
  const files = new Map<string, MachineFile>();
  if (value === undefined) return { files };
  if (!Array.isArray(value)) return { problem: 'cloud-init: write_files is not a list' };
  for (const [index, entry] of value.entries()) {
    const where = `cloud-init: write_files[${index}]`;
    if (!entry || typeof entry !== 'object') return { problem: `${where} is not a mapping` };
    const file = entry as Record<string, unknown>;
    if (typeof file.path !== 'string' || !file.path.startsWith('/')) return { problem: `${where}.path must be an absolute path` };
    if (file.content !== undefined && typeof file.content !== 'string') return { problem: `${where}.content must be a string` };
    if (file.permissions !== undefined && !(typeof file.permissions === 'string' && /^0?[0-7]{3,4}$/.test(file.permissions))) {
      return { problem: `${where}.permissions must be an octal string such as '0644'` };
    }
    if (file.encoding !== undefined && !ENCODINGS.has(String(file.encoding))) return { problem: `${where}.encoding ${String(file.encoding)} is not one cloud-init decodes` };
    const decoded = decode(String(file.content ?? ''), file.encoding as string | undefined);
    if (decoded === undefined) return { problem: `${where}: ${file.path} could not be decoded as ${String(file.encoding)}` };
    files.set(file.path, { content: decoded, permissions: String(file.permissions ?? '0644') });
  }
  return { files };
}

function decode(content: string, encoding: string | undefined): string | undefined {
  try {
    if (!encoding || encoding === 'text/plain') return content;
    const bytes = encoding.includes('b64') || encoding.includes('base64') ? Buffer.from(content, 'base64') : Buffer.from(content, 'utf8');
    return (encoding.startsWith('gz') ? gunzipSync(bytes) : bytes).toString('utf8');
  } catch {
    return undefined;
  }
}

function readRuncmd(value: unknown): { commands: string[][] } | { problem: string } {
  if (value === undefined) return { commands: [] };
  if (!Array.isArray(value)) return { problem: 'cloud-init: runcmd is not a list' };
  const commands: string[][] = [];
  for (const [index, command] of value.entries()) {
    if (typeof command === 'string') commands.push(command.trim().split(/\s+/));
    else if (Array.isArray(command) && command.every((word) => typeof word === 'string')) commands.push(command as string[]);
    else return { problem: `cloud-init: runcmd[${index}] must be a string or a list of strings` };
  }
  return { commands };
}
