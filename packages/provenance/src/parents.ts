// Lineage links: the record that produced an input is the one in the input's `.prov` file.
import { readFile } from "node:fs/promises";
import { isAbsolute, resolve } from "node:path";
import { provPathFor } from "./placement.js";
import type { RecordFile } from "./record.js";
import { type ProvenanceRecord, parseRecords } from "./record-parse.js";

/** The absolute path of a file a record lists (relative paths are under its project root). */
export function recordedPath(
  record: Pick<ProvenanceRecord, "projectRoot">,
  file: RecordFile,
): string {
  return isAbsolute(file.path) ? file.path : resolve(record.projectRoot, file.path);
}

/** Every file of a record's inputs or outputs, flattened, `null`s dropped. */
export function recordedFiles(files: ProvenanceRecord["outputs"]): RecordFile[] {
  const all: RecordFile[] = [];
  for (const value of Object.values(files)) {
    if (Array.isArray(value))
      all.push(...value.filter((item): item is RecordFile => item !== null));
    else if (value !== null) all.push(value);
  }
  return all;
}

/**
 * The record that produced `file`: the record of its `.prov` file when that record lists the
 * file among its outputs; `undefined` for raw inputs (no `.prov`) or unreadable ones.
 */
export async function producerOf(file: string): Promise<ProvenanceRecord | undefined> {
  const provPath = provPathFor(file);
  let text: string;
  try {
    text = await readFile(provPath, "utf8");
  } catch {
    return undefined;
  }
  const { records } = parseRecords(text, provPath);
  const target = resolve(file);
  return records.find((record) =>
    recordedFiles(record.outputs).some((out) => recordedPath(record, out) === target),
  );
}
