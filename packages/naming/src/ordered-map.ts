/**
 * Apply `fn` to each item with at most `limit` calls in flight, yielding results in input
 * order. The source is pulled lazily, so nothing is buffered beyond `limit` pending results.
 */
export async function* mapOrdered<T, R>(
  source: AsyncIterable<T> | Iterable<T>,
  limit: number,
  fn: (item: T) => Promise<R>,
): AsyncGenerator<R> {
  const iterator =
    Symbol.asyncIterator in source
      ? source[Symbol.asyncIterator]()
      : (source as Iterable<T>)[Symbol.iterator]();
  const pending: Promise<R>[] = [];
  let exhausted = false;
  try {
    for (;;) {
      while (!exhausted && pending.length < Math.max(1, limit)) {
        const next = await iterator.next();
        if (next.done) {
          exhausted = true;
          break;
        }
        const promise = fn(next.value);
        // Rejections surface when the result is awaited in order; avoid an unhandled warning meanwhile.
        promise.catch(() => {});
        pending.push(promise);
      }
      const head = pending.shift();
      if (!head) return;
      yield await head;
    }
  } finally {
    await iterator.return?.();
  }
}
