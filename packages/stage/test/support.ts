// Shared helpers of the stage tests (copied from the provenance tests' support, which tests must
// not import): the conformance vectors, temporary folders, the created-files walk, log lines,
// the pinned clock, record checks and the "system dependency" rule (skip locally, fail in CI);
// the vectors folder and that rule come from @workspace/test-support.
import { createHash } from "node:crypto";
import { chmodSync, cpSync, lstatSync, mkdtempSync, readdirSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { compareCodePoints } from "@radifox/naming";
import { conformance } from "@workspace/test-support";

export { requireSystem } from "@workspace/test-support";

const radifox = conformance("radifox");

/**
 * The conformance folder of the original RADIFOX: `RADIFOX_CONFORMANCE_DIR` when set (another
 * set in the same format), else the developer set beside the repository.
 */
export const CONFORMANCE = radifox.dir;

/** The parsed vectors file, or `undefined` (with a printed reason) when it is missing. */
export const loadVectors = radifox.load;

export function tempDir(prefix: string): string {
  return mkdtempSync(join(tmpdir(), prefix));
}

/** Copies a folder tree (hidden entries too) and makes the copy writable by its owner. */
export function copyTree(from: string, to: string): void {
  cpSync(from, to, { recursive: true, verbatimSymlinks: true });
  const visit = (path: string): void => {
    const info = lstatSync(path);
    if (info.isSymbolicLink()) return;
    chmodSync(path, info.mode | 0o200 | (info.isDirectory() ? 0o700 : 0));
    if (info.isDirectory()) for (const name of readdirSync(path)) visit(join(path, name));
  };
  visit(to);
}

export type EntryKind = "dir" | "file" | "symlink";

/** Every path under `root` (relative, code-point order) with its kind. */
export function walk(root: string): Map<string, EntryKind> {
  const found = new Map<string, EntryKind>();
  const visit = (rel: string): void => {
    for (const name of readdirSync(join(root, rel))) {
      const child = rel === "" ? name : `${rel}/${name}`;
      const info = lstatSync(join(root, child));
      if (info.isSymbolicLink()) found.set(child, "symlink");
      else if (info.isDirectory()) {
        found.set(child, "dir");
        visit(child);
      } else found.set(child, "file");
    }
  };
  visit("");
  return new Map([...found].sort(([a], [b]) => compareCodePoints(a, b)));
}

/** `[LEVEL, message]` of every log line (timestamps and continuation lines dropped). */
export function logLines(text: string): [string, string][] {
  const lines: [string, string][] = [];
  for (const line of text.split("\n")) {
    const match = /^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d,\d{3} \[([A-Z-]+)\] (.*)$/.exec(line);
    if (match) lines.push([match[1] as string, match[2] as string]);
  }
  return lines;
}

/** A naive local `YYYY-MM-DDTHH:MM:SS[.ffffff]` as a Date. */
export function localTime(text: string): Date {
  const [date = "", time = ""] = text.split("T");
  const [y, mo, d] = date.split("-").map(Number) as [number, number, number];
  const [h, mi, s] = time.split(":").map(Number) as [number, number, number];
  return new Date(y, mo - 1, d, h, mi, Math.floor(s), Math.round((s % 1) * 1000));
}

/** The pinned clock: the first call is the start time, every later call the record time. */
export function pinnedClock(start: string, record: string): () => Date {
  let calls = 0;
  return () => (calls++ === 0 ? localTime(start) : localTime(record));
}

export const sha256 = (bytes: Uint8Array | string): string =>
  createHash("sha256").update(bytes).digest("hex");

/**
 * The records of a `Provenance.yml`/`.prov` text, each `{id, body}`; throws unless every
 * document has the shape `---\nId: <hex>\n<BODY>...\n`.
 */
export function splitRecords(text: string): { id: string; body: string }[] {
  const docs = text.split(/^---\n/m);
  if (docs[0] !== "") throw new Error("a record file starts with ---");
  return docs.slice(1).map((doc) => {
    const match = /^Id: ([0-9a-f]{64})\n(Module: [\s\S]*\nCommand: [^\n]*\n)\.\.\.\n$/.exec(doc);
    if (!match) throw new Error(`not a record: ${JSON.stringify(doc.slice(0, 200))}`);
    return { id: match[1] as string, body: match[2] as string };
  });
}

/** Root -> `{TMP}` and each Id -> `{ID}`, as the vectors store records. */
export function maskRecord(text: string, root: string): string {
  return text
    .split(root)
    .join("{TMP}")
    .replace(/^Id: [0-9a-f]{64}$/gm, "Id: {ID}");
}
