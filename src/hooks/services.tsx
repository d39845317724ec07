// The Services value (sessions/services.ts) as React context: start-up code
// provides it once; screens and hooks read it with useServices(). The type is
// re-exported so the UI keeps one import for both.
import { createContext, useContext, type ReactNode } from 'react';
import type { Services } from '../sessions/services.js';

export type { Services } from '../sessions/services.js';

const ServicesContext = createContext<Services | null>(null);

export function ServicesProvider({ value, children }: { value: Services; children?: ReactNode }) {
  return <ServicesContext.Provider value={value}>{children}</ServicesContext.Provider>;
}

export function useServices(): Services {
  const services = useContext(ServicesContext);
  if (!services) throw new Error('useServices() called outside <ServicesProvider>');
  return services;
}
