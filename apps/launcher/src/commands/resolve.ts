// xcs resolve: bind one wrapper of a command to archive data, exactly as XNAT would at launch,
// and print the plan (argv, environment, mounts, outputs, setup and wrap-up steps).
import { readdirSync, readFileSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve as resolvePath } from "node:path";
import {
  ArchiveError,
  isXnatType,
  openArchive,
  type XnatArchive,
  type XnatObject,
} from "@xcs/archive";
import { type Command, CommandReadError, readCommand } from "@xcs/command-schema";
import {
  commandRegistry,
  type RegisteredCommand,
  ResolutionError,
  resolveCommand,
} from "@xcs/resolver";
import { parse } from "../args.js";
import { CliError, type CliIO, EXIT, type ExitCode } from "../io.js";
import { formatPlan, planJson } from "../plan-format.js";

export const RESOLVE_HELP = `Usage: xcs resolve --command FILE --wrapper NAME --archive DIR --on OBJECT [options]

Resolve a command's wrapper against an archive folder (XNAT layout or a RADIFOX study) as XNAT's
Container Service would at launch, and print the plan. Nothing is created or run.

Options:
  -c, --command <file>    the command JSON
  -w, --wrapper <name>    the wrapper (xnat entry) to resolve
  -a, --archive <dir>     the archive folder
      --on <object>       what to launch on: a URI (/archive/experiments/E1), an id, or a
                          session label; bound to the wrapper's external input of that type
  -i, --input <k=v>       a value for an input by name (repeatable)
      --registry <path>   command files (or folders of them) for setup and wrap-up commands
                          (repeatable)
      --build <dir>       the build folder used in the plan (default: <tmp>/xcs-build)
      --mode <mode>       compat (default: as XCS) or fixed (the documented fixes)
      --read-mode <mode>  how XNAT got the command: rest (default) or model
      --explain           show where every input's value came from
      --json              print one JSON document (XCS's ResolvedCommand shape)
  -h, --help              show this help

Exit codes: 0 resolved, 1 resolution failed (the message names the input and the reason),
2 bad arguments or unreadable files.`;

export async function resolve(args: string[], io: CliIO): Promise<ExitCode> {
  const { values, positionals } = parse(args, {
    command: { type: "string", short: "c" },
    wrapper: { type: "string", short: "w" },
    archive: { type: "string", short: "a" },
    on: { type: "string" },
    input: { type: "string", short: "i", multiple: true },
    registry: { type: "string", multiple: true },
    build: { type: "string" },
    mode: { type: "string" },
    "read-mode": { type: "string" },
    explain: { type: "boolean" },
    json: { type: "boolean" },
    help: { type: "boolean", short: "h" },
  });
  if (values.help) {
    io.stdout.write(`${RESOLVE_HELP}\n`);
    return EXIT.ok;
  }
  if (positionals.length > 0) throw usage(`unexpected argument '${positionals[0]}'`);
  for (const name of ["command", "wrapper", "archive"] as const) {
    if (values[name] === undefined) throw usage(`--${name} is required`);
  }
  const mode = values.mode ?? "compat";
  if (mode !== "compat" && mode !== "fixed")
    throw usage(`unknown mode '${mode}': use compat or fixed`);
  const readMode = values["read-mode"] ?? "rest";
  if (readMode !== "rest" && readMode !== "model") throw usage(`unknown read mode '${readMode}'`);
  const cwd = io.cwd ?? process.cwd();
  const command = readCommandFile(resolvePath(cwd, values.command as string), readMode);
  const archive = open(resolvePath(cwd, values.archive as string));
  const inputs = parseInputs(values.input ?? []);
  const wrapperName = values.wrapper as string;
  if (values.on !== undefined) {
    const on = values.on;
    archiveRead(() => bindOn(command, wrapperName, archive, on, inputs));
  }
  const registry = commandRegistry(
    readRegistry((values.registry ?? []).map((path) => resolvePath(cwd, path))),
  );

  let resolved: ReturnType<typeof resolveCommand>;
  try {
    resolved = archiveRead(() =>
      resolveCommand(command, {
        wrapper: wrapperName,
        inputs,
        settings: {
          buildPath: resolvePath(cwd, values.build ?? join(tmpdir(), "xcs-build")),
          archivePath: archive.root,
        },
        source: archive,
        registry,
        mode,
        materialize: false,
        checkArchivePaths: true,
      }),
    );
  } catch (error) {
    const javaName = (error as { javaName?: string }).javaName;
    if (error instanceof ResolutionError || javaName !== undefined) {
      const { message } = error as Error;
      // Some of XCS's messages name only the mount; the input is what the user can change.
      const input = error instanceof ResolutionError ? error.input : undefined;
      const where =
        input !== undefined && !message.includes(`"${input}"`) ? ` (input "${input}")` : "";
      throw new CliError(
        EXIT.invalid,
        `cannot resolve: ${message}${where}${javaName ? ` (${javaName})` : ""}`,
      );
    }
    throw error;
  }
  if (values.json) {
    const document = planJson(resolved, { explain: values.explain === true });
    io.stdout.write(`${JSON.stringify(document, null, 2)}\n`);
  } else {
    io.stdout.write(formatPlan(resolved, { explain: values.explain === true }));
  }
  return EXIT.ok;
}

const usage = (message: string) => new CliError(EXIT.usage, `${message}; see xcs resolve --help`);

function readCommandFile(path: string, mode: "rest" | "model"): Command {
  let text: string;
  try {
    text = readFileSync(path, "utf8");
  } catch (error) {
    throw new CliError(EXIT.unreadable, `cannot read ${path}: ${(error as Error).message}`);
  }
  try {
    return readCommand(text, { mode }).command;
  } catch (error) {
    if (error instanceof CommandReadError) {
      throw new CliError(EXIT.unreadable, `${path}: not a command: ${error.message}`);
    }
    throw error;
  }
}

/** Bad metadata met while looking objects up: exit 2 with the file and pointer, as `archive ls`. */
function archiveRead<T>(read: () => T): T {
  try {
    return read();
  } catch (error) {
    if (error instanceof ArchiveError) throw new CliError(EXIT.unreadable, error.message);
    throw error;
  }
}

function open(root: string): XnatArchive {
  try {
    return openArchive(root);
  } catch (error) {
    if (error instanceof ArchiveError) throw new CliError(EXIT.unreadable, error.message);
    throw error;
  }
}

function parseInputs(pairs: readonly string[]): Record<string, string> {
  const inputs: Record<string, string> = {};
  for (const pair of pairs) {
    const at = pair.indexOf("=");
    if (at <= 0) throw usage(`--input needs name=value, got '${pair}'`);
    inputs[pair.slice(0, at)] = pair.slice(at + 1);
  }
  return inputs;
}

/**
 * `--on`: the object the launch is for, given to the wrapper's external input of its type (as
 * XNAT's "Run container" menu does for the page's object).
 */
function bindOn(
  command: Command,
  wrapperName: string,
  archive: XnatArchive,
  text: string,
  inputs: Record<string, string>,
): void {
  const wrapper = command.xnat.find((candidate) => candidate.name === wrapperName);
  if (wrapper === undefined) return; // resolution reports the unknown wrapper
  const candidates = wrapper.externalInputs.filter((input) => isXnatType(input.type));
  if (candidates.length === 0)
    throw usage(`wrapper ${wrapperName} has no XNAT object input to bind --on to`);
  const object = findObject(
    archive,
    text,
    candidates.map((input) => input.type),
  );
  if (object === undefined) {
    throw new CliError(
      EXIT.invalid,
      `cannot resolve: no ${candidates.map((input) => input.type).join(" or ")} "${text}" in ${archive.root}`,
    );
  }
  const input = candidates.find((candidate) => candidate.type === object.type);
  if (input === undefined) {
    throw new CliError(
      EXIT.invalid,
      `cannot resolve: "${text}" is a ${object.type}; wrapper ${wrapperName} takes ${candidates.map((candidate) => candidate.type).join(", ")}`,
    );
  }
  inputs[input.name] ??= object.uri ?? text;
}

function findObject(
  archive: XnatArchive,
  text: string,
  types: readonly string[],
): XnatObject | undefined {
  const none = { include: new Set<never>() };
  if (text.startsWith("/")) return archive.byUri(text, none);
  for (const type of types) {
    if (!isXnatType(type)) continue;
    const found = archive.byId(type, text, none);
    if (found !== undefined) return found;
  }
  if (!types.includes("Session")) return undefined;
  for (const project of archive.projects()) {
    for (const session of archive.sessions(project.id ?? ""))
      if (session.label === text) return session;
  }
  return undefined;
}

/** Commands from files and folders, each registered under its own image. */
function readRegistry(paths: readonly string[]): RegisteredCommand[] {
  const files = paths.flatMap((path) => {
    if (!statSync(path, { throwIfNoEntry: false }))
      throw new CliError(EXIT.unreadable, `cannot read ${path}`);
    return statSync(path).isDirectory()
      ? readdirSync(path)
          .filter((name) => name.endsWith(".json"))
          .sort()
          .map((name) => join(path, name))
      : [path];
  });
  return files.map((file) => ({ command: readCommandFile(file, "rest") }));
}
