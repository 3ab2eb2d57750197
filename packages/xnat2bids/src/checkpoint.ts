// While a run places files, the manifest is rewritten every few seconds with what is placed so
// far (over the earlier records), so that a run killed half-way (a batch job out of time)
// leaves at most the last few seconds of its files unrecorded.
import { type PlacedFiles, writeManifest } from "./manifest.js";

/** How often a long run records its progress. */
export const CHECKPOINT_MS = 5_000;

export interface Checkpoints {
  /** Stops the checkpoints and waits for one being written. */
  stop(): Promise<void>;
}

/**
 * Writes `before` with `placed` over it to the manifest of `output` every `everyMs` while
 * `placed` grows. A checkpoint that fails is skipped: the final manifest is what counts.
 */
export function startCheckpoints(
  output: string,
  before: PlacedFiles,
  placed: PlacedFiles,
  everyMs = CHECKPOINT_MS,
): Checkpoints {
  let writing: Promise<void> = Promise.resolve();
  let busy = false;
  let recorded = 0;
  const timer = setInterval(() => {
    if (busy || placed.size === recorded) return;
    busy = true;
    recorded = placed.size;
    writing = writeManifest(output, new Map([...before, ...placed]))
      .catch(() => {})
      .finally(() => {
        busy = false;
      });
  }, everyMs);
  timer.unref();
  return {
    async stop() {
      clearInterval(timer);
      await writing;
    },
  };
}
