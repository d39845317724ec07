// The bridge from a rehearsal session (sessions/rehearsal-session.ts) to the
// rolling-update screen: one session per visit to the screen.
import { useState, useSyncExternalStore } from 'react';
import { RehearsalSession, type RehearsalState } from '../sessions/rehearsal-session.js';
import { useServices } from './services.js';

export interface RehearsalHandle {
  session: RehearsalSession;
  state: RehearsalState;
}

export function useRehearsal(cluster: string): RehearsalHandle {
  const services = useServices();
  const [session] = useState(() => new RehearsalSession(services, cluster));
  const state = useSyncExternalStore(session.subscribe, session.getState);
  return { session, state };
}
