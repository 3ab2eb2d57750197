// The radifox command: dispatch to a subcommand and turn errors into exit codes.
import { createRequire } from "node:module";
import { LS_HELP, ls } from "./commands/ls.js";
import { NAME_PARSE_HELP, nameParse } from "./commands/name-parse.js";
import { PROV_EXPORT_HELP, provExport } from "./commands/prov-export.js";
import { PROV_LINEAGE_HELP, provLineage } from "./commands/prov-lineage.js";
import { PROV_SHOW_HELP, provShow } from "./commands/prov-show.js";
import { PROV_VERIFY_HELP, provVerify } from "./commands/prov-verify.js";
import { RUN_HELP, run } from "./commands/run.js";
import { STAGE_HELP, stage } from "./commands/stage.js";
import { CliError, type CliIO, EXIT, type ExitCode } from "./io.js";

export const HELP = `Usage: radifox <command> [options]

Commands:
  ls <dir>                  list (and filter) the images of a project, subject or session
  name parse <name...>      explain RADIFOX file names part by part
  run [options] -- <cmd>    run a program as a processing module, with provenance records
  prov show <path>          the provenance records of a file or session
  prov verify <session...>  check sessions' files against their provenance records
  prov lineage <file>       where a file came from, down to its raw inputs
  prov export <path...>     provenance as W3C PROV-JSON or BIDS GeneratedBy
  stage <subject...>        stage subjects' sessions for processing (also: radifox-stage)

Options:
  -h, --help     show help (also: radifox <command> --help)
  -V, --version  show the version

Exit codes: 0 ok, 1 a run failed (radifox run passes a program's own exit status through),
64 bad arguments, 65 bad data, 66 missing input, 70 internal error, 73 cannot create,
74 write failed, 75 busy.`;

export const PROV_HELP = `Usage: radifox prov <command> [options]

Commands:
  show <file|session>      the provenance records of a file, record file or session folder
  verify <session...>      check sessions' files against their records (exit 65 on findings)
  lineage <file>           where a file came from, through its records, down to raw inputs
  export <file|session...> records as W3C PROV-JSON (--format prov-json) or as a BIDS
                           derivative's GeneratedBy (--format bids)

See radifox prov <command> --help.`;

export function version(): string {
  const manifest = createRequire(import.meta.url)("../package.json") as { version: string };
  return manifest.version;
}

/** A command's exit code: one of `EXIT`, or (`radifox run`) a program's own exit status. */
type Command = (args: string[], io: CliIO) => Promise<ExitCode | number>;

const COMMANDS: Record<string, { run: Command; help: string }> = {
  ls: { run: ls, help: LS_HELP },
  "name parse": { run: nameParse, help: NAME_PARSE_HELP },
  "prov export": { run: provExport, help: PROV_EXPORT_HELP },
  "prov lineage": { run: provLineage, help: PROV_LINEAGE_HELP },
  "prov show": { run: provShow, help: PROV_SHOW_HELP },
  "prov verify": { run: provVerify, help: PROV_VERIFY_HELP },
  run: { run, help: RUN_HELP },
  stage: { run: (args, io) => stage(args, io), help: STAGE_HELP },
};

/** Commands of two words: the group and its subcommands. */
const GROUPS: Record<string, string[]> = {
  name: ["parse"],
  prov: ["show", "verify", "lineage", "export"],
};

/**
 * Run the radifox command line with `args` (without the program name); returns the exit code
 * (one of `EXIT`, or for `radifox run` the program's own non-zero exit status).
 */
export async function main(args: string[], io: CliIO): Promise<number> {
  const [first, second] = args;
  if (first === undefined) {
    io.stderr.write(`${HELP}\n`);
    return EXIT.usage;
  }
  if (first === "-h" || first === "--help" || first === "help") {
    io.stdout.write(`${HELP}\n`);
    return EXIT.ok;
  }
  if (first === "-V" || first === "--version") {
    io.stdout.write(`${version()}\n`);
    return EXIT.ok;
  }
  let name = first;
  let rest = args.slice(1);
  const group = GROUPS[first];
  if (group && second !== undefined && group.includes(second)) {
    name = `${first} ${second}`;
    rest = args.slice(2);
  } else if (first === "name" && (second === "-h" || second === "--help")) {
    name = "name parse"; // the only `name` command
    rest = ["--help"];
  } else if (first === "prov" && (second === "-h" || second === "--help")) {
    io.stdout.write(`${PROV_HELP}\n`);
    return EXIT.ok;
  }
  const command = COMMANDS[name];
  try {
    if (!command) {
      const hint =
        group?.length === 1
          ? ` (did you mean 'radifox ${first} ${group[0]}'?)`
          : group
            ? ` (commands: ${group.map((sub) => `radifox ${first} ${sub}`).join(", ")})`
            : "";
      throw new CliError(
        EXIT.usage,
        `unknown command '${args.slice(0, 2).join(" ")}'${hint}; see radifox --help`,
      );
    }
    return await command.run(rest, io);
  } catch (error) {
    if (error instanceof CliError) {
      io.stderr.write(`radifox: ${error.message}\n`);
      // A JSON reader gets a document in every case, not an empty stream.
      if (args.includes("--json")) {
        io.stdout.write(
          `${JSON.stringify({ error: { exitCode: error.exitCode, message: error.message } })}\n`,
        );
      }
      return error.exitCode;
    }
    io.stderr.write(`radifox: internal error: ${(error as Error)?.stack ?? String(error)}\n`);
    return EXIT.software;
  }
}
