// AWS calls that take a list of ids cap its length (DetachInstances 20,
// CreateTags and TerminateInstances 1000): a longer list goes in slices.

/** `items` in consecutive slices of at most `size`. */
export function inBatches<T>(items: readonly T[], size: number): T[][] {
  const batches: T[][] = [];
  for (let i = 0; i < items.length; i += size) batches.push(items.slice(i, i + size));
  return batches;
}
