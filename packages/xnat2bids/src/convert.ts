// xnat2bids: plan the dataset from the input, refuse conflicts before writing anything, put
// the files in place, then check the result against the BIDS rules.
import { realpathSync } from "node:fs";
import { mkdir, rm, writeFile } from "node:fs/promises";
import { basename, dirname, join, resolve } from "node:path";
import { compareCodePoints } from "@radifox/naming";
import { FileLockError } from "@radifox/nifti";
import {
  type ApplyResult,
  applyFiles,
  checkConcurrency,
  type FileAction,
  type LinkMode,
  leftoversFinding,
  removeLeftovers,
} from "./apply.js";
import { BIDS_DATATYPES } from "./bids/rules.js";
import { checkBidsDataset } from "./bids/validate.js";
import { startCheckpoints } from "./checkpoint.js";
import { type DatasetFile, datasetFiles } from "./dataset.js";
import { detectInput } from "./detect.js";
import { convertedScopes, keepEarlierRecords } from "./earlier-runs.js";
import { folderNames, isFolder, present, type Report } from "./folders.js";
import {
  type PlacedFiles,
  readManifest,
  STATE_FOLDER,
  UNFINISHED_FILE,
  writeManifest,
} from "./manifest.js";
import {
  isCaseInsensitive,
  isInside,
  lockedMessage,
  outputProblem,
  realPathOfMaybeMissing,
  whileHoldingOutput,
} from "./output.js";
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

/** Whether the output's `sub-<subject>` folder has session folders, data folders, or none. */
function existingLayout(output: string, subject: string): { with: boolean; without: boolean } {
  const names = folderNames(join(output, `sub-${subject}`), () => {});
  return {
    with: names.some((n) => n.startsWith("ses-")),
    without: names.some((n) => (BIDS_DATATYPES as readonly string[]).includes(n)),
  };
}

/** Pairs of planned targets that differ only in case (`acq-MPRAGE` and `acq-mprage`). */
function caseCollisions(plan: ConversionPlan): [string, string][] {
  const byFolded = new Map<string, string>();
  const pairs: [string, string][] = [];
  for (const { target } of plan.files) {
    const folded = target.toLowerCase();
    const other = byFolded.get(folded);
    if (other === undefined) byFolded.set(folded, target);
    else if (other !== target) pairs.push([other, target]);
  }
  return pairs;
}

/**
 * Two planned files with one target, and subjects with and without sessions (in the plan, or
 * the plan against what the output already holds): errors. Targets that differ only in case
 * are one file on a case-insensitive output (macOS, Windows shares): an error there, a warning
 * where the output tells them apart (`caseInsensitive` false) or is not known yet.
 */
function conflicts(
  plan: ConversionPlan,
  output: string,
  report: Report,
  caseInsensitive?: boolean,
): void {
  for (const [one, other] of caseCollisions(plan)) {
    report({
      severity: caseInsensitive ? "error" : "warning",
      code: "CASE_COLLISION",
      message: caseInsensitive
        ? `${one} and ${other} differ only in case, and this output's file system does not tell them apart: rename one`
        : `${one} and ${other} differ only in case: on a case-insensitive file system (macOS, Windows shares) they would be one file`,
      path: other,
    });
  }
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
function prepare(conversion: Conversion, report: Report, caseInsensitive?: boolean) {
  const { plan, kind, subjects, inputPath, outputPath, options } = conversion;
  conflicts(plan, outputPath, report, caseInsensitive);
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
  const unfinished = join(outputPath, UNFINISHED_FILE);
  const sweep = present(unfinished); // the last run died writing: look for its leftovers
  await writeFile(unfinished, "");
  if (sweep) {
    const leftovers = await removeLeftovers(join(outputPath, STATE_FOLDER));
    if (leftovers.length > 0) report(leftoversFinding(leftovers));
  }
  // Data first: dataset_description.json appears only once every data file is in place, so
  // a run that stops half-way never leaves what looks like a finished dataset.
  const written = dataset.filter((d) => d.content !== undefined);
  const total = plan.files.length + written.length;
  const placed: PlacedFiles = new Map();
  const checkpoints = startCheckpoints(outputPath, placedBefore, placed);
  const applyOptions = (offset: number) => ({
    link,
    placedBefore,
    placed,
    sweepLeftovers: sweep,
    ...(options.overwrite === undefined ? {} : { overwrite: options.overwrite }),
    ...(options.concurrency === undefined ? {} : { concurrency: options.concurrency }),
    ...(options.onProgress === undefined
      ? {}
      : { onProgress: (done: number) => options.onProgress?.(offset + done, total) }),
  });
  let data: ApplyResult;
  let files: Pick<ApplyResult, "actions" | "findings"> = { actions: [], findings: [] };
  try {
    data = await applyFiles(outputPath, plan.files, applyOptions(0));
    if (!data.actions.some((a) => a.action === "failed")) {
      files = await applyFiles(
        outputPath,
        written.map((d) => ({ ...d, mergesExisting: d.target === "participants.tsv" })),
        applyOptions(plan.files.length),
      );
    }
  } catch (error) {
    // Stopped from outside (a progress callback that throws): what was placed is recorded.
    await checkpoints.stop();
    await writeManifest(outputPath, new Map([...placedBefore, ...placed]));
    throw error;
  }
  await checkpoints.stop();
  for (const finding of [...data.findings, ...files.findings]) report(finding);
  const planned = new Set([...plan.files, ...dataset].map((f) => f.target));
  const scopes = convertedScopes(plan.files);
  keepEarlierRecords(outputPath, placedBefore, placed, planned, scopes, report);
  await writeManifest(outputPath, placed);
  await rm(unfinished, { force: true });
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
  const prepared = (caseInsensitive?: boolean) => {
    findings.length = beforePrepare;
    return prepare(
      { plan, kind, subjects, inputPath, outputPath, options },
      report,
      caseInsensitive,
    );
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
    return await whileHoldingOutput(outputPath, options.lockTimeoutMs, async () => {
      // Under the lock: another run may have changed the output since the look above. Names
      // that differ only in case are a conflict if the output's file system folds case.
      const state = join(outputPath, STATE_FOLDER);
      const folds = caseCollisions(plan).length > 0 && (await isCaseInsensitive(state));
      const now = prepared(folds);
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
    const timedOut = error instanceof FileLockError && error.timedOut;
    report({
      severity: "error",
      code: timedOut ? "OUTPUT_LOCKED" : "WRITE_FAILED",
      message: timedOut
        ? lockedMessage(outputPath)
        : error instanceof Error
          ? error.message
          : String(error),
      path: outputPath,
    });
    return result(kind, { ...base, rows }, 1);
  }
}

/** Findings that stop the conversion before anything is written. */
const BLOCKING = new Set([
  "DUPLICATE_TARGET",
  "MIXED_SESSIONS",
  "DUPLICATE_LABEL",
  "CASE_COLLISION",
]);
