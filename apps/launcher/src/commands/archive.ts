// xcs archive ls <root>: what an archive on disk holds, as XCS would see it (the tree or the
// serialised objects). The listing itself is @xcs/archive's formatArchiveTree / archiveTree.
import { resolve } from "node:path";
import { ArchiveError, archiveTree, formatArchiveTree, openArchive } from "@xcs/archive";
import { parse } from "../args.js";
import { CliError, type CliIO, EXIT, type ExitCode } from "../io.js";

export const ARCHIVE_HELP = `Usage: xcs archive ls [options] <root>

List an archive on disk as XNAT Container Service sees it: projects, subjects, sessions, scans
(id, type, series description), assessors and resources with their file counts. The root is an
archive in the XNAT layout (<root>/<project>/project.json, sessions in
<project>/arc001/<label>/session.json, resources as folders) or a RADIFOX study.

Options:
  -l, --layout <name> xnat or radifox (default: xnat when a folder below the root holds
                      project.json or arc001, else radifox)
  -p, --project <id>  only this project (id or alias)
  -d, --depth <n>     levels to show: 1 projects, 2 subjects, 3 sessions, 4 scans,
                      5 resources (default)
      --json          print the XNAT objects as XCS serialises them
  -h, --help          show this help

Exit codes: 0 listed, 2 the archive or the project cannot be read (a missing folder, bad
metadata), or bad arguments.`;

export async function archive(args: string[], io: CliIO): Promise<ExitCode> {
  const [subcommand, ...rest] = args;
  if (subcommand === "-h" || subcommand === "--help" || subcommand === undefined) {
    (subcommand === undefined ? io.stderr : io.stdout).write(`${ARCHIVE_HELP}\n`);
    return subcommand === undefined ? EXIT.usage : EXIT.ok;
  }
  if (subcommand !== "ls") {
    throw new CliError(
      EXIT.usage,
      `unknown archive command '${subcommand}'; see xcs archive --help`,
    );
  }
  const { values, positionals } = parse(rest, {
    project: { type: "string", short: "p" },
    depth: { type: "string", short: "d" },
    layout: { type: "string", short: "l" },
    json: { type: "boolean" },
    help: { type: "boolean", short: "h" },
  });
  if (values.help) {
    io.stdout.write(`${ARCHIVE_HELP}\n`);
    return EXIT.ok;
  }
  if (positionals.length !== 1) {
    throw new CliError(
      EXIT.usage,
      positionals.length === 0
        ? "no archive root given; see xcs archive --help"
        : `unexpected argument '${positionals[1]}'; see xcs archive --help`,
    );
  }
  const depth = values.depth === undefined ? undefined : Number(values.depth);
  if (depth !== undefined && !(Number.isInteger(depth) && depth >= 1)) {
    throw new CliError(EXIT.usage, `--depth must be a whole number >= 1, not '${values.depth}'`);
  }
  const layout = values.layout;
  if (layout !== undefined && layout !== "xnat" && layout !== "radifox") {
    throw new CliError(EXIT.usage, `unknown layout '${layout}': use xnat or radifox`);
  }
  const root = resolve(io.cwd ?? process.cwd(), positionals[0] as string);
  const options = { project: values.project, depth };
  try {
    const opened = openArchive(root, { layout });
    io.stdout.write(
      values.json
        ? `${JSON.stringify(archiveTree(opened, options), null, 2)}\n`
        : formatArchiveTree(opened, options),
    );
  } catch (error) {
    if (error instanceof ArchiveError) {
      throw new CliError(EXIT.unreadable, error.message, { cause: error });
    }
    throw error;
  }
  return EXIT.ok;
}
