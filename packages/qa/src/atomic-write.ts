import { NiftiError, writeFileAtomic as writeAtomically } from "@radifox/nifti";
import { QaError } from "./errors.js";

/**
 * Writes the picture atomically (the shared write of `@radifox/nifti`: temporary file in the
 * same folder, then rename; removed on any error or abort), reporting failures as `E_QA_WRITE`.
 */
export async function writeFileAtomic(
  path: string,
  bytes: Uint8Array,
  options: { durable?: boolean; signal?: AbortSignal | undefined } = {},
): Promise<void> {
  try {
    await writeAtomically(path, bytes, {
      durable: options.durable ?? false,
      signal: options.signal,
    });
  } catch (error) {
    if ((error as Error).name === "AbortError") throw error;
    const cause = error instanceof NiftiError && error.cause !== undefined ? error.cause : error;
    const code = (cause as NodeJS.ErrnoException).code ?? "error";
    throw new QaError("E_QA_WRITE", `cannot write the QA image (${code})`, { path, cause });
  }
}
