// xnat2bids: plan the dataset from the input, refuse conflicts before writing anything, put
// the files in place, then check the result against the BIDS rules.
import { realpathSync } from "node:fs";
import { basename, dirname, isAbsolute, join, relative, resolve, sep } from "node:path";
import { compareCodePoints } from "@radifox/naming";
import { type ApplyResult, applyFiles, type FileAction, type LinkMode } from "./apply.js";
import { BIDS_DATATYPES } from "./bids/rules.js";
import { checkBidsDataset } from "./bids/validate.js";
import { type DatasetFile, datasetFiles } from "./dataset.js";
import { detectInput } from "./detect.js";
import { folderNames, isFolder, type Report } from "./folders.js";
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
  /** `Name` of a synthesised dataset_description.json; default the input folder's name. */
  readonly name?: string;
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
  /** 0: a dataset was written (or would be); 1: nothing usable, a conflict, or a failed write. */
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
 * Converts `input` (an XNAT session folder, a folder of sessions, or a RADIFOX study) into the
 * BIDS dataset `output`. Never throws for problems of the data: they are findings, and
 * `exitCode` says whether a dataset was made. Conflicts (two inputs for one name, a subject
 * with and without sessions) and an output inside the input stop it before anything is
 * written.
 */
export async function xnat2bids(
  input: string,
  output: string,
  options: Xnat2BidsOptions = {},
): Promise<Xnat2BidsResult> {
  const link = options.link ?? "hard";
  const dryRun = options.dryRun ?? false;
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
  const subjects = [...new Set(plan.files.map((f) => f.subject))];
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
  conflicts(plan, outputPath, report);
  const dataset = datasetFiles(
    {
      output: outputPath,
      input: kind,
      subjects,
      descriptions: plan.descriptions,
      name: options.name ?? basename(inputPath),
    },
    report,
  ).filter((d) => options.recommended !== false || d.target === "dataset_description.json");
  const rows = rowsOf(plan, dataset);
  const base = { rows, skipped: plan.skipped, subjects };
  if (findings.some((f) => f.severity === "error" && BLOCKING.has(f.code))) {
    return result(kind, base, 1);
  }
  if (dryRun) return result(kind, base, 0);

  // Data first: dataset_description.json appears only once every data file is in place, so
  // a run that stops half-way never leaves what looks like a finished dataset.
  const total = plan.files.length + dataset.length;
  const applyOptions = (offset: number) => ({
    link,
    ...(options.concurrency === undefined ? {} : { concurrency: options.concurrency }),
    ...(options.onProgress === undefined
      ? {}
      : { onProgress: (done: number) => options.onProgress?.(offset + done, total) }),
  });
  const data = await applyFiles(outputPath, plan.files, applyOptions(0));
  const dataFailed = data.actions.some((a) => a.action === "failed");
  const written = dataFailed
    ? { actions: [], findings: [] }
    : await applyFiles(
        outputPath,
        dataset.filter((d) => d.content !== undefined),
        applyOptions(plan.files.length),
      );
  const applied: ApplyResult = {
    actions: [...data.actions, ...written.actions],
    findings: [...data.findings, ...written.findings],
  };
  findings.push(...applied.findings);
  if (options.check !== false) findings.push(...checkBidsDataset(outputPath).findings);
  const failed = applied.actions.some((a) => a.action === "failed");
  return result(kind, { ...base, actions: applied.actions }, failed ? 1 : 0);
}

/** Findings that stop the conversion before anything is written. */
const BLOCKING = new Set(["DUPLICATE_TARGET", "MIXED_SESSIONS", "DUPLICATE_LABEL"]);
