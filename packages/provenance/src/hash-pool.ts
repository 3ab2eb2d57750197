// SHA-256 of whole files on worker threads, so several files are hashed at once (one file's
// hash is sequential by nature). The main thread takes part one whole file at a time, so the
// first results do not wait for a worker to start.
import { createHash } from "node:crypto";
import { closeSync, openSync, readSync } from "node:fs";
import { availableParallelism } from "node:os";
import { Worker } from "node:worker_threads";

const CHUNK = 1 << 18;

// Plain CommonJS evaluated in the worker: no build step or file layout to depend on.
const WORKER_SOURCE = `
const { parentPort } = require("node:worker_threads");
const { openSync, readSync, closeSync } = require("node:fs");
const { createHash } = require("node:crypto");
const buffer = Buffer.allocUnsafe(${CHUNK});
parentPort.on("message", ({ id, path, prefix }) => {
  let fd;
  try {
    fd = openSync(path, "r");
    const hash = createHash("sha256");
    if (prefix) hash.update(prefix);
    let n;
    while ((n = readSync(fd, buffer, 0, buffer.length, null)) > 0) hash.update(buffer.subarray(0, n));
    parentPort.postMessage({ id, hex: hash.digest("hex") });
  } catch (error) {
    parentPort.postMessage({ id, error: { code: error.code, message: error.message } });
  } finally {
    if (fd !== undefined) closeSync(fd);
  }
});
`;

interface Job {
  path: string;
  prefix: Uint8Array | undefined;
  resolve: (hex: string) => void;
  reject: (error: Error) => void;
}

function fileError(error: { code?: string; message: string }): Error {
  return Object.assign(new Error(error.message), { code: error.code });
}

let mainBuffer: Buffer | undefined;

/**
 * Hashes one file on the calling thread with synchronous reads: one file at a time blocks the
 * event loop only for as long as that file takes (~10 ms for 16 MB), and avoids a thread-pool
 * round trip per chunk.
 */
function hashFileSync(path: string, prefix?: Uint8Array): string {
  mainBuffer ??= Buffer.allocUnsafe(CHUNK);
  const fd = openSync(path, "r");
  try {
    const hash = createHash("sha256");
    if (prefix) hash.update(prefix);
    for (;;) {
      const n = readSync(fd, mainBuffer, 0, CHUNK, null);
      if (n === 0) break;
      hash.update(mainBuffer.subarray(0, n));
    }
    return hash.digest("hex");
  } finally {
    closeSync(fd);
  }
}

class HashPool {
  readonly #queue: Job[] = [];
  readonly #idle: Worker[] = [];
  readonly #workers = new Set<Worker>();
  readonly #running = new Map<Worker, Job>();
  #mainBusy = false;
  readonly #size: number;

  constructor(size: number) {
    this.#size = size;
  }

  /** Starts the workers ahead of the work (their start-up then overlaps other work). */
  warm(): void {
    while (this.#workers.size < this.#size) this.#spawn();
  }

  hash(path: string, prefix?: Uint8Array): Promise<string> {
    return new Promise((resolve, reject) => {
      this.#queue.push({ path, prefix, resolve, reject });
      this.#pump();
    });
  }

  #spawn(): void {
    // No inherited flags: `--input-type=module` would make the (CommonJS) worker source fail.
    const worker = new Worker(WORKER_SOURCE, { eval: true, execArgv: [] });
    this.#workers.add(worker);
    worker.once("online", () => {
      this.#idle.push(worker);
      this.#pump();
    });
    worker.on(
      "message",
      (message: { hex?: string; error?: { code?: string; message: string } }) => {
        const job = this.#running.get(worker);
        this.#running.delete(worker);
        worker.unref(); // idle again: it must not keep the process alive
        if (job) {
          if (message.error) job.reject(fileError(message.error));
          else job.resolve(message.hex ?? "");
        }
        this.#idle.push(worker);
        this.#pump();
      },
    );
    worker.on("error", (error) => {
      const job = this.#running.get(worker);
      this.#running.delete(worker);
      this.#workers.delete(worker);
      // A dead worker takes no more jobs; what is queued runs elsewhere.
      const idle = this.#idle.indexOf(worker);
      if (idle >= 0) this.#idle.splice(idle, 1);
      job?.reject(error);
      this.#pump();
    });
    // After the listeners (adding one refs the worker again): idle workers never keep the
    // process alive.
    worker.unref();
  }

  #pump(): void {
    while (this.#queue.length > 0 && this.#idle.length > 0) {
      const worker = this.#idle.pop() as Worker;
      const job = this.#queue.shift() as Job;
      this.#running.set(worker, job);
      worker.ref(); // a worker with a job keeps the process alive until it answers
      worker.postMessage({ id: 0, path: job.path, prefix: job.prefix });
    }
    if (this.#queue.length > 0 && this.#workers.size < this.#size) this.#spawn();
    if (this.#queue.length > 0 && !this.#mainBusy) void this.#runHere();
  }

  async #runHere(): Promise<void> {
    this.#mainBusy = true;
    try {
      for (let job = this.#queue.shift(); job; job = this.#queue.shift()) {
        try {
          job.resolve(hashFileSync(job.path, job.prefix));
        } catch (error) {
          job.reject(error as Error);
        }
        // Between files, let finished workers take the next job.
        await new Promise((resolve) => setImmediate(resolve));
      }
    } finally {
      this.#mainBusy = false;
    }
  }

  async close(): Promise<void> {
    const workers = [...this.#workers];
    this.#workers.clear();
    this.#idle.length = 0;
    await Promise.all(workers.map((worker) => worker.terminate()));
  }
}

let shared: HashPool | undefined;

function pool(): HashPool {
  // One worker per core beyond the one the main thread uses; at least one.
  shared ??= new HashPool(Math.max(1, availableParallelism() - 1));
  return shared;
}

/** Hashes a file on the shared pool: sha256 of `prefix` (if any) then the file's bytes. */
export function pooledHash(path: string, prefix?: Uint8Array): Promise<string> {
  return pool().hash(path, prefix);
}

/** Starts the hashing workers now, so a later burst of hashing does not wait for them. */
export function warmHashPool(): void {
  pool().warm();
}

/** Stops the hashing workers (they never keep a process alive; this frees them sooner). */
export async function closeHashPool(): Promise<void> {
  const current = shared;
  shared = undefined;
  await current?.close();
}
