// Where records go (the original's `write_prov`): appended to the session file
// `<session>/<subject>_<session>_Provenance.yml` of the first output, and a `.prov` beside every
// output. Appends hold the session file's lock and are one write each; `.prov` files are
// replaced atomically.
import { open } from "node:fs/promises";
import { basename, dirname, join } from "node:path";
import { pathSuffixes } from "@radifox/naming";
import { writeFileAtomic } from "@radifox/nifti";
import { errorMessage, ProvenanceError } from "./errors.js";
import { type FileLockOptions, withFileLock } from "./file-lock.js";

/**
 * The `.prov` file of an output: the name with all its suffixes replaced (`x_n4.nii.gz` ->
 * `x_n4.prov`). A name without suffixes gets `.prov` appended (`notes` -> `notes.prov`; the
 * original produced `.provn.provo.provt.prove.provs.prov`, which no reader finds).
 */
export function provPathFor(output: string): string {
  const name = basename(output);
  const suffix = pathSuffixes(name).join("");
  const stem = suffix === "" ? name : name.slice(0, name.length - suffix.length);
  return join(dirname(output), `${stem}.prov`);
}

/**
 * The session record file for an output in `<session>/<folder>/`: the session is the output's
 * grandparent, the subject its parent.
 */
export function sessionRecordPath(output: string): string {
  const session = dirname(dirname(output));
  return join(session, `${basename(dirname(session))}_${basename(session)}_Provenance.yml`);
}

/**
 * Appends one record to a session file under its lock, as a single write. If an earlier
 * writer died mid-append (the file does not end with a newline), the record starts on a new
 * line so that readers lose only the broken document.
 */
export async function appendRecord(
  path: string,
  text: string,
  options: FileLockOptions & { durable?: boolean } = {},
): Promise<void> {
  await withFileLock(
    path,
    async () => {
      const handle = await open(path, "a+").catch((error: unknown) => {
        throw new ProvenanceError("E_PROV_WRITE", `cannot open ${path}: ${errorMessage(error)}`, {
          path,
          cause: error,
        });
      });
      try {
        const { size } = await handle.stat();
        let prefix = "";
        if (size > 0) {
          const last = Buffer.alloc(1);
          await handle.read(last, 0, 1, size - 1);
          if (last[0] !== 0x0a) prefix = "\n";
        }
        const bytes = Buffer.from(prefix + text, "utf8");
        const { bytesWritten } = await handle.write(bytes, 0, bytes.length, null);
        if (bytesWritten !== bytes.length) throw new Error("short write");
        if (options.durable ?? true) await handle.datasync();
      } catch (error) {
        throw new ProvenanceError(
          "E_PROV_WRITE",
          `cannot append to ${path}: ${errorMessage(error)}`,
          {
            path,
            cause: error,
          },
        );
      } finally {
        await handle.close();
      }
    },
    options,
  );
}

/** Writes a `.prov` file atomically. */
export async function writeProvFile(path: string, text: string, durable = true): Promise<void> {
  try {
    await writeFileAtomic(path, text, { durable });
  } catch (error) {
    throw new ProvenanceError("E_PROV_WRITE", `cannot write ${path}: ${errorMessage(error)}`, {
      path,
      cause: error,
    });
  }
}

/**
 * The original's `write_prov`: `files` are the outputs that get records (skipped keys and
 * `null`s already removed). Nothing is written when there are none.
 */
export async function placeRecord(
  text: string,
  files: readonly string[],
  options: FileLockOptions & { durable?: boolean } = {},
): Promise<{ sessionFile: string; provFiles: string[] } | undefined> {
  const first = files[0];
  if (first === undefined) return undefined;
  const sessionFile = sessionRecordPath(first);
  await appendRecord(sessionFile, text, options);
  const provFiles = files.map(provPathFor);
  await Promise.all(provFiles.map((path) => writeProvFile(path, text, options.durable)));
  return { sessionFile, provFiles };
}
