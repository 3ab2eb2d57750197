// Runner for ../shared/conformance/radifox/stage.json: `radifox-stage` runs of the original
// RADIFOX on synthetic studies, replayed step by step on a copy of each case's input tree.
// Outcomes, removed and created paths, stage/ folders and links, logs, records (byte for byte
// in the `radifox` format, `{HASH}` masked only where the original's gzip bytes show), NIfTI
// headers and data, and the plugins' intermediate images (by recomputation) are compared.
// Two documented deviations are asserted explicitly (see `helpDeviation`, `runtimeDeviation`).
import { existsSync, readdirSync, readFileSync, readlinkSync, renameSync, rmSync } from "node:fs";
import { basename, dirname, isAbsolute, join } from "node:path";
import { compareCodePoints, FilterSyntaxError, ImageFile } from "@radifox/naming";
import {
  datatypeInfo,
  type NiftiImage,
  qformAffine,
  readImage,
  sformAffine,
  slopeInter,
} from "@radifox/nifti";
import {
  type ContainerLabels,
  type ContainerOptions,
  detectContainer,
  ProvenanceError,
} from "@radifox/provenance";
import { PNG } from "pngjs";
import { afterAll, describe, expect, it } from "vitest";
import {
  MEMPRAGEPlugin,
  MP2RAGEPlugin,
  parseStageArgs,
  type StageCommand,
  StageError,
  type StageResult,
  type StagingPlugin,
  stageSubject,
  WORK_PREFIX,
} from "../src/index.js";
import {
  CONFORMANCE,
  copyTree,
  type EntryKind,
  loadVectors,
  logLines,
  maskRecord,
  pinnedClock,
  sha256,
  splitRecords,
  tempDir,
  walk,
} from "./support.js";

// ---------------------------------------------------------------------------------------------
// The vector format (README "Common envelope", "provenance.json", "stage.json").

type Num = number | "nan" | "inf" | "-inf";

interface Pins {
  labels: ContainerLabels | null;
  fqdn: string;
  env: Record<string, string>;
  start_time: string;
  record_time: string;
}

interface Outcome {
  kind: "ok" | "exit" | "exception";
  code?: number;
  stderr_last_line?: string;
  error?: string;
  message?: string;
}

interface SessionState {
  session: string;
  stage: string[];
  "session-target": string | null;
  "subject-target": string | null;
}

interface CreatedEntry {
  type: "dir" | "file" | "log" | "record" | "symlink" | "png" | "nifti";
  text?: string;
  lines?: [string, string][];
  same_as?: string;
  target?: string;
  width?: number;
  height?: number;
  mode?: string;
}

interface HeaderSummary {
  shape: number[];
  datatype: string;
  qform_code: number;
  sform_code: number;
  qform: number[][];
  sform: number[][];
  zooms: number[];
  scl_slope: Num;
  scl_inter: Num;
  fdata: { sum: Num; min: Num; max: Num; mean: Num };
  data_equals?: string | null;
}

interface PluginOutput {
  kind: "memprage_sum" | "mp2rage_uniden";
  inputs: string[];
  output: string;
  summary: HeaderSummary & { fdata_values_c_order: Num[] };
}

interface Expected {
  outcome: Outcome;
  warnings: string[];
  removed: string[];
  sessions: SessionState[];
  created: Record<string, CreatedEntry>;
  nifti_headers: Record<string, HeaderSummary>;
  plugin_outputs: PluginOutput[];
}

interface Step {
  before?: { op: string; from: string; to: string }[];
  pins?: Partial<Pins>;
  args: string[];
  expected: Expected;
}

interface Case {
  id: string;
  kind: string;
  note: string;
  input: { data_dir: string };
  steps: Step[];
}

interface Vectors {
  environment?: { radifox_version?: string };
  pins: Pins;
  cases: Case[];
}

const vectors = loadVectors<Vectors>("stage.json");
const VERSION = vectors?.environment?.radifox_version ?? "2.2.0";

const roots: string[] = [];
afterAll(() => {
  for (const root of roots) rmSync(root, { recursive: true, force: true });
});

// ---------------------------------------------------------------------------------------------
// Helpers.

function num(value: Num): number {
  if (value === "nan") return Number.NaN;
  if (value === "inf") return Number.POSITIVE_INFINITY;
  if (value === "-inf") return Number.NEGATIVE_INFINITY;
  return value;
}

const sortCodePoints = (items: readonly string[]) => [...items].sort(compareCodePoints);

/** `{TMP}` in a vector string -> the case root. */
const unmask = (text: string, root: string) => text.split("{TMP}").join(root);
const mask = (text: string, root: string) => text.split(root).join("{TMP}");

/** Within `tol` relative to `want` (NaN equals NaN, infinities must be equal). */
function near(ours: number, want: number, tol: number, absolute = 0): boolean {
  if (Number.isNaN(want)) return Number.isNaN(ours);
  if (!Number.isFinite(want)) return ours === want;
  return Math.abs(ours - want) <= tol * Math.abs(want) + absolute;
}

function expectNear(ours: number, want: number, tol: number, what: string, absolute = 0): void {
  expect(near(ours, want, tol, absolute), `${what}: ${ours} vs ${want}`).toBe(true);
}

function expectMatrixNear(ours: number[][], want: number[][], tol: number, what: string): void {
  expect(ours.length, `${what} rows`).toBe(want.length);
  want.forEach((row, i) => {
    expect(ours[i]?.length, `${what} row ${i}`).toBe(row.length);
    row.forEach((value, j) => {
      expectNear(ours[i]?.[j] as number, value, 0, `${what}[${i}][${j}]`, tol);
    });
  });
}

/** numpy C-order values (last axis fastest) in NIfTI order (first axis fastest). */
function fortranOrder(values: readonly Num[], shape: readonly number[]): Float64Array {
  const total = shape.reduce((a, b) => a * b, 1);
  expect(values.length, "fdata_values_c_order length").toBe(total);
  const out = new Float64Array(total);
  const index = shape.map(() => 0);
  for (let f = 0; f < total; f++) {
    let c = 0;
    for (let k = 0; k < shape.length; k++) c = c * (shape[k] as number) + (index[k] as number);
    out[f] = num(values[c] as Num);
    for (let k = 0; k < shape.length; k++) {
      index[k] = (index[k] as number) + 1;
      if ((index[k] as number) < (shape[k] as number)) break;
      index[k] = 0;
    }
  }
  return out;
}

function expectValuesNear(
  ours: ArrayLike<number>,
  want: Float64Array,
  tol: number,
  what: string,
): void {
  expect(ours.length, `${what}: voxel count`).toBe(want.length);
  let worst = -1;
  let worstAt = -1;
  for (let i = 0; i < want.length; i++) {
    const diff = Math.abs((ours[i] as number) - (want[i] as number));
    if (!(diff <= worst) || Number.isNaN(diff)) {
      worst = Number.isNaN(diff) ? Number.POSITIVE_INFINITY : diff;
      worstAt = i;
    }
  }
  expect(
    worst <= tol,
    `${what}: largest difference ${worst} (> ${tol}) at voxel ${worstAt}: ${ours[worstAt]} vs ${want[worstAt]}`,
  ).toBe(true);
}

function pngMode(colorType: number): string {
  return (
    ({ 0: "L", 2: "RGB", 3: "P", 4: "LA", 6: "RGBA" } as Record<number, string>)[colorType] ?? "?"
  );
}

/** Every stage/ folder of the tree, as the vectors' `sessions` describe them. */
function sessionStates(root: string, tree: Map<string, EntryKind>): SessionState[] {
  const states: SessionState[] = [];
  for (const [rel, kind] of tree) {
    if (kind !== "dir" || basename(rel) !== "stage") continue;
    const link = (name: string) =>
      tree.get(`${rel}/${name}`) === "symlink" ? readlinkSync(join(root, rel, name)) : null;
    states.push({
      session: dirname(rel),
      stage: sortCodePoints(readdirSync(join(root, rel))),
      "session-target": link("session-target"),
      "subject-target": link("subject-target"),
    });
  }
  return states.sort((a, b) => compareCodePoints(a.session, b.session));
}

const sortSessions = (states: readonly SessionState[]) =>
  [...states]
    .map((state) => ({ ...state, stage: sortCodePoints(state.stage) }))
    .sort((a, b) => compareCodePoints(a.session, b.session));

/** Compares log lines; `errorLine` decides about lines the deviation lets differ. */
function expectLog(
  rel: string,
  ours: [string, string][],
  want: [string, string][],
  errorLine?: (ours: [string, string], want: [string, string]) => boolean,
): void {
  if (errorLine) {
    expect(ours.length, `${rel}: line count\n${JSON.stringify(ours, null, 1)}`).toBe(want.length);
    want.forEach((line, i) => {
      const mine = ours[i] as [string, string];
      if (errorLine(mine, line)) return;
      expect(mine, `${rel} line ${i}`).toEqual(line);
    });
  } else {
    expect(ours, rel).toEqual(want);
  }
}

/**
 * A record file of this step: every Id is sha256 of its body (our own unmasked text), the text
 * equals the vector's after masking `{TMP}`, `{ID}` and, on lines where the vector has `{HASH}`,
 * our digest; every file digest in it is the digest of that file as it is now.
 */
function expectRecord(rel: string, text: string, want: string, root: string): void {
  const records = splitRecords(text);
  expect(records.length, `${rel}: records`).toBeGreaterThan(0);
  for (const { id, body } of records) {
    expect(sha256(body), `${rel}: Id = sha256(body)`).toBe(id);
    const projectRoot = /^ProjectRoot: (.*)$/m.exec(body)?.[1] as string;
    for (const match of body.matchAll(/^(?: {2}\w+: | {4}- )(.+):sha256:([0-9a-f]{64})$/gm)) {
      const file = match[1] as string;
      const path = isAbsolute(file) ? file : join(projectRoot, file);
      expect(sha256(readFileSync(path)), `${rel}: digest of ${file}`).toBe(match[2]);
    }
  }
  const wantLines = want.split("\n");
  const ours = maskRecord(text, root)
    .split("\n")
    .map((line, i) =>
      wantLines[i]?.includes("{HASH}")
        ? line.replace(/sha256:[0-9a-f]{64}/g, "sha256:{HASH}")
        : line,
    )
    .join("\n");
  expect(ours, rel).toBe(want);
}

function dataBytes(image: NiftiImage): Buffer {
  return Buffer.from(image.data.buffer, image.data.byteOffset, image.data.byteLength);
}

/** A NIfTI image against a header summary (`nifti_headers` entry or plugin `summary`). */
async function expectHeader(
  what: string,
  image: NiftiImage,
  want: HeaderSummary,
  root: string,
): Promise<void> {
  const header = image.header;
  const ndim = header.dim[0] as number;
  expect(header.dim.slice(1, ndim + 1), `${what} shape`).toEqual(want.shape);
  expect(datatypeInfo(header.datatype).name, `${what} datatype`).toBe(want.datatype);
  expect(header.qformCode, `${what} qform_code`).toBe(want.qform_code);
  expect(header.sformCode, `${what} sform_code`).toBe(want.sform_code);
  expectMatrixNear(qformAffine(header), want.qform, 1e-6, `${what} qform`);
  expectMatrixNear(sformAffine(header), want.sform, 1e-6, `${what} sform`);
  const zooms = header.pixdim.slice(1, ndim + 1);
  expect(zooms.length, `${what} zooms`).toBe(want.zooms.length);
  want.zooms.forEach((zoom, i) => {
    expectNear(zooms[i] as number, zoom, 0, `${what} zoom ${i}`, 1e-6);
  });
  const [slope, inter] = slopeInter(header) ?? [1, 0];
  expectNear(slope, num(want.scl_slope), 1e-6, `${what} scl_slope`);
  expectNear(inter, num(want.scl_inter), 1e-6, `${what} scl_inter`, 1e-12);
  const values = image.getFloatData("float64");
  let sum = 0;
  let min = Number.POSITIVE_INFINITY;
  let max = Number.NEGATIVE_INFINITY;
  for (const v of values) {
    sum += v;
    if (v < min) min = v;
    if (v > max) max = v;
  }
  const stats = { sum, min, max, mean: sum / values.length };
  for (const key of ["sum", "min", "max", "mean"] as const) {
    expectNear(stats[key], num(want.fdata[key]), 1e-6, `${what} fdata ${key}`, 1e-12);
  }
  if (want.data_equals) {
    const source = await readImage(join(root, want.data_equals));
    expect(datatypeInfo(source.header.datatype).name, `${what} data_equals datatype`).toBe(
      datatypeInfo(header.datatype).name,
    );
    expect(
      dataBytes(image).equals(dataBytes(source)),
      `${what}: data identical to ${want.data_equals}`,
    ).toBe(true);
  }
}

// ---------------------------------------------------------------------------------------------
// Running one step.

interface StepRun {
  command?: StageCommand;
  result?: StageResult;
  error?: unknown;
  warnings: string[];
  /** The container options the step ran with. */
  container: ContainerOptions;
  before: Map<string, EntryKind>;
  after: Map<string, EntryKind>;
}

async function runStep(root: string, step: Step, pins: Pins): Promise<StepRun> {
  for (const op of step.before ?? []) {
    if (op.op !== "move") throw new Error(`unknown before op ${op.op}`);
    renameSync(join(root, op.from), join(root, op.to));
  }
  const before = walk(root);
  const stepPins: Pins = { ...pins, ...(step.pins ?? {}) };
  const warnings: string[] = [];
  const container: ContainerOptions =
    stepPins.labels === null
      ? { labelsFile: join(root, ".no-such-labels.json"), env: {}, require: true }
      : { labels: stepPins.labels, env: {}, require: true };
  const run: StepRun = { warnings, container, before, after: before };
  try {
    run.command = parseStageArgs(step.args, { cwd: root, dialect: "radifox" });
    if (!run.command.help) {
      // The vectors use the original's MEMPRAGE grouping (by study number).
      run.command.options.grouping = "study";
      run.result = await stageSubject(run.command.options, {
        command: step.args,
        version: VERSION,
        recordFormat: "radifox",
        qa: { blend: "all" },
        now: pinnedClock(stepPins.start_time, stepPins.record_time),
        fqdn: stepPins.fqdn,
        env: stepPins.env,
        durable: false,
        onWarning: (message) => warnings.push(message),
        container,
      });
    }
  } catch (error) {
    run.error = error;
  }
  run.after = walk(root);
  return run;
}

/** Paths of `after` not in `before`, and the reverse. */
function differences(run: StepRun): { created: string[]; removed: string[] } {
  return {
    created: [...run.after.keys()].filter((rel) => !run.before.has(rel)),
    removed: [...run.before.keys()].filter((rel) => !run.after.has(rel)),
  };
}

/** No private work folder of ours is left anywhere. */
function expectNoWorkFolders(run: StepRun): void {
  const leftovers = [...run.after.keys()].filter((rel) => basename(rel).startsWith(WORK_PREFIX));
  expect(leftovers, "leftover work folders").toEqual([]);
}

/** Created paths, types and contents (records, logs, links, PNGs, NIfTIs) and NIfTI headers. */
async function expectCreated(
  root: string,
  run: StepRun,
  expected: Pick<Expected, "created" | "nifti_headers">,
  options: { errorLine?: (ours: [string, string], want: [string, string]) => boolean } = {},
): Promise<void> {
  const { created } = differences(run);
  expect(created, "created paths").toEqual(sortCodePoints(Object.keys(expected.created)));
  for (const [rel, want] of Object.entries(expected.created)) {
    const path = join(root, rel);
    const kind = run.after.get(rel);
    switch (want.type) {
      case "dir":
        expect(kind, `${rel} is a folder`).toBe("dir");
        break;
      case "symlink":
        expect(kind, `${rel} is a symlink`).toBe("symlink");
        expect(readlinkSync(path), `${rel} link text`).toBe(want.target);
        break;
      case "file":
        expect(kind, `${rel} is a file`).toBe("file");
        expect(readFileSync(path, "utf8"), rel).toBe(want.text);
        break;
      case "log":
        expect(kind, `${rel} is a file`).toBe("file");
        expectLog(
          rel,
          logLines(readFileSync(path, "utf8")).map(([level, message]) => [
            level,
            mask(message, root),
          ]),
          want.lines ?? [],
          options.errorLine,
        );
        break;
      case "record":
        expect(kind, `${rel} is a file`).toBe("file");
        if (want.same_as !== undefined) {
          expect(readFileSync(path, "utf8"), `${rel} = ${want.same_as}`).toBe(
            readFileSync(join(root, want.same_as), "utf8"),
          );
        } else {
          expectRecord(rel, readFileSync(path, "utf8"), want.text as string, root);
        }
        break;
      case "png": {
        expect(kind, `${rel} is a file`).toBe("file");
        const png = PNG.sync.read(readFileSync(path));
        expect(
          { width: png.width, height: png.height, mode: pngMode(png.colorType) },
          `${rel} size and mode`,
        ).toEqual({ width: want.width, height: want.height, mode: want.mode });
        break;
      }
      case "nifti": {
        expect(kind, `${rel} is a file`).toBe("file");
        const header = expected.nifti_headers[rel];
        expect(header, `${rel}: nifti_headers entry`).toBeDefined();
        break;
      }
      default:
        throw new Error(`${rel}: unknown created type ${(want as CreatedEntry).type}`);
    }
  }
  for (const [rel, want] of Object.entries(expected.nifti_headers)) {
    await expectHeader(rel, await readImage(join(root, rel)), want, root);
  }
}

/**
 * The plugins' intermediates (which the original writes and deletes; ours may never write
 * them): recomputed from the listed inputs, made again by our plugin from those inputs, and
 * compared through the staged `_hdrfix` copy when it was staged.
 */
async function expectPluginOutputs(root: string, outputs: readonly PluginOutput[]): Promise<void> {
  for (const output of outputs) {
    const what = `${output.kind} ${output.output}`;
    const summary = output.summary;
    // The quantisation step: nibabel's scale factor when it stored the floats as integers.
    const slope = /^u?int/.test(summary.datatype) ? num(summary.scl_slope) : 0;
    const want = fortranOrder(summary.fdata_values_c_order, summary.shape);
    const inputs = output.inputs.map((rel) => new ImageFile(join(root, rel)));
    let recomputeTol: number;
    let storedTol: number;
    if (output.kind === "memprage_sum") {
      recomputeTol = Math.max(slope, 1e-4);
      storedTol = slope + 1e-4;
      // Python's sum() of get_fdata(float32) in the listed order: float32 additions.
      let sum: Float32Array | undefined;
      for (const input of inputs) {
        const values = (await readImage(input.path)).getFloatData("float32");
        if (sum === undefined) sum = Float32Array.from(values);
        else
          for (let i = 0; i < sum.length; i++) sum[i] = (sum[i] as number) + (values[i] as number);
      }
      expectValuesNear(sum ?? new Float32Array(0), want, recomputeTol, `${what}: float32 sum`);
    } else if (output.kind === "mp2rage_uniden") {
      storedTol = Math.max(slope, 1e-5) * 1.5 + 1e-6;
    } else {
      throw new Error(`unknown plugin output kind ${(output as PluginOutput).kind}`);
    }
    // Our plugin on the same group: same output name, same header, values within tolerance.
    const plugin: StagingPlugin = output.kind === "memprage_sum" ? MEMPRAGEPlugin : MP2RAGEPlugin;
    const made = new Map<string, NiftiImage>();
    const problems: string[] = [];
    const result = await plugin.run(inputs, {
      stageDir: join(root, dirname(output.output)),
      grouping: "study",
      log: { info: () => {}, warning: (message) => problems.push(message) },
      writeImage(path, image) {
        made.set(path, image);
        return path;
      },
    });
    expect(problems, `${what}: plugin warnings`).toEqual([]);
    expect(
      result.map((image) => image.path),
      `${what}: plugin output`,
    ).toEqual([join(root, output.output)]);
    const image = made.get(join(root, output.output)) as NiftiImage;
    expect(image, `${what}: image handed over`).toBeDefined();
    await expectHeader(`${what} (our plugin)`, image, summary, root);
    expectValuesNear(
      image.getFloatData("float64"),
      want,
      storedTol,
      `${what}: our plugin's values`,
    );
    const stem = basename(output.output).split(".")[0] as string;
    const hdrfix = join(root, dirname(output.output), `${stem}_hdrfix.nii.gz`);
    if (existsSync(hdrfix)) {
      const staged = await readImage(hdrfix);
      expectValuesNear(
        staged.getFloatData("float64"),
        want,
        storedTol,
        `${what}: staged ${stem}_hdrfix`,
      );
    }
  }
}

// ---------------------------------------------------------------------------------------------
// Outcomes.

const ORIGINAL_EXITS = new Set([
  "E_STAGE_USAGE",
  "E_STAGE_NO_SUBJECT",
  "E_STAGE_NO_IMAGES",
  "E_STAGE_ALREADY_STAGED",
]);
const CONTAINER_MESSAGES = new Set([
  "Container labels not found. Running outside of container?",
  "Container is missing required labels.",
]);
const RUN_ERROR_PREFIX = "An error occurred during processing: ";

const isHelp = (args: readonly string[]) => args.includes("-h") || args.includes("--help");

function hasRunError(expected: Expected): boolean {
  return Object.values(expected.created).some((entry) =>
    entry.lines?.some(([, message]) => message.startsWith(RUN_ERROR_PREFIX)),
  );
}

function isContainerError(outcome: Outcome): boolean {
  return outcome.kind === "exception" && CONTAINER_MESSAGES.has(outcome.message ?? "");
}

async function expectContainerRejects(run: StepRun, outcome: Outcome): Promise<void> {
  await expect(detectContainer(run.container), "our container check").rejects.toThrow(
    new ProvenanceError("E_PROV_CONTAINER", outcome.message as string),
  );
}

function expectUnchanged(run: StepRun): void {
  const { created, removed } = differences(run);
  expect({ created, removed }, "nothing written or removed").toEqual({ created: [], removed: [] });
}

async function expectOk(root: string, run: StepRun, expected: Expected): Promise<void> {
  if (run.error) throw run.error;
  const result = run.result as StageResult;
  expect(result, "stageSubject ran").toBeDefined();
  expect(result.warnings, "warnings").toEqual(expected.warnings);
  expect(run.warnings, "warnings reported before the run").toEqual(expected.warnings);
  expect(differences(run).removed, "removed").toEqual(sortCodePoints(expected.removed));
  expect(sessionStates(root, run.after), "sessions").toEqual(sortSessions(expected.sessions));
  expectNoWorkFolders(run);
  await expectCreated(root, run, expected);
  await expectPluginOutputs(root, expected.plugin_outputs);
}

/** Errors the original raises before anything is written: same message, nothing changed. */
function expectEarlyError(root: string, run: StepRun, expected: Expected): void {
  const outcome = expected.outcome;
  const error = run.error;
  if (outcome.kind === "exit") {
    expect(outcome.code, "argparse exit code").toBe(2);
    expect(error, `an argparse-type error (got ${String(error)})`).toBeInstanceOf(StageError);
    const stageError = error as StageError;
    expect(ORIGINAL_EXITS.has(stageError.code), `code ${stageError.code}`).toBe(true);
    expect(`radifox-stage: error: ${mask(stageError.message, root)}`).toBe(
      outcome.stderr_last_line,
    );
  } else if (error instanceof FilterSyntaxError) {
    expect(error.pythonError, "the original's uncaught exception").toEqual({
      type: outcome.error,
      message: outcome.message,
    });
  } else if (error instanceof ProvenanceError) {
    expect(error.code).toBe("E_PROV_CONTAINER");
    expect(outcome.error).toBe("ValueError");
    expect(error.message).toBe(outcome.message);
  } else {
    throw error ?? new Error(`expected ${JSON.stringify(outcome)}, but the step succeeded`);
  }
  expect(run.warnings, "warnings").toEqual(expected.warnings);
  expect(differences(run).removed, "removed").toEqual(sortCodePoints(expected.removed));
  expect(sessionStates(root, run.after), "sessions").toEqual(sortSessions(expected.sessions));
  expectNoWorkFolders(run);
  expect(differences(run).created, "created").toEqual(
    sortCodePoints(Object.keys(expected.created)),
  );
}

/**
 * `--help`. Inside a container the original prints the usage and exits 0, as ours does (the
 * CLI prints it). Deviation 1: the original checks the container before parsing arguments, so
 * `--help` without (complete) labels raises the container error; ours parses first, so
 * `--help` is a help request there too. Either way nothing is checked, run or written.
 */
async function helpDeviation(run: StepRun, expected: Expected): Promise<void> {
  const outcome = expected.outcome;
  const containerError = isContainerError(outcome);
  const usage = outcome.kind === "exit" && outcome.code === 0;
  expect(
    containerError || usage,
    `the original's outcome of --help: its container error or exit 0 (${JSON.stringify(outcome)})`,
  ).toBe(true);
  // Our container check, had it run, fails as the original's did.
  if (containerError) await expectContainerRejects(run, outcome);
  expect(run.error, "no error").toBeUndefined();
  expect(run.command?.help, "parsed as a help request").toBe(true);
  expect(run.result, "nothing staged").toBeUndefined();
  expect(run.warnings).toEqual([]);
  expectUnchanged(run);
}

/**
 * Deviation 1 for other arguments: where the container check fails and the arguments are bad
 * too, the original reports the container (it checks it first), ours the arguments (it checks
 * the container once the subject is found). Our container check fails as the original's does,
 * and nothing is written.
 */
async function containerOrderDeviation(run: StepRun, expected: Expected): Promise<void> {
  const error = run.error;
  expect(
    error instanceof FilterSyntaxError ||
      (error instanceof StageError && ORIGINAL_EXITS.has(error.code)),
    `an argument error (got ${String(error)})`,
  ).toBe(true);
  await expectContainerRejects(run, expected.outcome);
  expect(run.warnings, "warnings").toEqual(expected.warnings);
  expectUnchanged(run);
}

/**
 * Deviation 2: a failure inside the run (a sidecar whose image is missing). The original logs
 * it, re-raises, and leaves its half-staged `stage/` folders behind; ours stages into private
 * folders and removes them, so no session gains a `stage/` and nothing else differs: the same
 * logs (the error line names the missing file in our wording), no records.
 */
async function runtimeDeviation(root: string, run: StepRun, expected: Expected): Promise<void> {
  const outcome = expected.outcome;
  // What our message must contain: the file the original's names, else its message.
  const quoted = /'([^']+)'/.exec(outcome.message ?? "")?.[1];
  const missing = unmask(quoted ?? (outcome.message as string), root);
  expect(run.error, `a StageError (got ${String(run.error)})`).toBeInstanceOf(StageError);
  expect((run.error as StageError).message).toContain(missing);
  expect(run.warnings, "warnings").toEqual(expected.warnings);
  expect(differences(run).removed, "removed").toEqual(sortCodePoints(expected.removed));
  // No session gains a stage/ folder (those that had one keep it as it was).
  const stagedBefore = new Set(sessionStates(root, run.before).map((state) => state.session));
  expect(sessionStates(root, run.after), "sessions").toEqual(
    sortSessions(expected.sessions.filter((state) => stagedBefore.has(state.session))),
  );
  expectNoWorkFolders(run);
  const newStage = (rel: string) =>
    /(^|\/)stage(\/|$)/.test(rel) &&
    !stagedBefore.has(rel.slice(0, rel.search(/(^|\/)stage(\/|$)/)));
  const created = Object.fromEntries(
    Object.entries(expected.created).filter(([rel]) => !newStage(rel)),
  );
  const headers = Object.fromEntries(
    Object.entries(expected.nifti_headers).filter(([rel]) => !newStage(rel)),
  );
  for (const rel of Object.keys(expected.nifti_headers)) {
    if (newStage(rel)) expect(existsSync(join(root, rel)), `${rel} removed again`).toBe(false);
  }
  expect(
    differences(run).created.filter(
      (rel) => rel.endsWith("Provenance.yml") || rel.endsWith(".prov"),
    ),
    "no records",
  ).toEqual([]);
  let errorLines = 0;
  await expectCreated(
    root,
    run,
    { created, nifti_headers: headers },
    {
      errorLine: (ours, want) => {
        if (!want[1].startsWith(RUN_ERROR_PREFIX)) return false;
        expect(ours[0], "error line level").toBe("ERROR");
        expect(ours[1].startsWith(RUN_ERROR_PREFIX), `error line: ${ours[1]}`).toBe(true);
        expect(unmask(ours[1], root), "error line names the cause").toContain(missing);
        errorLines++;
        return true;
      },
    },
  );
  expect(errorLines, "error lines checked").toBeGreaterThan(0);
}

// ---------------------------------------------------------------------------------------------
// The cases.

const cases = vectors?.cases ?? [];

describe.each(cases.map((c) => [c.id, c] as const))("stage vectors: %s", (_id, c) => {
  let root: string | undefined;
  let broken: string | undefined;

  it.each(c.steps.map((step, i) => [i + 1, step.args.join(" "), step] as const))(
    "step %i: %s",
    async (index, _args, step) => {
      expect(c.kind, "case kind").toBe("stage_run");
      if (broken)
        throw new Error(`an earlier step failed (${broken}); the tree is not as expected`);
      if (root === undefined) {
        root = tempDir("stage-vector-");
        roots.push(root);
        copyTree(join(CONFORMANCE, c.input.data_dir), root);
      }
      const pins = (vectors as Vectors).pins;
      const run = await runStep(root, step, pins);
      const expected = step.expected;
      // Later steps are meaningful only if this one ended as the original's did (a comparison
      // failing below does not change the tree the next step starts from).
      const failed = run.error !== undefined || run.command?.help === true;
      if ((expected.outcome.kind === "ok") === failed) {
        broken = `step ${index}: ${run.error === undefined ? "succeeded" : String(run.error)}`;
      }
      if (expected.outcome.kind === "ok") {
        await expectOk(root, run, expected);
      } else if (run.command?.help && isHelp(step.args)) {
        await helpDeviation(run, expected);
      } else if (
        isContainerError(expected.outcome) &&
        !(run.error instanceof ProvenanceError) &&
        run.error !== undefined
      ) {
        await containerOrderDeviation(run, expected);
      } else if (expected.outcome.kind === "exception" && hasRunError(expected)) {
        await runtimeDeviation(root, run, expected);
      } else {
        expectEarlyError(root, run, expected);
      }
    },
  );
});

describe("stage vectors", () => {
  it("has cases", () => {
    if (vectors) expect(cases.length).toBeGreaterThan(0);
  });
});
