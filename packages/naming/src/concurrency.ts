// Bounded parallelism for tree scans: one limit on file-system calls for the whole scan, and
// an ordered map that keeps a few results ahead of the consumer.

/**
 * At most `limit` tasks at a time, across every caller sharing the limiter. Once `signal` is
 * aborted, waiting and new tasks reject with its reason (tasks already running finish).
 */
export class Limiter {
  readonly #limit: number;
  readonly #signal: AbortSignal | undefined;
  #active = 0;
  readonly #waiting: (() => void)[] = [];

  constructor(limit: number, signal?: AbortSignal) {
    this.#limit = limit;
    this.#signal = signal;
  }

  async run<T>(task: () => Promise<T>): Promise<T> {
    this.#signal?.throwIfAborted();
    if (this.#active >= this.#limit) {
      await new Promise<void>((wake) => this.#waiting.push(wake));
      if (this.#signal?.aborted) {
        this.#waiting.shift()?.(); // pass the free slot on
        this.#signal.throwIfAborted();
      }
    }
    this.#active++;
    try {
      return await task();
    } finally {
      this.#active--;
      this.#waiting.shift()?.();
    }
  }
}

/**
 * Apply `fn` to each item with up to `ahead` calls started before their results are taken,
 * yielding results in input order. A finished result is yielded without waiting for the
 * source; nothing is buffered beyond `ahead` results.
 */
export async function* mapOrdered<T, R>(
  source: AsyncIterable<T> | Iterable<T>,
  ahead: number,
  fn: (item: T) => Promise<R>,
): AsyncGenerator<R> {
  const iterator =
    Symbol.asyncIterator in source
      ? source[Symbol.asyncIterator]()
      : (source as Iterable<T>)[Symbol.iterator]();
  const pending: { result: Promise<R>; finished: Promise<"head"> }[] = [];
  let pull: Promise<IteratorResult<T>> | undefined;
  let exhausted = false;
  try {
    for (;;) {
      while (!exhausted && pending.length < ahead) {
        pull ??= Promise.resolve(iterator.next());
        const head = pending[0];
        // Take the next item only if it comes before the oldest result is ready.
        const first = head
          ? await Promise.race([head.finished, pull.then(() => "source" as const)])
          : "source";
        if (first === "head") break;
        const next = await pull;
        pull = undefined;
        if (next.done) {
          exhausted = true;
          break;
        }
        const result = fn(next.value);
        // Rejections surface when the result is taken, in order; none goes unhandled meanwhile.
        const finished = result.then(
          () => "head" as const,
          () => "head" as const,
        );
        pending.push({ result, finished });
      }
      const head = pending.shift();
      if (!head) return;
      yield await head.result;
    }
  } finally {
    await iterator.return?.();
  }
}
