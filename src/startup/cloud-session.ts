// Start-up code: the one place that chooses between real AWS and the embedded
// simulator. Everything below it (engine, screens) receives endpoints, a
// kubeconfig path and a clock, and never asks which one it got.
import { scaledClock, systemClock } from '../engine/clock.js';
import type { CloudAccess } from '../engine/cloud/access.js';
import { defaultSimulatorDir } from '../engine/paths.js';
import { connectOrStartSimulator, type SimulatorConnection, type SimulatorTime } from './simulator-connection.js';

export type CloudChoice = 'sim' | 'aws';

export interface CloudSession extends CloudAccess {
  /** For the header: "simulator at http://127.0.0.1:PORT" or "aws". */
  label: string;
  /** What the user should know about how the session opened, each a sentence (a damaged simulator world kept aside). */
  notices: string[];
  close(): Promise<void>;
}

export interface CloudSessionOptions {
  choice?: CloudChoice;
  env: NodeJS.ProcessEnv;
}

export async function openCloudSession({ choice, env }: CloudSessionOptions): Promise<CloudSession> {
  const cloud = choice ?? parseChoice(env.KOPSDECK_CLOUD);
  return cloud === 'aws' ? awsSession(env) : simulatorSession(env);
}

function parseChoice(value: string | undefined): CloudChoice {
  if (value === undefined || value === '' || value === 'sim') return 'sim';
  if (value === 'aws') return 'aws';
  throw new Error(`KOPSDECK_CLOUD must be "sim" or "aws", not "${value}"`);
}

function awsSession(env: NodeJS.ProcessEnv): CloudSession {
  return {
    simulated: false,
    label: 'aws',
    clock: systemClock,
    defaultRegion: env.AWS_REGION || env.AWS_DEFAULT_REGION || 'us-east-1',
    kubeconfigPath: env.KUBECONFIG || undefined,
    notices: [],
    close: async () => {},
  };
}

async function simulatorSession(env: NodeJS.ProcessEnv): Promise<CloudSession> {
  const speed = env.KOPSDECK_SIM_SPEED ? Number(env.KOPSDECK_SIM_SPEED) : undefined;
  const connection: SimulatorConnection = await connectOrStartSimulator({
    dir: env.KOPSDECK_SIM_DIR || defaultSimulatorDir(env),
    speed,
  });
  return {
    ...simulatorAccess(connection, env.AWS_REGION || 'us-east-1'),
    label: `simulator at ${connection.url}`,
    notices: connection.notices ?? [],
    close: () => connection.release(),
  };
}

/**
 * How to reach a running simulator (also what tests and benchmarks hand to the engine).
 * Its clock follows the simulator's own time, read when connecting: creation
 * timestamps are in that time, so ages are told by it (every process the same).
 */
export function simulatorAccess(
  sim: { url: string; speed: number; kubeconfigPath: string; token: string; time?: SimulatorTime },
  defaultRegion = 'us-east-1',
): CloudAccess {
  return {
    simulated: true,
    clock: sim.time ? scaledClock(sim.speed, sim.time.simMs, sim.time.wallMs) : scaledClock(sim.speed),
    awsEndpoint: sim.url,
    // The world's token is the key id; the simulator checks no signature, so the secret key is a placeholder.
    awsCredentials: simulatorCredentials(sim.token),
    defaultRegion,
    kubeconfigPath: sim.kubeconfigPath,
  };
}

/** AWS credentials for the simulator: its world's token as the key id (src/sim/access-token.ts). */
export function simulatorCredentials(token: string): { accessKeyId: string; secretAccessKey: string } {
  return { accessKeyId: token, secretAccessKey: 'kopsdeck-simulator' };
}
