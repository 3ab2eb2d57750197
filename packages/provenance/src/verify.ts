// Checking a session against its records: every file a current record lists is hashed (once,
// in parallel) and compared; files in `proc/` and `stage/` that no record produced, documents
// that do not parse and records whose Id does not match their text are reported. Nothing is
// written and nothing is printed: the report is data.
//
// Which record counts for a file: a file may have been produced several times (a module run
// again), and the session file keeps every run. The current producer of a file is the record
// in the file's `.prov` when it lists the file, else the last successful record listing it.
// Only current producers are checked against the file, and only the inputs of records that are
// the current producer of at least one of their outputs (older runs are history, not claims).
import { lstatSync, readlinkSync } from "node:fs";
import { dirname, relative, resolve, sep } from "node:path";
import { hashFile } from "./hashing.js";
import { recordedFiles } from "./parents.js";
import { provPathFor } from "./placement.js";
import { isHidden, type LocatedRecord, locatePath, readSessionWithFiles } from "./study-records.js";

/** Where a symbolic link points (resolved against its folder), or undefined for other files. */
function linkTarget(file: string): string | undefined {
  try {
    return lstatSync(file).isSymbolicLink()
      ? resolve(dirname(file), readlinkSync(file))
      : undefined;
  } catch {
    return undefined;
  }
}

/**
 * What a finding is about (stable; new kinds may be added):
 * - `modified`: a file's sha256 differs from its record (an output edited after its run, or an
 *   input changed since a module used it, which makes that module's outputs stale);
 * - `missing`: a file a record lists is gone;
 * - `unreadable`: a file a record lists exists but cannot be read (or is a folder);
 * - `unrecorded`: a file in `proc/` or `stage/` that no record lists as an output;
 * - `bad-record`: a document of a record file that could not be parsed;
 * - `id-mismatch`: a record whose Id is not the sha256 of its text (edited or damaged);
 * - `failed-run`: a run that failed (extended records), for information.
 */
export type VerifyFindingKind =
  | "modified"
  | "missing"
  | "unreadable"
  | "unrecorded"
  | "bad-record"
  | "id-mismatch"
  | "failed-run";

export type VerifySeverity = "error" | "warning" | "info";

export interface VerifyFinding {
  kind: VerifyFindingKind;
  severity: VerifySeverity;
  /** The file concerned (absolute). */
  path: string;
  /** One line, without the path. */
  message: string;
  /** The record concerned. */
  recordId?: string;
  /** `module:version` of that record. */
  module?: string;
  /** The sha256 the record lists (`modified`, `missing`). */
  recorded?: string;
  /** The file's sha256 now (`modified`). */
  actual?: string;
  /** The 1-based line of the document in its record file (`bad-record`, `id-mismatch`). */
  line?: number;
}

export interface VerifyReport {
  /** The session folder (absolute). */
  session: string;
  /** Distinct records read (by Id). */
  records: number;
  /** Distinct files hashed or found missing. */
  checkedFiles: number;
  /** Sorted by path, then kind. */
  findings: VerifyFinding[];
}

export interface VerifyProgress {
  hashed: number;
  total: number;
}

export interface VerifyOptions {
  /** Called after each file is hashed. */
  onProgress?: (progress: VerifyProgress) => void;
}

/** Session folders whose files should all be outputs of records. */
const OUTPUT_FOLDERS = ["proc", "stage"];

type FileState = { hash: string } | { missing: true } | { unreadable: string };

interface Listing {
  record: LocatedRecord;
  sha256: string;
}

function short(id: string): string {
  return id.slice(0, 12);
}

function label(record: LocatedRecord): string {
  return `${record.module}:${record.version}`;
}

function addListing(map: Map<string, Listing[]>, path: string, listing: Listing): void {
  const list = map.get(path);
  if (list) list.push(listing);
  else map.set(path, [listing]);
}

async function fileState(path: string): Promise<FileState> {
  try {
    return { hash: await hashFile(path, false) };
  } catch (error) {
    const code = ((error as Error).cause as NodeJS.ErrnoException | undefined)?.code;
    if (code === "ENOENT" || code === "ENOTDIR") return { missing: true };
    const reason =
      code === "EISDIR" ? "it is a folder" : ((error as Error).message ?? String(error));
    return { unreadable: reason };
  }
}

/** Verifies a session folder against its records; see `VerifyFindingKind` for what is found. */
export async function verifySession(
  sessionDir: string,
  options: VerifyOptions = {},
): Promise<VerifyReport> {
  const read = await readSessionWithFiles(sessionDir);
  const findings: VerifyFinding[] = [];
  const session = read.session;

  for (const problem of read.problems) {
    findings.push({
      kind: "bad-record",
      severity: "error",
      path: problem.path,
      line: problem.line,
      message:
        problem.line > 0
          ? `document at line ${problem.line} cannot be read: ${problem.message}`
          : problem.message,
    });
  }
  for (const document of read.documents) {
    if (document.idMatches) continue;
    findings.push({
      kind: "id-mismatch",
      severity: "error",
      path: document.source.path,
      line: document.source.line,
      recordId: document.id,
      module: label(document),
      message:
        `record ${short(document.id)} (${label(document)}) at line ${document.source.line}: ` +
        "its Id is not the sha256 of its text (edited or damaged)",
    });
  }

  const succeeded = read.records.filter((record) => record.status !== "failed");
  const failed = read.records.filter((record) => record.status === "failed");
  for (const record of failed) {
    const exit = record.exitCode === undefined ? "" : ` with exit status ${record.exitCode}`;
    const error = record.error ? `: ${record.error}` : "";
    findings.push({
      kind: "failed-run",
      severity: "info",
      path: record.source.path,
      line: record.source.line,
      recordId: record.id,
      module: label(record),
      message: `${label(record)} failed${exit} (started ${record.startTime}, record ${short(record.id)})${error}`,
    });
  }

  // Producers of each output, in reading order; the current one per file.
  const producers = new Map<string, Listing[]>();
  for (const record of succeeded) {
    for (const file of recordedFiles(record.outputs)) {
      addListing(producers, locatePath(record, file), { record, sha256: file.sha256 });
    }
  }
  const current = new Map<string, Listing>();
  for (const [path, list] of producers) {
    const prov = provPathFor(path);
    const fromProv = list.filter((listing) => listing.record.source.path === prov).at(-1);
    current.set(path, fromProv ?? (list.at(-1) as Listing));
  }
  const currentRecords = new Set([...current.values()].map((listing) => listing.record));
  const consumers = new Map<string, Listing[]>();
  for (const record of currentRecords) {
    for (const file of recordedFiles(record.inputs)) {
      addListing(consumers, locatePath(record, file), { record, sha256: file.sha256 });
    }
  }

  // Each distinct file hashed once, all at once (the hash pool bounds the work).
  const paths = [...new Set([...current.keys(), ...consumers.keys()])].sort();
  const states = new Map<string, FileState>();
  let hashed = 0;
  await Promise.all(
    paths.map(async (path) => {
      states.set(path, await fileState(path));
      hashed++;
      options.onProgress?.({ hashed, total: paths.length });
    }),
  );

  for (const path of paths) {
    const state = states.get(path) as FileState;
    const producer = current.get(path);
    if ("unreadable" in state) {
      const by = producer ?? consumers.get(path)?.[0];
      findings.push({
        kind: "unreadable",
        severity: "error",
        path,
        message: `cannot be checked: ${state.unreadable}`,
        ...(by ? { recordId: by.record.id, module: label(by.record) } : {}),
      });
      continue;
    }
    if (producer) {
      const about = `${label(producer.record)} (record ${short(producer.record.id)})`;
      if ("missing" in state) {
        findings.push({
          kind: "missing",
          severity: "error",
          path,
          recordId: producer.record.id,
          module: label(producer.record),
          recorded: producer.sha256,
          message: `output of ${about} is gone`,
        });
        continue;
      }
      if (state.hash !== producer.sha256) {
        findings.push({
          kind: "modified",
          severity: "error",
          path,
          recordId: producer.record.id,
          module: label(producer.record),
          recorded: producer.sha256,
          actual: state.hash,
          message:
            `changed since ${about} wrote it: ` +
            `recorded sha256 ${short(producer.sha256)}, now ${short(state.hash)}`,
        });
      }
    }
    const users = (consumers.get(path) ?? []).filter(
      (listing) => listing.record !== producer?.record,
    );
    if ("missing" in state) {
      if (!producer && users.length > 0) {
        const first = users[0] as Listing;
        const others = users.length > 1 ? ` and ${users.length - 1} more` : "";
        findings.push({
          kind: "missing",
          severity: "warning",
          path,
          recordId: first.record.id,
          module: label(first.record),
          recorded: first.sha256,
          message: `input of ${label(first.record)} (record ${short(first.record.id)})${others} is gone`,
        });
      }
      continue;
    }
    for (const user of users) {
      if (user.sha256 === state.hash) continue;
      // Already reported: the file no longer matches the producer that this user consumed.
      if (producer && producer.sha256 === user.sha256) continue;
      findings.push({
        kind: "modified",
        severity: "warning",
        path,
        recordId: user.record.id,
        module: label(user.record),
        recorded: user.sha256,
        actual: state.hash,
        message:
          `changed since ${label(user.record)} (record ${short(user.record.id)}) used it, ` +
          `so its outputs are stale: recorded sha256 ${short(user.sha256)}, now ${short(state.hash)}`,
      });
    }
  }

  // Files in proc/ and stage/ that no successful record lists as an output.
  const failedOutputs = new Map<string, LocatedRecord>();
  for (const record of failed) {
    for (const file of recordedFiles(record.outputs)) {
      failedOutputs.set(locatePath(record, file), record);
    }
  }
  for (const file of read.allFiles) {
    const rel = relative(session, file).split(sep);
    if (!OUTPUT_FOLDERS.includes(rel[0] ?? "") || rel.length < 2) continue;
    if (file.endsWith(".prov") || rel.some(isHidden) || producers.has(file)) continue;
    // A link to a recorded output (staging's session-target, subject-target) is recorded too.
    const target = linkTarget(file);
    if (target !== undefined && producers.has(target)) continue;
    const failedRun = failedOutputs.get(file);
    findings.push({
      kind: "unrecorded",
      severity: "warning",
      path: file,
      message: failedRun
        ? `no record lists it as an output; a failed run of ${label(failedRun)} (record ${short(failedRun.id)}) left it`
        : "no record lists it as an output",
      ...(failedRun ? { recordId: failedRun.id, module: label(failedRun) } : {}),
    });
  }

  const order = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);
  findings.sort(
    (a, b) => order(a.path, b.path) || order(a.kind, b.kind) || (a.line ?? 0) - (b.line ?? 0),
  );
  return { session, records: read.records.length, checkedFiles: paths.length, findings };
}
