import { randomBytes } from "node:crypto";
import { type FileHandle, open, rename, unlink } from "node:fs/promises";
import { basename, dirname, join } from "node:path";
import { NiftiError } from "./errors.js";

/**
 * Writes `path` through a temporary file in the same folder, renamed over `path` only when
 * `write` has finished (and, with `durable`, the bytes are on disk): readers see the old file
 * or the new one, never a part. On any error the temporary file is removed.
 */
export async function writeAtomically(
  path: string,
  write: (handle: FileHandle) => Promise<void>,
  durable: boolean,
): Promise<void> {
  const temporary = join(
    dirname(path),
    `.${basename(path)}.${process.pid}-${randomBytes(4).toString("hex")}.tmp`,
  );
  let handle: FileHandle | undefined;
  try {
    handle = await open(temporary, "wx", 0o666);
    await write(handle);
    if (durable) await handle.datasync();
    await handle.close();
    handle = undefined;
    await rename(temporary, path);
  } catch (error) {
    await handle?.close().catch(() => {});
    await unlink(temporary).catch(() => {});
    if (error instanceof NiftiError || (error as Error).name === "AbortError") throw error;
    const code = (error as NodeJS.ErrnoException).code ?? "error";
    throw new NiftiError("E_NIFTI_IO", `cannot write (${code})`, { path, cause: error });
  }
}

/**
 * Writes `data` to `path` atomically (temporary file in the same folder, then rename): for the
 * small files written beside images (QA pictures, records, sidecars). Errors are `NiftiError`s
 * with code `E_NIFTI_IO` naming the path; an abort (`signal`) removes the temporary file and
 * rethrows the `AbortError`.
 */
export async function writeFileAtomic(
  path: string,
  data: string | Uint8Array,
  options: { durable?: boolean; mode?: number; signal?: AbortSignal | undefined } = {},
): Promise<void> {
  await writeAtomically(
    path,
    async (handle) => {
      await handle.writeFile(data, { signal: options.signal });
      if (options.mode !== undefined) await handle.chmod(options.mode);
      options.signal?.throwIfAborted();
    },
    options.durable ?? true,
  );
}
