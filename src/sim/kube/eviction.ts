// POST .../pods/<name>/eviction (policy/v1 Eviction): allowed evictions become
// graceful deletes; one that would break a PodDisruptionBudget gets 429.
import type { ServerResponse } from 'node:http';
import type { ClusterWorld } from './cluster-world.js';
import { deleteOptionsOf, preconditionFailure, type ObjectRequest } from './object-handlers.js';
import { evictionRefusal } from './pdb.js';
import { deletePod } from './pod-lifecycle.js';
import { badRequest, notFound, sendStatus, success } from './status.js';
import { objectKey } from './types.js';

export function evictPod(world: ClusterWorld, r: ObjectRequest, res: ServerResponse, body: unknown): void {
  const eviction = (body ?? {}) as { kind?: string; metadata?: { name?: string }; deleteOptions?: unknown };
  if (eviction.kind && eviction.kind !== 'Eviction') return sendStatus(res, badRequest(`expected an Eviction, got ${eviction.kind}`));
  if (eviction.metadata?.name && eviction.metadata.name !== r.name) {
    return sendStatus(res, badRequest('name in URL does not match name in Eviction object'));
  }
  const pod = world.store.get('pods', objectKey(r.namespace, r.name!));
  if (!pod) return sendStatus(res, notFound('pods', r.name!));
  const options = deleteOptionsOf(r.query, eviction.deleteOptions);
  const precondition = preconditionFailure(r, pod, options);
  if (precondition) return sendStatus(res, precondition);
  const refusal = evictionRefusal(world, pod);
  if (refusal) return sendStatus(res, refusal);
  const dryRun = r.query.getAll('dryRun').includes('All') || ((options as { dryRun?: string[] }).dryRun ?? []).includes('All');
  if (!dryRun) deletePod(world, r.namespace!, r.name!, options.gracePeriodSeconds);
  sendStatus(res, success(201));
}
