// `xcs validate` as a library: find the command files under the given paths, read each one the
// way XNAT would get it (a command, a list of commands, an image label value, `docker inspect`
// output), check every command and report the findings with their place in the file.
import type { Dirent, Stats } from "node:fs";
import { readdir, readFile, realpath, stat } from "node:fs/promises";
import { join, resolve } from "node:path";
import {
  type CheckResult,
  COMMAND_LABEL,
  CommandReadError,
  checkCommand,
  decodeCommandLabel,
  type Finding,
  type JsonNode,
  JsonSyntaxError,
  lastEntry,
  nodeAt,
  type ReadErrorKind,
  type ReadMode,
  readJson,
  type SourcePosition,
} from "@xcs/command-schema";

/**
 * How a file holds its commands: one command document (`command`), a JSON array of commands
 * (`list`, the form of an image label's value), a JSON string holding such an array (`label`, a
 * label value copied as a string), or `docker inspect` output (`docker-inspect`: the commands of
 * each image's `org.nrg.commands` label).
 */
export type FileForm = "command" | "list" | "label" | "docker-inspect";

/**
 * `accepted`: XNAT would save the command. `rejected`: XNAT's validation fails, or XNAT's reader
 * refuses the document (a value of the wrong shape, a missing name). `unreadable`: the input is
 * not JSON as XNAT reads it, or cannot be read at all.
 */
export type CommandStatus = "accepted" | "rejected" | "unreadable";

/** A finding with the 1-based line and column of its value in the file (null: not known). */
export type FindingReport = Finding & {
  readonly line: number | null;
  readonly column: number | null;
};

/** Why a command (or a whole input) could not be read. */
export interface ReadErrorReport {
  /** The reader's kind (`syntax`, `shape`, `construction`), or `io` when the input is not there. */
  readonly kind: ReadErrorKind | "io";
  readonly message: string;
  /** JSON pointer into the command document (`""`: the whole document). */
  readonly pointer: string;
  readonly line: number | null;
  readonly column: number | null;
  /** `io` only: the system's error code (`ENOENT`, `EACCES`, ...), when there is one. */
  readonly errno?: string;
}

export interface CommandReport {
  /** Position in its list or label (absent for a file that holds one command). */
  readonly index?: number;
  /** `docker inspect`: the image the label belongs to (the name XNAT would use, when known). */
  readonly image?: string;
  /** The command's `name` (absent when it cannot be read). */
  readonly name?: string | null;
  /** How the command was read. */
  readonly mode: ReadMode;
  readonly status: CommandStatus;
  /** True when XNAT would accept the command (`status === "accepted"`). */
  readonly accepted: boolean;
  readonly readError?: ReadErrorReport;
  /** Reader warnings, XNAT's messages (verbatim, in XNAT's order), then lint findings. */
  readonly findings: FindingReport[];
}

export interface FileReport {
  /** The path as given, or joined to the folder given (`<stdin>` for `-`). */
  readonly path: string;
  /** Absent when the file was skipped or could not be read as JSON. */
  readonly form?: FileForm;
  /** In a folder walk: why the file is not a command document (then `commands` is empty). */
  readonly skipped?: string;
  readonly commands: CommandReport[];
}

export interface ValidationSummary {
  /** Inputs looked at, skipped ones included. */
  readonly files: number;
  readonly skipped: number;
  /** `accepted + rejected + unreadable` (an input that cannot be read counts once). */
  readonly commands: number;
  readonly accepted: number;
  readonly rejected: number;
  readonly unreadable: number;
  /** Findings of severity error, plus read errors. */
  readonly errors: number;
  readonly warnings: number;
  readonly infos: number;
  /** Lint findings of any severity (0 without `lint`). */
  readonly lint: number;
  /** What `xcs validate` exits with: 2 unreadable input, else 1 rejected command, else 0. */
  readonly exitCode: 0 | 1 | 2;
}

export interface ValidationReport {
  /** The mode asked for; null = automatic (`rest` for one command, `label` for lists). */
  readonly mode: ReadMode | null;
  readonly lint: boolean;
  readonly files: FileReport[];
  readonly summary: ValidationSummary;
}

export interface ValidateTextOptions {
  /**
   * How XNAT gets the commands. Default: `rest` (the UI and the REST API) for a file with one
   * command, `label` (an image label) for lists, label values and `docker inspect` output.
   */
  readonly mode?: ReadMode;
  /** The image name XNAT uses instead of each command's own (REST `?image=`, pulled name). */
  readonly image?: string;
  /** Also run the stricter checks (`lint-*` findings). */
  readonly lint?: boolean;
  /** Report XNAT object documents (`"type": "Session"`, ...) as skipped instead of checking them. */
  readonly skipXnatObjects?: boolean;
}

export interface ValidatePathsOptions extends Omit<ValidateTextOptions, "skipXnatObjects"> {
  /** Folder that relative paths are resolved against (default `process.cwd()`). */
  readonly cwd?: string;
  /** Reads standard input, for the path `-`. Without it `-` is reported as unreadable. */
  readonly readStdin?: () => Promise<string>;
  /** Called for each file as soon as it is checked, in report order (progress, streaming). */
  readonly onFile?: (file: FileReport) => void;
  /** Files read ahead at a time (default 16). */
  readonly concurrency?: number;
}

/** The `type` values of XNAT object documents (Project, Session, ... JSON): not commands. */
export const XNAT_OBJECT_TYPES: readonly string[] = [
  "Project",
  "Subject",
  "Session",
  "Scan",
  "Assessor",
  "Resource",
  "File",
  "ProjectAsset",
  "SubjectAssessor",
];

/** Name shown for the path `-`. */
export const STDIN_PATH = "<stdin>";

type ObjectNode = Extract<JsonNode, { kind: "object" }>;
type StringNode = Extract<JsonNode, { kind: "string" }>;
/** Maps an offset in the text a command was read from to an offset in the file. */
type OffsetMap = (offset: number) => number;

const identity: OffsetMap = (offset) => offset;

/** 1-based line and column of offsets in a text (lines end at `\n`, as the JSON reader counts). */
class Lines {
  private starts: number[] | undefined;

  constructor(private readonly text: string) {}

  at(offset: number): { line: number; column: number } {
    if (!this.starts) {
      this.starts = [0];
      for (let i = this.text.indexOf("\n"); i !== -1; i = this.text.indexOf("\n", i + 1)) {
        this.starts.push(i + 1);
      }
    }
    const starts = this.starts;
    let low = 0;
    let high = starts.length - 1;
    while (low < high) {
      const mid = (low + high + 1) >> 1;
      if ((starts[mid] as number) <= offset) low = mid;
      else high = mid - 1;
    }
    return { line: low + 1, column: offset - (starts[low] as number) + 1 };
  }
}

/** Where a command's values are in the file. */
interface Placement {
  readonly lines: Lines;
  /** Maps offsets of the text holding the command (file, or label value) to file offsets. */
  readonly map: OffsetMap;
  /** Where the command starts in that text. */
  readonly base: number;
}

function place(
  position: SourcePosition | undefined,
  where: Placement,
): { line: number | null; column: number | null } {
  if (!position) return { line: null, column: null };
  return where.lines.at(where.map(where.base + position.offset));
}

function readErrorReport(error: CommandReadError, where: Placement): ReadErrorReport {
  return {
    kind: error.kind,
    message: error.message,
    pointer: error.pointer,
    ...place(error.position, where),
  };
}

function failedCommand(
  error: CommandReadError,
  mode: ReadMode,
  where: Placement,
  extra: { index?: number; image?: string } = {},
): CommandReport {
  return {
    ...extra,
    mode,
    status: error.kind === "syntax" ? "unreadable" : "rejected",
    accepted: false,
    readError: readErrorReport(error, where),
    findings: [],
  };
}

function commandReport(
  result: CheckResult,
  mode: ReadMode,
  where: Placement,
  extra: { index?: number; image?: string } = {},
): CommandReport {
  if (!result.ok) return failedCommand(result.error, mode, where, extra);
  const read = result.read;
  return {
    ...extra,
    name: read.command.name,
    mode,
    status: result.accepted ? "accepted" : "rejected",
    accepted: result.accepted,
    findings: result.findings.map((finding) => ({
      ...finding,
      ...place(read.locate(finding.pointer), where),
    })),
  };
}

function ioCommand(message: string, mode: ReadMode, errno?: string): CommandReport {
  const readError: ReadErrorReport = {
    kind: "io",
    message,
    pointer: "",
    line: null,
    column: null,
    ...(errno ? { errno } : {}),
  };
  return { mode, status: "unreadable", accepted: false, readError, findings: [] };
}

/** The value of the last `key` entry (the one XNAT's reader keeps). */
function entry(node: ObjectNode, key: string): JsonNode | undefined {
  return lastEntry(node, key)?.value;
}

/** One image or container of `docker inspect` / `podman inspect` output. */
function isInspectObject(node: JsonNode): node is ObjectNode {
  return (
    node.kind === "object" &&
    entry(node, "Id")?.kind === "string" &&
    entry(node, "Config")?.kind === "object"
  );
}

/** The name XNAT would know the image by: its first tag, else the image a container runs. */
function inspectedImageName(node: ObjectNode): string | undefined {
  const tags = entry(node, "RepoTags");
  const tag = tags?.kind === "array" ? tags.items[0] : undefined;
  if (tag?.kind === "string" && tag.value !== "") return tag.value;
  const image = nodeAt(node, "/Config/Image");
  // Image inspect output has an empty or `sha256:` id here, not a name.
  if (image?.kind === "string" && image.value !== "" && !image.value.startsWith("sha256:")) {
    return image.value;
  }
  return undefined;
}

/** Maps offsets in a JSON string's value to offsets of its characters in the file. */
function stringOffsets(text: string, node: StringNode): OffsetMap {
  const first = node.start.offset + 1;
  const last = node.end - 1;
  const offsets: number[] = [];
  for (let i = first; i < last; ) {
    offsets.push(i);
    i += text[i] === "\\" ? (text[i + 1] === "u" ? 6 : 2) : 1;
  }
  offsets.push(last);
  // Cannot happen for a string the reader accepted; point at the string then.
  if (offsets.length !== node.value.length + 1) return () => node.start.offset;
  return (offset) => offsets[Math.min(Math.max(offset, 0), offsets.length - 1)] as number;
}

interface ListItem {
  readonly index: number;
  readonly start: SourcePosition;
  readonly result: CheckResult;
}

/** The elements of a JSON array of commands, each checked in `mode` (label: XNAT's decoder). */
function checkList(text: string, mode: ReadMode, options: ValidateTextOptions): ListItem[] {
  const checks = { image: options.image, lint: options.lint };
  if (mode === "label") return decodeCommandLabel(text, checks);
  let root: JsonNode;
  try {
    root = readJson(text).root;
  } catch (error) {
    if (!(error instanceof JsonSyntaxError)) throw error;
    throw new CommandReadError("syntax", error.reason, "", error.position, { cause: error });
  }
  if (root.kind !== "array") {
    throw new CommandReadError("shape", "expected a JSON array of commands", "", root.start);
  }
  return root.items.map((item, index) => ({
    index,
    start: item.start,
    result: checkCommand(text.slice(item.start.offset, item.end), { ...checks, mode }),
  }));
}

function listCommands(
  text: string,
  lines: Lines,
  map: OffsetMap,
  options: ValidateTextOptions,
  image?: string,
): CommandReport[] {
  const mode = options.mode ?? "label";
  const extra = image === undefined ? {} : { image };
  let items: ListItem[];
  try {
    items = checkList(text, mode, image === undefined ? options : { ...options, image });
  } catch (error) {
    if (!(error instanceof CommandReadError)) throw error;
    return [failedCommand(error, mode, { lines, map, base: 0 }, extra)];
  }
  return items.map((item) =>
    commandReport(
      item.result,
      mode,
      { lines, map, base: item.start.offset },
      { index: item.index, ...extra },
    ),
  );
}

function inspectCommands(
  text: string,
  lines: Lines,
  images: readonly ObjectNode[],
  options: ValidateTextOptions,
): CommandReport[] {
  return images.flatMap((node, position) => {
    const image = options.image ?? inspectedImageName(node);
    const label =
      nodeAt(node, `/Config/Labels/${COMMAND_LABEL}`) ?? nodeAt(node, `/Labels/${COMMAND_LABEL}`);
    if (label?.kind !== "string") {
      const name = image ?? `number ${position + 1}`;
      const error = new CommandReadError(
        "shape",
        `image ${name} has no ${COMMAND_LABEL} label: XNAT finds no commands in it`,
        "",
        node.start,
      );
      return [
        failedCommand(
          error,
          options.mode ?? "label",
          { lines, map: identity, base: 0 },
          {
            ...(image === undefined ? {} : { image }),
          },
        ),
      ];
    }
    return listCommands(label.value, lines, stringOffsets(text, label), options, image);
  });
}

/**
 * Checks the commands in one file's text (see {@link FileForm} for what a file may hold). Never
 * throws for bad input: every problem is in the report.
 */
export function validateText(
  text: string,
  options: ValidateTextOptions & { path?: string } = {},
): FileReport {
  const path = options.path ?? "<text>";
  // Editors on Windows may start the file with a byte order mark; XNAT's reader skips it.
  const body = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
  const lines = new Lines(body);
  const whole: Placement = { lines, map: identity, base: 0 };
  const single = (): FileReport => {
    const mode = options.mode ?? "rest";
    const result = checkCommand(body, { mode, image: options.image, lint: options.lint });
    return { path, form: "command", commands: [commandReport(result, mode, whole)] };
  };
  let root: JsonNode;
  try {
    root = readJson(body).root;
  } catch (error) {
    if (!(error instanceof JsonSyntaxError)) throw error;
    const readError = new CommandReadError("syntax", error.reason, "", error.position);
    return { path, commands: [failedCommand(readError, options.mode ?? "rest", whole)] };
  }
  switch (root.kind) {
    case "object": {
      const type = entry(root, "type");
      if (
        options.skipXnatObjects &&
        type?.kind === "string" &&
        XNAT_OBJECT_TYPES.includes(type.value)
      ) {
        return { path, skipped: `an XNAT ${type.value} document, not a command`, commands: [] };
      }
      if (isInspectObject(root)) {
        return {
          path,
          form: "docker-inspect",
          commands: inspectCommands(body, lines, [root], options),
        };
      }
      return single();
    }
    case "array": {
      const items = root.items;
      if (items.length > 0 && items.every(isInspectObject)) {
        const images = items as ObjectNode[];
        return {
          path,
          form: "docker-inspect",
          commands: inspectCommands(body, lines, images, options),
        };
      }
      return { path, form: "list", commands: listCommands(body, lines, identity, options) };
    }
    case "string":
      return {
        path,
        form: "label",
        commands: listCommands(root.value, lines, stringOffsets(body, root), options),
      };
    default:
      // A number, boolean or null: XNAT's reader refuses it; let it say so.
      return single();
  }
}

/** Compares strings by Unicode code points (JavaScript's `<` compares UTF-16 code units). */
export function compareCodePoints(a: string, b: string): number {
  const length = Math.min(a.length, b.length);
  for (let i = 0; i < length; i++) {
    const x = a.charCodeAt(i);
    const y = b.charCodeAt(i);
    if (x === y) continue;
    // Only surrogates (astral characters) sort differently by code point: above all of the BMP.
    const xs = x >= 0xd800 && x <= 0xdfff;
    const ys = y >= 0xd800 && y <= 0xdfff;
    if (xs !== ys) return xs ? 1 : -1;
    return x - y;
  }
  return a.length - b.length;
}

/** One input to read: a file (to read), or a problem found while looking for files. */
interface Target {
  readonly path: string;
  readonly file?: string;
  readonly stdin?: boolean;
  readonly skipXnatObjects?: boolean;
  readonly problem?: { message: string; errno?: string };
}

function ioProblem(error: unknown): { message: string; errno?: string } {
  const { code, message } = error as NodeJS.ErrnoException;
  const text = code === "ENOENT" ? "no such file or folder" : message;
  return code ? { message: text, errno: code } : { message: text };
}

/** Every `*.json` file under `dir` (relative, `/`-separated), hidden entries and node_modules left out. */
async function walk(
  dir: string,
  relative: string,
  found: { path: string; problem?: { message: string; errno?: string } }[],
  seen: Set<string>,
): Promise<void> {
  let entries: Dirent[];
  try {
    const real = await realpath(dir);
    if (seen.has(real)) return; // a link back up the tree
    seen.add(real);
    entries = await readdir(dir, { withFileTypes: true });
  } catch (error) {
    found.push({ path: relative, problem: ioProblem(error) });
    return;
  }
  for (const item of entries) {
    if (item.name.startsWith(".") || item.name === "node_modules") continue;
    const path = relative === "" ? item.name : `${relative}/${item.name}`;
    const full = join(dir, item.name);
    let isDirectory = item.isDirectory();
    let isFile = item.isFile();
    if (item.isSymbolicLink()) {
      try {
        const target = await stat(full);
        isDirectory = target.isDirectory();
        isFile = target.isFile();
      } catch {
        // A broken link named *.json is reported when it cannot be read.
        isFile = true;
      }
    }
    if (isDirectory) await walk(full, path, found, seen);
    else if (isFile && item.name.endsWith(".json")) found.push({ path });
  }
}

async function targetsOf(paths: readonly string[], cwd: string): Promise<Target[]> {
  const targets: Target[] = [];
  const taken = new Set<string>();
  const add = (target: Target) => {
    const key = target.stdin ? "-" : (target.file ?? `problem:${target.path}`);
    if (taken.has(key)) return;
    taken.add(key);
    targets.push(target);
  };
  for (const given of paths) {
    if (given === "-") {
      add({ path: STDIN_PATH, stdin: true });
      continue;
    }
    const full = resolve(cwd, given);
    let info: Stats;
    try {
      info = await stat(full);
    } catch (error) {
      add({ path: given, problem: ioProblem(error) });
      continue;
    }
    if (info.isFile()) {
      add({ path: given, file: full });
    } else if (info.isDirectory()) {
      const found: { path: string; problem?: { message: string; errno?: string } }[] = [];
      await walk(full, "", found, new Set());
      found.sort((a, b) => compareCodePoints(a.path, b.path));
      if (found.length === 0) {
        add({ path: given, problem: { message: "no *.json files in this folder" } });
      }
      for (const item of found) {
        const path = join(given, item.path);
        if (item.problem) add({ path, problem: item.problem });
        else add({ path, file: join(full, item.path), skipXnatObjects: true });
      }
    } else {
      add({ path: given, problem: { message: "not a file or folder" } });
    }
  }
  return targets;
}

/** Counts and the exit code of a list of file reports. */
export function summarize(files: readonly FileReport[]): ValidationSummary {
  let skipped = 0;
  let accepted = 0;
  let rejected = 0;
  let unreadable = 0;
  let errors = 0;
  let warnings = 0;
  let infos = 0;
  let lint = 0;
  let exitCode: 0 | 1 | 2 = 0;
  for (const file of files) {
    if (file.skipped !== undefined) skipped++;
    for (const command of file.commands) {
      if (command.status === "accepted") accepted++;
      else if (command.status === "rejected") rejected++;
      else unreadable++;
      if (command.readError) errors++;
      if (command.status === "unreadable") exitCode = 2;
      else if (command.status === "rejected" && exitCode === 0) exitCode = 1;
      for (const finding of command.findings) {
        if (finding.severity === "error") errors++;
        else if (finding.severity === "warning") warnings++;
        else infos++;
        if (finding.source === "lint") {
          lint++;
          if (finding.severity === "error" && exitCode === 0) exitCode = 1;
        }
      }
    }
  }
  return {
    files: files.length,
    skipped,
    commands: accepted + rejected + unreadable,
    accepted,
    rejected,
    unreadable,
    errors,
    warnings,
    infos,
    lint,
    exitCode,
  };
}

/**
 * Checks every command under `paths`: files, and folders (every `*.json` file below them, in
 * code-point order of their paths, hidden entries and `node_modules` left out; XNAT object
 * documents there are reported as skipped). `-` reads standard input (`readStdin`). Problems
 * with the inputs (missing paths, unreadable files) are reported, not thrown.
 */
export async function validatePaths(
  paths: readonly string[],
  options: ValidatePathsOptions = {},
): Promise<ValidationReport> {
  const targets = await targetsOf(paths, options.cwd ?? process.cwd());
  const mode = options.mode ?? "rest";
  const read = async (target: Target): Promise<FileReport> => {
    if (target.problem) {
      return {
        path: target.path,
        commands: [ioCommand(target.problem.message, mode, target.problem.errno)],
      };
    }
    let text: string;
    try {
      if (target.stdin) {
        if (!options.readStdin) throw new Error("standard input is not available");
        text = await options.readStdin();
      } else {
        text = await readFile(target.file as string, "utf8");
      }
    } catch (error) {
      const problem = ioProblem(error);
      return { path: target.path, commands: [ioCommand(problem.message, mode, problem.errno)] };
    }
    return validateText(text, {
      path: target.path,
      mode: options.mode,
      image: options.image,
      lint: options.lint,
      skipXnatObjects: target.skipXnatObjects,
    });
  };
  // Files are read ahead in parallel and checked one by one, in order.
  const window = Math.max(1, options.concurrency ?? 16);
  const pending: Promise<FileReport>[] = [];
  const files: FileReport[] = [];
  let next = 0;
  while (files.length < targets.length) {
    while (pending.length < window && next < targets.length) {
      pending.push(read(targets[next++] as Target));
    }
    const file = await (pending.shift() as Promise<FileReport>);
    files.push(file);
    options.onFile?.(file);
  }
  return {
    mode: options.mode ?? null,
    lint: options.lint ?? false,
    files,
    summary: summarize(files),
  };
}
