// The lock for read-modify-write of project.json by concurrent imports: @radifox/nifti's
// withFileLock, with its failures reported as this package's E_ARCHIVE_IMPORT.
import { FileLockError, type FileLockOptions, withFileLock as lockFile } from "@radifox/nifti";
import { ArchiveError } from "../errors.js";

/** Runs `task` holding the lock of `path`; waits up to `timeoutMs` (default 60 s) for it. */
export async function withFileLock<T>(
  path: string,
  task: () => Promise<T>,
  options: FileLockOptions = {},
): Promise<T> {
  try {
    return await lockFile(path, task, options);
  } catch (error) {
    if (!(error instanceof FileLockError)) throw error;
    if (error.timedOut) {
      throw new ArchiveError("E_ARCHIVE_IMPORT", "timed out waiting for the lock", { path });
    }
    const message = `cannot lock (${(error.cause as Error | undefined)?.message})`;
    throw new ArchiveError("E_ARCHIVE_IMPORT", message, { path: error.lockPath, cause: error });
  }
}
