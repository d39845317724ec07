// A request to a simulator's /sim/ admin API (health, stats, faults), with the
// world's token it requires (access-token.ts). Free of imports, so that a
// session on real AWS can check for a running simulator without loading it.
export function simAdminFetch(sim: { url: string; token: string }, path: string, init: RequestInit = {}): Promise<Response> {
  const headers = new Headers(init.headers);
  headers.set('authorization', `Bearer ${sim.token}`);
  return fetch(`${sim.url}${path}`, { ...init, headers });
}
