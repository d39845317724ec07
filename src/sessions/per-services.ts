// One instance of something per Services value (a console session), made on
// first use: the registries of live cluster sessions, of event feeds and of rollouts.
import type { Services } from './services.js';

export function perServices<T, O>(make: (services: Services, options?: O) => T): (services: Services, options?: O) => T {
  const made = new WeakMap<Services, T>();
  return (services, options) => {
    let instance = made.get(services);
    if (!instance) {
      instance = make(services, options);
      made.set(services, instance);
    }
    return instance;
  };
}
