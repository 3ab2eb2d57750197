// XCS's ShellSplitter (spec 6): how a command line becomes the argv of a container when no shell
// runs it (`override-entrypoint` not set). Whitespace (Java's) separates tokens; '...' is
// literal; "..." and bare text take `\x` as x; adjacent parts join; empty tokens are dropped, so
// '' gives nothing; an unterminated quote runs to the end; a trailing lone backslash is dropped.
// No shell syntax is interpreted: `$VAR`, `>`, `;` and globs stay literal.
import { isJavaWhitespace } from "@xcs/command-schema";

/** The argv XCS gives the engine for `line`. */
export function shellSplit(line: string): string[] {
  const tokens: string[] = [];
  let current = "";
  let escaping = false;
  let quote: "'" | '"' | undefined;
  for (const char of line) {
    if (escaping) {
      current += char;
      escaping = false;
    } else if (char === "\\" && quote !== "'") {
      escaping = true;
    } else if (quote !== undefined) {
      if (char === quote) quote = undefined;
      else current += char;
    } else if (char === "'" || char === '"') {
      quote = char;
    } else if (char.length === 1 && isJavaWhitespace(char)) {
      if (current !== "") tokens.push(current);
      current = "";
    } else {
      current += char;
    }
  }
  if (current !== "") tokens.push(current);
  return tokens;
}

/** What an engine runs for a resolved command line (spec 6). */
export interface ContainerCommand {
  /** `""`: the image's entrypoint is replaced by nothing; `null`: it is kept. */
  readonly entrypoint: "" | null;
  /** Docker `Cmd`, Swarm `Args`, Kubernetes `command` + `args`. */
  readonly cmd: string[];
}

/**
 * The argv for `commandLine`: with `override-entrypoint`, a shell runs the line
 * (`/bin/sh -c line`); without it, the line is split into arguments and no shell sees it.
 */
export function containerCommand(
  commandLine: string,
  overrideEntrypoint: boolean,
): ContainerCommand {
  return overrideEntrypoint
    ? { entrypoint: "", cmd: ["/bin/sh", "-c", commandLine] }
    : { entrypoint: null, cmd: shellSplit(commandLine) };
}
