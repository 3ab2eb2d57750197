// The command line of `radifox-stage`, parsed with the original's argparse rules and messages
// (spec 5.1): `-s/--subject-dir` and `--image-types` required, `nargs="+"` lists that run to
// the next option, `--opt=value`, unique prefixes of long options. Extensions of this project
// (`--jobs`, `--plan`, `--json`, `--group-by`, `--require-container`, `--record-format`) are
// accepted too; the original's option set behaves exactly as before.
import { existsSync, statSync } from "node:fs";
import { resolve } from "node:path";
import { type FilterDialect, ImageFilter } from "@radifox/naming";
import { StageError } from "./errors.js";
import type { PluginGrouping } from "./plugin.js";

/** The staging options of one subject (see `stageSubject`). */
export interface StageOptions {
  /** The subject folder; relative paths resolve against `cwd`. */
  subjectDir: string;
  /** One filter per image kind to stage, in order. */
  imageTypes: readonly ImageFilter[];
  /** Registration target filters (each sets `acqdim`); `null`/absent: no targets. */
  regFilters?: readonly ImageFilter[] | null;
  /** Keep only the best image per filter (the original's rule; see README). */
  keepBestRes?: boolean;
  /** Skip sessions that already have `stage/` (and reuse their subject target). */
  update?: boolean;
  /** ES module files exporting staging plugins. */
  pluginPaths?: readonly string[] | null;
  /** Plugins given as objects (after those of `pluginPaths`, before the default ones). */
  plugins?: readonly import("./plugin.js").StagingPlugin[];
  skipDefaultPlugins?: boolean;
  /** Keep the originals' headers (no `_hdrfix` copies). */
  skipSetSform?: boolean;
  /** Acquisition grouping of the MEMPRAGE plugin: `series` (default) or `study` (original). */
  grouping?: PluginGrouping;
  /** Folder relative paths are resolved against (default `process.cwd()`). */
  cwd?: string;
}

/** What a `radifox-stage` command line asks for. */
export interface StageCommand {
  options: StageOptions;
  help: boolean;
  /** `--plan`: print the plan, write nothing. */
  plan: boolean;
  json: boolean;
  jobs: number | undefined;
  requireContainer: boolean;
  recordFormat: "radifox" | "extended" | undefined;
}

type Kind = "flag" | "one" | "many";
interface OptionSpec {
  names: string[];
  dest: string;
  kind: Kind;
  metavar?: string;
}

const ORIGINAL: OptionSpec[] = [
  { names: ["-s", "--subject-dir"], dest: "subject_dir", kind: "one", metavar: "SUBJECT_DIR" },
  { names: ["--image-types"], dest: "image_types", kind: "many", metavar: "IMAGE_TYPES" },
  { names: ["--reg-filters"], dest: "reg_filters", kind: "many", metavar: "REG_FILTERS" },
  { names: ["--keep-best-res"], dest: "keep_best_res", kind: "flag" },
  { names: ["--update"], dest: "update", kind: "flag" },
  { names: ["--plugin-paths"], dest: "plugin_paths", kind: "many", metavar: "PLUGIN_PATHS" },
  { names: ["--skip-default-plugins"], dest: "skip_default_plugins", kind: "flag" },
  { names: ["--skip-set-sform"], dest: "skip_set_sform", kind: "flag" },
];

const EXTENSIONS: OptionSpec[] = [
  { names: ["--plan"], dest: "plan", kind: "flag" },
  { names: ["--json"], dest: "json", kind: "flag" },
  { names: ["--jobs", "-j"], dest: "jobs", kind: "one", metavar: "N" },
  { names: ["--group-by"], dest: "group_by", kind: "one", metavar: "{series,study}" },
  { names: ["--require-container"], dest: "require_container", kind: "flag" },
  { names: ["--record-format"], dest: "record_format", kind: "one", metavar: "{radifox,extended}" },
];

const SPECS = [
  { names: ["-h", "--help"], dest: "help", kind: "flag" as Kind },
  ...ORIGINAL,
  ...EXTENSIONS,
];

/** argparse's usage line of `radifox-stage`. */
export function stageUsage(program = "radifox-stage"): string {
  const parts = ORIGINAL.map((spec) => {
    const name = spec.names[0] as string;
    const shown =
      spec.kind === "flag"
        ? name
        : spec.kind === "one"
          ? `${name} ${spec.metavar}`
          : `${name} ${spec.metavar} [${spec.metavar} ...]`;
    return spec.dest === "subject_dir" || spec.dest === "image_types" ? shown : `[${shown}]`;
  });
  return `usage: ${program} [-h] ${parts.join(" ")}`;
}

function usageError(message: string): StageError {
  return new StageError("E_STAGE_USAGE", message);
}

function display(spec: OptionSpec): string {
  return spec.names.filter((n) => n !== "-j").join("/");
}

/** The option a token names: exact, or a unique prefix of a long option (argparse). */
function lookup(token: string): OptionSpec | undefined {
  const exact = SPECS.find((spec) => spec.names.includes(token));
  if (exact || !token.startsWith("--")) return exact;
  const matches = SPECS.filter((spec) => spec.names.some((n) => n.startsWith(token)));
  if (matches.length > 1) {
    const names = matches.flatMap((spec) => spec.names.filter((n) => n.startsWith(token)));
    throw usageError(`ambiguous option: ${token} could match ${names.join(", ")}`);
  }
  return matches[0];
}

const looksLikeOption = (token: string) => token.startsWith("-") && !/^-\d/.test(token);

function tokenize(argv: readonly string[]): Map<string, string[] | true> {
  const values = new Map<string, string[] | true>();
  const extra: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const token = argv[i] as string;
    if (!looksLikeOption(token) || token === "-") {
      extra.push(token);
      continue;
    }
    const eq = token.startsWith("--") ? token.indexOf("=") : -1;
    const name = eq > 0 ? token.slice(0, eq) : token;
    const spec = lookup(name);
    if (!spec) {
      extra.push(token);
      continue;
    }
    if (spec.kind === "flag") {
      if (eq > 0)
        throw usageError(
          `argument ${display(spec)}: ignored explicit argument '${token.slice(eq + 1)}'`,
        );
      values.set(spec.dest, true);
      continue;
    }
    const taken: string[] = eq > 0 ? [token.slice(eq + 1)] : [];
    if (eq < 0) {
      while (i + 1 < argv.length && !looksLikeOption(argv[i + 1] as string)) {
        taken.push(argv[++i] as string);
        if (spec.kind === "one") break;
      }
    }
    if (taken.length === 0) {
      throw usageError(
        `argument ${display(spec)}: expected ${spec.kind === "one" ? "one argument" : "at least one argument"}`,
      );
    }
    values.set(spec.dest, taken);
  }
  if (extra.length > 0 && !values.has("help")) {
    throw usageError(`unrecognized arguments: ${extra.join(" ")}`);
  }
  return values;
}

function parseFilters(texts: readonly string[], dialect: FilterDialect): ImageFilter[] {
  return texts.map((text) => ImageFilter.fromString(text, { dialect }));
}

/**
 * Parses a `radifox-stage` command line. Usage problems throw `StageError` `E_STAGE_USAGE`
 * with argparse's message (the CLI prints `radifox-stage: error: <message>`, exit 2); a bad
 * filter string throws the `FilterSyntaxError` of `@radifox/naming` (with the original's
 * Python error in `pythonError`).
 */
export function parseStageArgs(
  argv: readonly string[],
  options: { cwd?: string; dialect?: FilterDialect } = {},
): StageCommand {
  const cwd = options.cwd ?? process.cwd();
  const dialect = options.dialect ?? "radifox";
  const values = tokenize(argv);
  const list = (dest: string) => values.get(dest) as string[] | undefined;
  const flag = (dest: string) => values.get(dest) === true;
  const command: StageCommand = {
    options: { subjectDir: "", imageTypes: [], cwd },
    help: flag("help"),
    plan: flag("plan"),
    json: flag("json"),
    jobs: undefined,
    requireContainer: flag("require_container"),
    recordFormat: undefined,
  };
  if (command.help) return command;
  const missing = ORIGINAL.filter(
    (spec) =>
      (spec.dest === "subject_dir" || spec.dest === "image_types") && !values.has(spec.dest),
  );
  if (missing.length > 0) {
    throw usageError(`the following arguments are required: ${missing.map(display).join(", ")}`);
  }
  const subjectDir = resolve(cwd, list("subject_dir")?.[0] as string);
  if (!existsSync(subjectDir) || !statSync(subjectDir).isDirectory()) {
    throw new StageError(
      "E_STAGE_NO_SUBJECT",
      `Subject directory (${subjectDir}) does not exist.`,
      {
        path: subjectDir,
      },
    );
  }
  const pluginPaths = list("plugin_paths")?.map((path) => resolve(cwd, path)) ?? null;
  for (const path of pluginPaths ?? []) {
    if (!existsSync(path) || !statSync(path).isFile()) {
      throw new StageError("E_STAGE_USAGE", `Plugin file (${path}) does not exist.`, { path });
    }
  }
  const imageTypes = parseFilters(list("image_types") ?? [], dialect);
  const regTexts = list("reg_filters");
  const regFilters = regTexts === undefined ? null : parseFilters(regTexts, dialect);
  for (const filter of regFilters ?? []) {
    if (filter.get("acqdim") === undefined) {
      throw usageError(
        `Registration filters must provide an 'acqdim' filter.${filter.toPythonString()} was provided.`,
      );
    }
  }
  const jobs = list("jobs")?.[0];
  if (jobs !== undefined) {
    const n = Number(jobs);
    if (!Number.isInteger(n) || n < 1)
      throw usageError(`argument --jobs: invalid value: '${jobs}'`);
    command.jobs = n;
  }
  const groupBy = list("group_by")?.[0];
  if (groupBy !== undefined && groupBy !== "series" && groupBy !== "study") {
    throw usageError(
      `argument --group-by: invalid choice: '${groupBy}' (choose from 'series', 'study')`,
    );
  }
  const format = list("record_format")?.[0];
  if (format !== undefined && format !== "radifox" && format !== "extended") {
    throw usageError(
      `argument --record-format: invalid choice: '${format}' (choose from 'radifox', 'extended')`,
    );
  }
  command.recordFormat = format as StageCommand["recordFormat"];
  command.options = {
    subjectDir,
    imageTypes,
    regFilters,
    keepBestRes: flag("keep_best_res"),
    update: flag("update"),
    pluginPaths,
    skipDefaultPlugins: flag("skip_default_plugins"),
    skipSetSform: flag("skip_set_sform"),
    grouping: (groupBy as PluginGrouping | undefined) ?? "series",
    cwd,
  };
  return command;
}
