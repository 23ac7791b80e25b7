/** @module Reading an async listing (the store's history) into an array, for assertions. */
export async function all<T>(items: AsyncIterable<T>): Promise<T[]> {
  const out: T[] = [];
  for await (const t of items) out.push(t);
  return out;
}
