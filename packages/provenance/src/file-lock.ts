// The lock beside the session record file: @radifox/nifti's withFileLock, with its failures
// reported as this package's E_PROV_LOCK.
import { FileLockError, type FileLockOptions, withFileLock as lockFile } from "@radifox/nifti";
import { errorMessage, ProvenanceError } from "./errors.js";

export type { FileLockOptions };

/**
 * Runs `task` while holding the lock of `path` (`<path>.lock`). Waits while another process
 * holds it; throws `E_PROV_LOCK` after `timeoutMs` or when the lock cannot be created.
 */
export async function withFileLock<T>(
  path: string,
  task: () => Promise<T>,
  options: FileLockOptions = {},
): Promise<T> {
  try {
    return await lockFile(path, task, options);
  } catch (error) {
    if (!(error instanceof FileLockError)) throw error;
    const message = error.timedOut
      ? `timed out waiting for the lock on ${path}`
      : `cannot lock ${error.lockPath}: ${errorMessage(error.cause)}`;
    throw new ProvenanceError("E_PROV_LOCK", message, { path, cause: error });
  }
}
