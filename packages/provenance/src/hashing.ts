// The original's hash helpers (`radifox.records.hashing`), streaming and in parallel. A file's
// hash with `includeNames: false` is exactly `sha256sum`'s.
import { createHash } from "node:crypto";
import { readdir, stat } from "node:fs/promises";
import { basename, join } from "node:path";
import { errorMessage, ProvenanceError } from "./errors.js";
import { pooledHash } from "./hash-pool.js";

const encoder = new TextEncoder();

function hashError(path: string, error: unknown): ProvenanceError {
  const code = (error as NodeJS.ErrnoException)?.code;
  const reason = code === "ENOENT" ? "no such file" : errorMessage(error);
  return new ProvenanceError("E_PROV_HASH", `cannot hash ${path}: ${reason}`, {
    path,
    cause: error,
  });
}

/** `hash_file`: sha256 hex of (the file name, when `includeNames`) + the file's bytes. */
export async function hashFile(path: string, includeNames = true): Promise<string> {
  try {
    return await pooledHash(path, includeNames ? encoder.encode(basename(path)) : undefined);
  } catch (error) {
    throw hashError(path, error);
  }
}

/** Hashes many files at once (content only, as records do); results in the given order. */
export function hashFiles(paths: readonly string[], includeNames = false): Promise<string[]> {
  return Promise.all(paths.map((path) => hashFile(path, includeNames)));
}

/**
 * `hash_dir`: sha256 over the hex digests of the folder's entries (sorted by lower-cased full
 * path, each hashed by `hashFileDir`), then the folder's own name when `includeNames`.
 */
export async function hashDir(path: string, includeNames = true): Promise<string> {
  let names: string[];
  try {
    names = await readdir(path);
  } catch (error) {
    throw hashError(path, error);
  }
  const children = names
    .map((name) => join(path, name))
    .sort((a, b) => {
      const x = a.toLowerCase();
      const y = b.toLowerCase();
      return x < y ? -1 : x > y ? 1 : 0;
    });
  const digests = await Promise.all(children.map((child) => hashFileDir(child, includeNames)));
  const hash = createHash("sha256");
  for (const digest of digests) hash.update(digest ?? "");
  if (includeNames) hash.update(basename(path));
  return hash.digest("hex");
}

/** `hash_file_dir`: a file's or a folder's hash; `undefined` for anything else. */
export async function hashFileDir(path: string, includeNames = true): Promise<string | undefined> {
  const info = await stat(path).catch(() => undefined);
  if (info?.isFile()) return hashFile(path, includeNames);
  if (info?.isDirectory()) return hashDir(path, includeNames);
  return undefined;
}

/** `hash_file_list`: sha256 over the concatenated hex digests of the files. */
export async function hashFileList(paths: readonly string[], includeNames = true): Promise<string> {
  const digests = await hashFiles(paths, includeNames);
  const hash = createHash("sha256");
  for (const digest of digests) hash.update(digest);
  return hash.digest("hex");
}

/** `hash_value`: sha256 hex of the UTF-8 text; `null` for `null`. */
export function hashValue(value: string | null): string | null {
  return value === null ? null : createHash("sha256").update(value, "utf8").digest("hex");
}
