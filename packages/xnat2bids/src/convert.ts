// xnat2bids: plan the dataset from the input, refuse conflicts before writing anything, put
// the files in place, then check the result against the BIDS rules.
import { lstatSync, readdirSync, realpathSync } from "node:fs";
import { mkdir, utimes } from "node:fs/promises";
import { basename, dirname, isAbsolute, join, relative, resolve, sep } from "node:path";
import { compareCodePoints } from "@radifox/naming";
import { ProvenanceError, withFileLock } from "@radifox/provenance";
import { applyFiles, checkConcurrency, type FileAction, type LinkMode } from "./apply.js";
import { BIDS_DATATYPES } from "./bids/rules.js";
import { checkBidsDataset } from "./bids/validate.js";
import { type DatasetFile, datasetFiles } from "./dataset.js";
import { detectInput } from "./detect.js";
import { folderNames, isFolder, type Report } from "./folders.js";
import {
  MANIFEST_FILE,
  type PlacedFiles,
  readManifest,
  STATE_FOLDER,
  writeManifest,
} from "./manifest.js";
import type { ConversionPlan, Finding, InputKind } from "./plan.js";
import type { RadifoxMappingOverrides } from "./radifox/mapping.js";
import { planRadifoxStudy } from "./radifox/source.js";
import { planXnatInput } from "./xnat/source.js";

export interface Xnat2BidsOptions {
  /** `hard` (default; copies where hard links are impossible), `sym` or `copy`. */
  readonly link?: LinkMode;
  /** Plan and report only; write nothing. */
  readonly dryRun?: boolean;
  /** What the input is; detected by default. */
  readonly input?: InputKind;
  /** Changes to the RADIFOX -> BIDS mapping table (RADIFOX input only). */
  readonly mapping?: RadifoxMappingOverrides;
  /**
   * `Name` of a synthesised dataset_description.json; default the XNAT project when the input
   * lies in `<project>/arc001/`, else the input folder's name.
   */
  readonly name?: string;
  /**
   * Replace files in the output that differ from what this conversion makes even when no
   * earlier run left them there (edited by hand, or from another tool); default false: they
   * are kept, with an `EXISTING_DIFFERS` error.
   */
  readonly overwrite?: boolean;
  /** How long to wait for another run into the same output; default 30 minutes. */
  readonly lockTimeoutMs?: number;
  /** Also write participants.tsv, participants.json and README when missing; default true. */
  readonly recommended?: boolean;
  /** Check the result against the BIDS rules after writing; default true. */
  readonly check?: boolean;
  /** File operations in flight at once; default 16. */
  readonly concurrency?: number;
  readonly onProgress?: (done: number, total: number) => void;
}

/** One row of the mapping table: an output file and where it comes from. */
export interface MappingRow {
  readonly target: string;
  /** The input file; absent for written content. */
  readonly source?: string;
  /** `link` (per the link mode), `write` (generated or copied content) or `keep` (left as is). */
  readonly operation: "link" | "write" | "keep";
  readonly why: string;
}

export interface Xnat2BidsResult {
  readonly input: InputKind | undefined;
  readonly dryRun: boolean;
  readonly link: LinkMode;
  /** Every output file, in target order. */
  readonly rows: readonly MappingRow[];
  /** Every input left out, with the reason. */
  readonly skipped: ConversionPlan["skipped"];
  /** What happened to each file (empty in a dry run or when nothing was written). */
  readonly actions: readonly FileAction[];
  /** Findings of planning, writing and the check, in that order. */
  readonly findings: readonly Finding[];
  /** Subjects of the dataset (labels without `sub-`). */
  readonly subjects: readonly string[];
  /**
   * 0: a dataset was written (or would be); 1: nothing usable, a conflict (also a differing
   * file kept in the output), or a failed write.
   */
  readonly exitCode: 0 | 1;
}

/** Whether `inner` is `outer` or inside it (both absolute, links resolved where they exist). */
function isInside(inner: string, outer: string): boolean {
  const rel = relative(outer, inner);
  return rel === "" || !(rel === ".." || rel.startsWith(`..${sep}`) || isAbsolute(rel));
}

/** The real path of `path`, or of its nearest existing ancestor joined with the rest. */
function realPathOfMaybeMissing(path: string): string {
  try {
    return realpathSync(path);
  } catch {
    const parent = dirname(path);
    return parent === path ? path : resolve(realPathOfMaybeMissing(parent), basename(path));
  }
}

/** Whether the output's `sub-<subject>` folder has session folders, data folders, or none. */
function existingLayout(output: string, subject: string): { with: boolean; without: boolean } {
  const names = folderNames(join(output, `sub-${subject}`), () => {});
  return {
    with: names.some((n) => n.startsWith("ses-")),
    without: names.some((n) => (BIDS_DATATYPES as readonly string[]).includes(n)),
  };
}

/**
 * Two planned files with one target, and subjects with and without sessions (in the plan, or
 * the plan against what the output already holds): errors.
 */
function conflicts(plan: ConversionPlan, output: string, report: Report): void {
  const byTarget = new Map<string, string>();
  for (const file of plan.files) {
    const other = byTarget.get(file.target);
    if (other !== undefined) {
      report({
        severity: "error",
        code: "DUPLICATE_TARGET",
        message: `two inputs map to ${file.target}: ${other} and ${file.source ?? "(generated)"}`,
        path: file.target,
      });
    } else byTarget.set(file.target, file.source ?? "(generated)");
  }
  const sessions = new Map<string, { with: boolean; without: boolean }>();
  for (const file of plan.files) {
    const seen = sessions.get(file.subject) ?? existingLayout(output, file.subject);
    if (file.session === undefined) seen.without = true;
    else seen.with = true;
    sessions.set(file.subject, seen);
  }
  for (const [subject, seen] of sessions) {
    if (seen.with && seen.without) {
      report({
        severity: "error",
        code: "MIXED_SESSIONS",
        message: `sub-${subject} would have files with and without a ses- entity (counting those already in the output); BIDS needs one or the other`,
        path: `sub-${subject}`,
      });
    }
  }
}

function planFor(input: string, kind: InputKind, options: Xnat2BidsOptions): ConversionPlan {
  return kind === "radifox"
    ? planRadifoxStudy(input, options.mapping ? { mapping: options.mapping } : {})
    : planXnatInput(input, kind);
}

function rowsOf(plan: ConversionPlan, dataset: readonly DatasetFile[]): MappingRow[] {
  const rows: MappingRow[] = [
    ...dataset.map((d) => ({
      target: d.target,
      operation: d.content === undefined ? ("keep" as const) : ("write" as const),
      why: d.why,
    })),
    ...plan.files.map((f) => ({
      target: f.target,
      ...(f.source === undefined ? {} : { source: f.source }),
      operation: f.content === undefined ? ("link" as const) : ("write" as const),
      why: f.why,
    })),
  ];
  return rows.sort((a, b) => compareCodePoints(a.target, b.target));
}

/**
 * An output that is not a folder, or a folder that holds something but is neither a BIDS
 * dataset nor one of our outputs (say a home folder given by mistake): refused, so that sub-*
 * folders are not strewn into it.
 */
function outputProblem(output: string): Finding | undefined {
  let names: string[];
  try {
    names = readdirSync(output);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === "ENOENT") return undefined;
    return {
      severity: "error",
      code: "OUTPUT_NOT_FOLDER",
      message: `the output cannot be used as a folder (${code})`,
      path: output,
    };
  }
  const visible = names.filter((n) => !n.startsWith("."));
  if (names.includes("dataset_description.json") || names.includes(STATE_FOLDER)) return undefined;
  const foreign = visible.filter((name) => !BIDS_ROOT_ENTRY.test(name));
  if (foreign.length === 0) return undefined;
  return {
    severity: "error",
    code: "OUTPUT_NOT_DATASET",
    message: `the output folder holds what a BIDS dataset does not (${foreign.slice(0, 3).join(", ")}${foreign.length > 3 ? ", …" : ""}) and has no dataset_description.json: choose an empty or new folder, or an existing dataset`,
    path: output,
  };
}

/** Names a dataset in the making may hold at its root: BIDS's root files and folders. */
const BIDS_ROOT_ENTRY =
  /^(sub-.+|README(\.(md|rst|txt))?|CHANGES|LICENSE|CITATION\.cff|participants\.(tsv|json)|samples\.(tsv|json)|derivatives|sourcedata|code|stimuli|phenotype)$/;

/** The Name of a synthesised description: the project when the layout shows it. */
function defaultName(input: string): string {
  const parent = dirname(input);
  // <project>/arc001/<session>: XNAT's archive layout names the project.
  return /^arc\d+$/.test(basename(parent)) ? basename(dirname(parent)) : basename(input);
}

interface Conversion {
  readonly plan: ConversionPlan;
  readonly kind: InputKind;
  readonly subjects: readonly string[];
  readonly inputPath: string;
  readonly outputPath: string;
  readonly options: Xnat2BidsOptions;
}

/** What the plan makes of the output as it is now: conflicts, the dataset files, the rows. */
function prepare(conversion: Conversion, report: Report) {
  const { plan, kind, subjects, inputPath, outputPath, options } = conversion;
  conflicts(plan, outputPath, report);
  const dataset = datasetFiles(
    {
      output: outputPath,
      input: kind,
      subjects,
      descriptions: plan.descriptions,
      name: options.name ?? defaultName(inputPath),
    },
    report,
  ).filter((d) => options.recommended !== false || d.target === "dataset_description.json");
  return { dataset, rows: rowsOf(plan, dataset) };
}

const isBlocking = (findings: readonly Finding[]) =>
  findings.some((f) => f.severity === "error" && BLOCKING.has(f.code));

/**
 * Files an earlier run placed that this run does not: reported, never deleted (the scan may
 * have been removed from the archive on purpose or by mistake; the user decides). Records of
 * files that are gone are dropped.
 */
function staleFiles(
  output: string,
  before: PlacedFiles,
  placed: PlacedFiles,
  planned: ReadonlySet<string>,
  report: Report,
): void {
  for (const [target, record] of before) {
    if (planned.has(target)) continue;
    if (lstatSync(join(output, target), { throwIfNoEntry: false }) === undefined) continue;
    placed.set(target, record);
    report({
      severity: "warning",
      code: "STALE_FILE",
      message: `an earlier run placed this file${"source" in record ? ` (from ${record.source})` : ""}, but no input maps to it now: remove it if it is obsolete`,
      path: target,
    });
  }
}

/** Puts the planned files and then the dataset files in place; the manifest follows them. */
async function writeDataset(
  plan: ConversionPlan,
  dataset: readonly DatasetFile[],
  outputPath: string,
  options: Xnat2BidsOptions,
  report: Report,
): Promise<FileAction[]> {
  const link = options.link ?? "hard";
  const placedBefore = readManifest(outputPath, report);
  // Data first: dataset_description.json appears only once every data file is in place, so
  // a run that stops half-way never leaves what looks like a finished dataset.
  const written = dataset.filter((d) => d.content !== undefined);
  const total = plan.files.length + written.length;
  const applyOptions = (offset: number) => ({
    link,
    placedBefore,
    ...(options.overwrite === undefined ? {} : { overwrite: options.overwrite }),
    ...(options.concurrency === undefined ? {} : { concurrency: options.concurrency }),
    ...(options.onProgress === undefined
      ? {}
      : { onProgress: (done: number) => options.onProgress?.(offset + done, total) }),
  });
  const data = await applyFiles(outputPath, plan.files, applyOptions(0));
  const dataFailed = data.actions.some((a) => a.action === "failed");
  const files = dataFailed
    ? { actions: [], findings: [], placed: new Map() }
    : await applyFiles(
        outputPath,
        written.map((d) => ({ ...d, mergesExisting: d.target === "participants.tsv" })),
        applyOptions(plan.files.length),
      );
  for (const finding of [...data.findings, ...files.findings]) report(finding);
  const placed: PlacedFiles = new Map([...data.placed, ...files.placed]);
  const planned = new Set([...plan.files, ...dataset].map((f) => f.target));
  staleFiles(outputPath, placedBefore, placed, planned, report);
  await writeManifest(outputPath, placed);
  return [...data.actions, ...files.actions];
}

/**
 * Converts `input` (an XNAT session folder, a folder of sessions, or a RADIFOX study) into the
 * BIDS dataset `output`. Never throws for problems of the data: they are findings, and
 * `exitCode` says whether a dataset was made. Conflicts (two inputs for one name, a subject
 * with and without sessions), an output inside the input and an output folder that is not a
 * dataset stop it before anything is written. Runs into one output take turns (a lock in the
 * output's `.xnat2bids` folder).
 */
export async function xnat2bids(
  input: string,
  output: string,
  options: Xnat2BidsOptions = {},
): Promise<Xnat2BidsResult> {
  const link = options.link ?? "hard";
  const dryRun = options.dryRun ?? false;
  if (options.concurrency !== undefined) checkConcurrency(options.concurrency);
  const findings: Finding[] = [];
  const report: Report = (finding) => findings.push(finding);
  const inputPath = resolve(input);
  const outputPath = resolve(output);
  const result = (
    kind: InputKind | undefined,
    rest: Partial<Xnat2BidsResult>,
    exitCode: 0 | 1,
  ): Xnat2BidsResult => ({
    input: kind,
    dryRun,
    link,
    rows: [],
    skipped: [],
    actions: [],
    subjects: [],
    ...rest,
    findings,
    exitCode,
  });

  if (!isFolder(inputPath)) {
    report({
      severity: "error",
      code: "INPUT_NOT_FOLDER",
      message: "the input is not a folder",
      path: inputPath,
    });
    return result(undefined, {}, 1);
  }
  if (isInside(realPathOfMaybeMissing(outputPath), realpathSync(inputPath))) {
    report({
      severity: "error",
      code: "OUTPUT_INSIDE_INPUT",
      message: "the output folder is inside the input: a re-run would read its own output",
      path: outputPath,
    });
    return result(undefined, {}, 1);
  }
  const kind = options.input ?? detectInput(inputPath, report);
  if (kind === undefined) return result(undefined, {}, 1);
  const plan = planFor(inputPath, kind, options);
  findings.push(...plan.findings);
  if (plan.found === 0) {
    report({
      severity: "error",
      code: "NO_BIDS_DATA",
      message:
        kind === "radifox"
          ? "nothing to convert: the study has no images in its sessions' nii folders"
          : "nothing to convert: no scan has a BIDS sidecar (SCANS/<scan>/BIDS/*.json)",
      path: inputPath,
    });
    return result(kind, { skipped: plan.skipped }, 1);
  }
  if (plan.files.length === 0) {
    report({
      severity: "warning",
      code: "NOTHING_CONVERTED",
      message: "every input was skipped (see the reasons): the dataset holds no data files",
      path: inputPath,
    });
  }
  const refused = outputProblem(outputPath);
  if (refused) {
    report(refused);
    return result(kind, { skipped: plan.skipped }, 1);
  }
  const beforePrepare = findings.length;
  const subjects = [...new Set(plan.files.map((f) => f.subject))];
  const base = { skipped: plan.skipped, subjects };
  /** The rows and dataset files against the output as it is now (findings from scratch). */
  const prepared = () => {
    findings.length = beforePrepare;
    return prepare({ plan, kind, subjects, inputPath, outputPath, options }, report);
  };
  // Conflicts are looked for first, so that a run they stop creates nothing at all.
  if (!dryRun) conflicts(plan, outputPath, report);
  if (dryRun || isBlocking(findings)) {
    const { rows } = prepared();
    return result(kind, { ...base, rows }, isBlocking(findings) ? 1 : 0);
  }

  let rows: MappingRow[] = [];
  try {
    await mkdir(join(outputPath, STATE_FOLDER), { recursive: true });
    return await whileHoldingOutput(outputPath, options, async () => {
      // Under the lock: another run may have changed the output since the look above.
      const now = prepared();
      rows = now.rows;
      if (isBlocking(findings)) return result(kind, { ...base, rows }, 1);
      const actions = await writeDataset(plan, now.dataset, outputPath, options, report);
      if (options.check !== false) findings.push(...checkBidsDataset(outputPath).findings);
      const failed =
        actions.some((a) => a.action === "failed") ||
        findings.some((f) => f.code === "EXISTING_DIFFERS");
      return result(kind, { ...base, rows, actions }, failed ? 1 : 0);
    });
  } catch (error) {
    report({
      severity: "error",
      code: error instanceof ProvenanceError ? "OUTPUT_LOCKED" : "WRITE_FAILED",
      message: error instanceof Error ? error.message : String(error),
      path: outputPath,
    });
    return result(kind, { ...base, rows }, 1);
  }
}

/** How long a run waits for another run into the same output; default 30 minutes. */
const LOCK_TIMEOUT_MS = 30 * 60_000;
/** A lock not refreshed for this long belongs to a run that died (on another host). */
const LOCK_STALE_MS = 5 * 60_000;

/**
 * Runs `task` holding the output's lock, refreshing its time while the task runs, so that a
 * long conversion on another host is not taken for a dead one.
 */
async function whileHoldingOutput<T>(
  output: string,
  options: Xnat2BidsOptions,
  task: () => Promise<T>,
): Promise<T> {
  const manifest = join(output, MANIFEST_FILE);
  return withFileLock(
    manifest,
    async () => {
      const lockFile = `${manifest}.lock`; // withFileLock's naming
      const heartbeat = setInterval(() => {
        const now = new Date();
        utimes(lockFile, now, now).catch(() => {});
      }, LOCK_STALE_MS / 5);
      heartbeat.unref();
      try {
        return await task();
      } finally {
        clearInterval(heartbeat);
      }
    },
    { timeoutMs: options.lockTimeoutMs ?? LOCK_TIMEOUT_MS, staleMs: LOCK_STALE_MS },
  );
}

/** Findings that stop the conversion before anything is written. */
const BLOCKING = new Set(["DUPLICATE_TARGET", "MIXED_SESSIONS", "DUPLICATE_LABEL"]);
