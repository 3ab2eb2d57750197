// `ProcessingModule`: runs a module's `cli` and `run` and leaves logs, QA pictures and
// provenance records around it, in the original's order (spec 3.2), with its faults fixed: a
// run without outputs or with missing outputs fails (error exit and a failure record), a run
// that throws leaves a failure record, `null` outputs and empty lists do not crash, and running
// outside a container is recorded rather than refused.
import { mkdir, stat } from "node:fs/promises";
import { basename, dirname, isAbsolute, join, relative } from "node:path";
import { pythonStr } from "@radifox/naming";
import { type ContainerOptions, detectContainer } from "./container.js";
import { errorMessage, ProvenanceError } from "./errors.js";
import type { FileLockOptions } from "./file-lock.js";
import { warmHashPool } from "./hash-pool.js";
import { hashFile } from "./hashing.js";
import { fullyQualifiedHostName, hostFacts, userName } from "./host.js";
import { logFilesFor, type ModuleLogger, RunLog } from "./module-logs.js";
import { producerOf } from "./parents.js";
import { appendRecord, placeRecord, sessionRecordPath } from "./placement.js";
import {
  type ContainerIdentity,
  type ParameterText,
  type RecordFields,
  type RecordFile,
  type RecordFiles,
  type RecordFormat,
  type RecordParents,
  recordBody,
  recordId,
  renderRecord,
} from "./record.js";
import { formatDuration, isoSeconds } from "./time.js";
import {
  type FileValue,
  firstInputFile,
  flattenOutputs,
  isFileValue,
  isInputArg,
  type ModuleArgs,
  type OutputItem,
  type Outputs,
  Overlay,
  outputFile,
} from "./values.js";

/** What `run` receives besides the arguments. */
export interface RunContext {
  name: string;
  version: string;
  log: ModuleLogger;
}

/** What `run` returns: outputs by key, one per item in batched mode, or nothing (a failure). */
export type RunResult = Outputs | (Outputs | null)[] | null | undefined;

/** What `cli` returns: the parsed arguments, or nothing for "nothing to do". */
export type CliResult<A> = A | null | undefined;

/** A processing module: the TypeScript form of the original's `ProcessingModule` subclass. */
export interface ModuleDefinition<A extends ModuleArgs = ModuleArgs> {
  name: string;
  version: string;
  /** Parses the command line; `null`/`undefined` means "nothing to do" (e.g. `--help`). */
  cli(args: readonly string[]): CliResult<A> | Promise<CliResult<A>>;
  /** Does the work; returns outputs by key (a list of them, one per item, in batched mode). */
  run(args: A, context: RunContext): RunResult | Promise<RunResult>;
  /** Logs in `logs/<name>/<first input stem>-...` (default) or `logs/<name>-...`. */
  logUsesFilename?: boolean;
  /** Output keys that get no `.prov` file and no QA picture (they are still listed). */
  skipProvWrite?: readonly string[];
  /**
   * Batched mode (every argument a list of one length, one record per item): `"auto"` (default)
   * detects it as the original does; `true`/`false` decide.
   */
  batched?: boolean | "auto";
}

/** Options of one run (mostly for reproducible records and tests). */
export interface RunOptions {
  /** The clock: its first reading is the start time, later ones each record's creation time. */
  now?: () => Date;
  /** Environment for `USER`/`HOME` and launcher container variables (default `process.env`). */
  env?: Readonly<Record<string, string | undefined>>;
  /** The host name in `User:` (default: the fully qualified host name). */
  fqdn?: string;
  /** Where the container identity comes from, and whether a container is required. */
  container?: ContainerOptions;
  /** `extended` (default) or `radifox` (the original's text exactly; success records only). */
  recordFormat?: RecordFormat;
  /** QA pictures: `false` to skip them; `blend: "all"` dims the whole picture as the original. */
  qa?: false | { blend?: "labelled" | "all" };
  /** Each log line as written (e.g. to print it). */
  onLog?: (line: string) => void;
  /** fsync records (default true). */
  durable?: boolean;
  /** Session-file lock waits. */
  lock?: FileLockOptions;
}

/** What a run left behind. */
export interface ModuleResult {
  status: "success" | "skipped";
  records: { id: string; text: string; sessionFile: string; provFiles: string[] }[];
  qaImages: string[];
  logFiles: string[];
}

const SOFTWARE = "@radifox/provenance";

interface Item {
  args: ModuleArgs;
  outputs: Outputs | null;
  inputHashes: Map<string, Promise<string>>;
}

function isBatched(args: ModuleArgs, mode: boolean | "auto"): boolean {
  if (mode !== "auto") return mode;
  const values = Object.values(args);
  if (values.length === 0) return false;
  const length = Array.isArray(values[0]) ? values[0].length : -1;
  return values.every((value) => Array.isArray(value) && value.length === length);
}

function splitItems(args: ModuleArgs, batched: boolean): ModuleArgs[] {
  if (!batched) return [args];
  const entries = Object.entries(args) as [string, unknown[]][];
  const count = entries[0]?.[1].length ?? 0;
  return Array.from({ length: count }, (_, i) =>
    Object.fromEntries(entries.map(([key, list]) => [key, list[i]])),
  );
}

/** The file an item's logs are named after: its first file argument (first of a list). */
function logAnchor(args: ModuleArgs): string | undefined {
  for (const value of Object.values(args)) {
    if (isFileValue(value)) return value.path;
    if (Array.isArray(value) && Array.isArray(value[0]) && isFileValue(value[0][0])) {
      return (value[0][0] as FileValue).path;
    }
  }
  return firstInputFile(args);
}

/** The file an argument value names: itself, or the first of a list. */
function fileOf(value: unknown): string | undefined {
  if (isFileValue(value)) return value.path;
  if (Array.isArray(value) && isFileValue(value[0])) return (value[0] as FileValue).path;
  return undefined;
}

/**
 * Batched mode, as the original: the first argument of the first item that holds a file (or a
 * list starting with one) names every item's logs, each by its own value of that argument.
 */
function batchedAnchors(items: readonly { args: ModuleArgs }[]): (string | undefined)[] {
  const first = items[0]?.args ?? {};
  const key = Object.keys(first).find((name) => fileOf(first[name]) !== undefined);
  return items.map((item) =>
    key === undefined ? logAnchor(item.args) : (fileOf(item.args[key]) ?? logAnchor(item.args)),
  );
}

function inputFiles(args: ModuleArgs): string[] {
  const files: string[] = [];
  for (const value of Object.values(args)) {
    if (!isInputArg(value)) continue;
    if (isFileValue(value)) files.push(value.path);
    else for (const item of value as unknown[]) if (isFileValue(item)) files.push(item.path);
  }
  return files;
}

function projectRelative(path: string, root: string): string {
  const rel = relative(root, path);
  return rel === "" ? "." : rel.startsWith("..") || isAbsolute(rel) ? path : rel;
}

function checkOutputs(
  outputs: unknown,
  batched: boolean,
  count: number,
): (Outputs | null)[] | undefined {
  const isOutputs = (value: unknown): value is Outputs =>
    typeof value === "object" && value !== null && !Array.isArray(value);
  if (batched) {
    if (!Array.isArray(outputs) || outputs.length !== count) return undefined;
    if (!outputs.every((item) => item === null || isOutputs(item))) return undefined;
    if (!outputs.some((item) => item !== null && Object.keys(item).length > 0)) return undefined;
    return outputs as (Outputs | null)[];
  }
  return isOutputs(outputs) && Object.keys(outputs).length > 0 ? [outputs] : undefined;
}

/** Runs a module definition; see `defineModule` for the entry points built on it. */
export async function executeModule<A extends ModuleArgs>(
  definition: ModuleDefinition<A>,
  argv: readonly string[],
  options: RunOptions = {},
): Promise<ModuleResult> {
  const name = definition.name;
  const now = options.now ?? (() => new Date());
  const format = options.recordFormat ?? "extended";
  const skip = definition.skipProvWrite ?? [];
  const command = argv.join(" ");
  const start = now();
  const parsed = await definition.cli(argv);
  if (parsed === null || parsed === undefined) {
    return { status: "skipped", records: [], qaImages: [], logFiles: [] };
  }
  const { identity, problems: containerProblems } = await detectContainer(options.container);
  const batched = isBatched(parsed, definition.batched ?? "auto");
  const items: Item[] = splitItems(parsed, batched).map((args) => ({
    args,
    outputs: null,
    inputHashes: new Map(),
  }));
  const anchors = batched ? batchedAnchors(items) : items.map((item) => logAnchor(item.args));
  if (anchors.every((anchor) => anchor === undefined)) {
    throw new ProvenanceError("E_PROV_NO_INPUTS", "Could not find any Path or ImageFile inputs.", {
      module: name,
    });
  }
  const log = new RunLog(options.onLog);
  for (const anchor of anchors) {
    if (anchor === undefined) continue;
    const session = dirname(dirname(anchor));
    const dir =
      definition.logUsesFilename === false ? join(session, "logs") : join(session, "logs", name);
    const prefix =
      definition.logUsesFilename === false ? name : (basename(anchor).split(".")[0] ?? "");
    log.addSet(dir, logFilesFor(dir, prefix, start));
  }
  // Inputs are hashed while the module runs: the record then says what went in.
  warmHashPool();
  for (const item of items) {
    for (const file of inputFiles(item.args)) {
      if (!item.inputHashes.has(file)) {
        const pending = hashFile(file, false);
        pending.catch(() => {});
        item.inputHashes.set(file, pending);
      }
    }
  }
  // Looked up while the module works (a host name lookup can take a moment).
  const pendingFacts: Promise<Facts> = (async () => ({
    user: `${userName(options.env)}@${options.fqdn ?? (await fullyQualifiedHostName())}`,
    host: hostFacts(SOFTWARE),
    identity,
  }))();
  const fail = async (error: ProvenanceError): Promise<never> => {
    if (format === "extended") {
      const facts = await pendingFacts;
      await writeFailureRecords(definition, items, command, start, now, facts, error, options);
    }
    throw error;
  };

  log.info(`Beginning processing using: ${name} v${definition.version}.`);
  log.info(`Command: ${command}`);
  for (const problem of containerProblems) log.warning(problem);
  let outputs: unknown;
  try {
    outputs = await definition.run(parsed, { name, version: definition.version, log });
  } catch (error) {
    log.error(`An error occurred during processing: ${errorMessage(error)}.`, error);
    return fail(
      new ProvenanceError("E_PROV_RUN", `${name}: ${errorMessage(error)}`, {
        module: name,
        path: anchors.find((a) => a !== undefined),
        cause: error,
      }),
    );
  }
  const checked = checkOutputs(outputs, batched, items.length);
  if (!checked) {
    log.error("Processing failed. No outputs reported.");
    return fail(
      new ProvenanceError("E_PROV_NO_OUTPUTS", `${name}: processing failed, no outputs reported`, {
        module: name,
        path: anchors.find((a) => a !== undefined),
      }),
    );
  }
  checked.forEach((value, i) => {
    (items[i] as Item).outputs = value;
  });
  const missing = await missingOutputs(items);
  if (missing.length > 0) {
    for (const file of missing) log.error(`Output not found: ${file}.`);
    return fail(
      new ProvenanceError(
        "E_PROV_NO_OUTPUTS",
        `${name}: reported output not found: ${missing[0]}`,
        {
          module: name,
          path: missing[0],
        },
      ),
    );
  }

  log.info("Generating QA images.");
  const qaImages: string[] = [];
  if (options.qa !== false) {
    for (const item of items) {
      if (item.outputs)
        qaImages.push(...(await createQaImages(item.outputs, name, skip, log, options.qa?.blend)));
    }
  }
  log.info("Generating provenance records.");
  const records: ModuleResult["records"] = [];
  const facts = await pendingFacts;
  try {
    for (const item of items) {
      if (!item.outputs) continue;
      const fields = await buildFields(definition, item, command, start, now(), facts, format);
      const text = renderRecord(fields, format);
      const files = flattenOutputs(item.outputs, skip)
        .filter((out): out is OutputItem => out !== null)
        .map(outputFile);
      const placed = await placeRecord(text, files, { ...options.lock, durable: options.durable });
      if (placed) records.push({ id: recordId(recordBody(fields, format)), text, ...placed });
    }
  } catch (error) {
    log.error(`An error occurred during processing: ${errorMessage(error)}.`, error);
    throw error instanceof ProvenanceError
      ? error
      : new ProvenanceError("E_PROV_WRITE", `${name}: ${errorMessage(error)}`, {
          module: name,
          cause: error,
        });
  }
  log.info("Processing complete.");
  return { status: "success", records, qaImages, logFiles: log.files };
}

async function missingOutputs(items: Item[]): Promise<string[]> {
  const files = items.flatMap((item) =>
    item.outputs
      ? flattenOutputs(item.outputs)
          .filter((out): out is OutputItem => out !== null)
          .map(outputFile)
      : [],
  );
  const exists = await Promise.all(
    files.map((file) =>
      stat(file).then(
        () => true,
        () => false,
      ),
    ),
  );
  return files.filter((_, i) => !exists[i]);
}

function isImage(path: string): boolean {
  return path.endsWith(".nii.gz") || path.endsWith(".nii");
}

/** The original's `create_qa`: a picture per NIfTI output in `<session>/qa/<module>/`. */
async function createQaImages(
  outputs: Outputs,
  name: string,
  skip: readonly string[],
  log: ModuleLogger,
  blend: "labelled" | "all" | undefined,
): Promise<string[]> {
  const items = flattenOutputs(outputs, skip).filter((out): out is OutputItem => out !== null);
  const first = items[0];
  if (first === undefined) return [];
  const dir = join(dirname(dirname(outputFile(first))), "qa", name);
  await mkdir(dir, { recursive: true }).catch((error: unknown) => {
    log.warning(`Cannot create the QA folder ${dir}: ${errorMessage(error)}.`);
  });
  const written: string[] = [];
  let qa: typeof import("@radifox/qa") | undefined;
  for (const item of items) {
    const background = item instanceof Overlay ? item.background.path : outputFile(item);
    if (!isImage(background)) continue;
    const shown = outputFile(item);
    const png = join(dir, `${basename(shown).split(".")[0]}.png`);
    try {
      // Loaded on first use: runs without NIfTI outputs never pay for it.
      qa ??= await import("@radifox/qa");
      await qa.createQaImage(background, png, {
        overlay: item instanceof Overlay ? item.overlay.path : undefined,
        lut: item instanceof Overlay ? item.lut : undefined,
        blend,
      });
      written.push(png);
    } catch (error) {
      log.warning(`Could not create the QA image for ${shown}: ${errorMessage(error)}.`);
    }
  }
  return written;
}

interface Facts {
  user: string;
  host: Record<string, string>;
  identity: ContainerIdentity;
}

async function fileEntries(
  values: Record<string, unknown>,
  root: string,
  hashes: Map<string, Promise<string>>,
): Promise<RecordFiles> {
  const hashOf = (path: string): Promise<string> => {
    let pending = hashes.get(path);
    if (!pending) {
      pending = hashFile(path, false);
      hashes.set(path, pending);
    }
    return pending;
  };
  const entry = async (value: unknown): Promise<RecordFile | null> => {
    if (value === null || value === undefined) return null;
    const path =
      isFileValue(value) || value instanceof Overlay || typeof value === "string"
        ? outputFile(value as OutputItem)
        : undefined;
    if (path === undefined) return null;
    return { path: projectRelative(path, root), sha256: await hashOf(path) };
  };
  const files: RecordFiles = {};
  for (const [key, value] of Object.entries(values)) {
    files[key] = Array.isArray(value) ? await Promise.all(value.map(entry)) : await entry(value);
  }
  return files;
}

async function parentsOf(args: ModuleArgs): Promise<RecordParents> {
  const parents: RecordParents = {};
  for (const [key, value] of Object.entries(args)) {
    if (!isInputArg(value)) continue;
    const idOf = async (file: unknown): Promise<string | null> =>
      isFileValue(file) ? ((await producerOf(file.path))?.id ?? null) : null;
    parents[key] = Array.isArray(value) ? await Promise.all(value.map(idOf)) : await idOf(value);
  }
  return parents;
}

function parametersOf(args: ModuleArgs): [string, ParameterText][] {
  return Object.entries(args)
    .filter(([, value]) => !isInputArg(value))
    .map(([key, value]) => [
      key,
      Array.isArray(value) ? value.map((item) => pythonStr(item)) : pythonStr(value),
    ]);
}

/** A failed run's exit status: the tool's own (`exitCode` on the cause), else 1. */
function exitCodeOf(failure: ProvenanceError): number {
  const code = (failure.cause as { exitCode?: unknown } | undefined)?.exitCode;
  return typeof code === "number" ? code : 1;
}

async function buildFields(
  definition: ModuleDefinition<ModuleArgs>,
  item: Item,
  command: string,
  start: Date,
  recordTime: Date,
  facts: Facts,
  format: RecordFormat,
  failure?: ProvenanceError,
): Promise<RecordFields> {
  const outputs = item.outputs ?? {};
  const firstOutput = flattenOutputs(outputs).find((out): out is OutputItem => out !== null);
  const anchor = firstOutput ? outputFile(firstOutput) : (firstInputFile(item.args) ?? "/");
  const root = dirname(dirname(dirname(dirname(anchor))));
  const inputArgs = Object.fromEntries(Object.entries(item.args).filter(([, v]) => isInputArg(v)));
  const fields: RecordFields = {
    module: definition.name,
    version: definition.version,
    container: facts.identity,
    user: facts.user,
    startTime: isoSeconds(start),
    duration: formatDuration((recordTime.getTime() - start.getTime()) * 1000),
    projectRoot: root,
    inputs: await fileEntries(inputArgs, root, item.inputHashes),
    outputs: await fileEntries(outputs, root, new Map()),
    parameters: parametersOf(item.args),
    command,
    status: failure ? "failed" : "success",
    exitCode: failure ? exitCodeOf(failure) : 0,
    // Finding parents reads every input's .prov: only the extended format writes them.
    parents: format === "extended" ? await parentsOf(item.args) : {},
    host: facts.host,
  };
  if (failure) fields.error = failure.message;
  return fields;
}

/** A failed run's record: appended to the session file only (no `.prov`: outputs are suspect). */
async function writeFailureRecords(
  definition: ModuleDefinition<ModuleArgs>,
  items: Item[],
  command: string,
  start: Date,
  now: () => Date,
  facts: Facts,
  failure: ProvenanceError,
  options: RunOptions,
): Promise<void> {
  for (const item of items) {
    try {
      const safe: Item = { ...item, outputs: await existingOutputs(item.outputs) };
      const fields = await buildFields(
        definition,
        safe,
        command,
        start,
        now(),
        facts,
        "extended",
        failure,
      );
      const anchorOutput = flattenOutputs(safe.outputs ?? {}).find(
        (o): o is OutputItem => o !== null,
      );
      const anchor = anchorOutput ? outputFile(anchorOutput) : firstInputFile(item.args);
      if (anchor === undefined) continue;
      await appendRecord(sessionRecordPath(anchor), renderRecord(fields, "extended"), {
        ...options.lock,
        durable: options.durable,
      });
    } catch {
      // The failure itself is what the caller must see; a record that cannot be written is
      // already reported in the logs by the step that failed.
    }
  }
}

/** Outputs with files that do not exist replaced by `null` (a failed run's outputs). */
async function existingOutputs(outputs: Outputs | null): Promise<Outputs | null> {
  if (!outputs) return null;
  const keep = async (value: unknown): Promise<unknown> => {
    if (value === null || value === undefined) return null;
    const file = outputFile(value as OutputItem);
    return (await stat(file).then(
      () => true,
      () => false,
    ))
      ? value
      : null;
  };
  const result: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(outputs)) {
    result[key] = Array.isArray(value) ? await Promise.all(value.map(keep)) : await keep(value);
  }
  return result as Outputs;
}
