// Checks beyond XNAT's own validation (spec 2.4 and section 0): mistakes XNAT accepts and that
// then fail at launch, resolve to nothing, or keep a command out of every menu. These never
// change XNAT's own list of messages; each finding has a stable code and a one-line hint.

import type { Finding } from "./findings.js";
import { Findings } from "./findings.js";
import { isBlank } from "./java-order.js";
import { tryParseFilter } from "./jayway/filter-parser.js";
import { pointerToken } from "./json-reader.js";
import type { Command, CommandWrapper, DerivedInput, WrapperInput } from "./model.js";

/** Variables XNAT sets in every container (spec 5.3): a command may not set them too. */
const AUTOMATIC_VARIABLES = [
  "XNAT_USER",
  "XNAT_PASS",
  "XNAT_HOST",
  "XNAT_WORKFLOW_ID",
  "XNAT_EVENT_ID",
];

/** The parent types each derived type can be found in (spec 3.5); others never resolve. */
const PARENT_TYPES: Record<string, readonly string[]> = {
  string: [
    "Project",
    "ProjectAsset",
    "Subject",
    "SubjectAssessor",
    "Session",
    "Scan",
    "Assessor",
    "File",
    "Resource",
  ],
  boolean: [],
  number: [],
  Config: [],
  Directory: ["Resource"],
  File: ["Resource"],
  "File[]": ["Resource"],
  Project: ["ProjectAsset", "Session", "Subject", "Scan", "Assessor", "SubjectAssessor"],
  ProjectAsset: ["Project"],
  Subject: ["Project", "Session", "SubjectAssessor"],
  Session: ["Subject", "Scan", "Assessor"],
  SubjectAssessor: ["Subject"],
  Scan: ["Session", "Resource"],
  Assessor: ["Session"],
  Resource: [
    "Project",
    "ProjectAsset",
    "Subject",
    "Session",
    "Scan",
    "Assessor",
    "SubjectAssessor",
  ],
};

/** The external input type a wrapper needs to be launched from a page of `context`. */
function inputTypeForContext(context: string): string | undefined {
  if (context === "xnat:projectData") return "Project";
  if (context === "xnat:subjectData") return "Subject";
  if (/ScanData$/.test(context)) return "Scan";
  if (/SessionData$/.test(context)) return "Session";
  return undefined;
}

/** Shell syntax that is passed to the program literally when no shell runs the line (spec 6). */
const SHELL_SYNTAX: [RegExp, string][] = [
  [/&&|\|\|/, "&& / ||"],
  [/(^|[^|])\|(?!\|)/, "a pipe"],
  [/[<>]/, "a redirection"],
  [/;/, "';'"],
  [/\$(\{|[A-Za-z_])/, "a $VARIABLE"],
  [/`/, "a backtick"],
];

const TEMPLATE_KEY = /#[A-Za-z0-9_.-]+#/g;

/** Findings of the stricter checks, in document order. */
export function lintCommand(command: Command): Finding[] {
  const out = new Findings("lint");
  lintImage(command, out);
  lintEnvironment(command, out);
  lintMounts(command, out);
  lintCommandLine(command, out);
  lintTemplates(command, out);
  command.inputs.forEach((input, index) => {
    if (input.matcher !== null) {
      out.add(
        "lint-command-input-matcher",
        `command input "${input.name}" has a matcher, which XNAT never applies to command inputs`,
        `/inputs/${index}/matcher`,
        "Move the matcher to the wrapper input that provides the value.",
        "info",
      );
    }
  });
  command.xnat.forEach((wrapper, index) => {
    lintWrapper(command, wrapper, `/xnat/${index}`, out);
  });
  return out.list;
}

function lintImage(command: Command, out: Findings): void {
  if (command.image && !command.image.includes("@sha256:")) {
    out.add(
      "lint-image-digest",
      `image "${command.image}" is not pinned by digest: the same tag can later name another image`,
      "/image",
      "Add @sha256:<digest> to the image for reproducible runs.",
      "info",
    );
  }
}

function lintEnvironment(command: Command, out: Findings): void {
  for (const name of Object.keys(command.environmentVariables)) {
    if (!AUTOMATIC_VARIABLES.includes(name)) continue;
    out.add(
      "lint-env-reserved",
      `environment variable ${name} is also set by XNAT: the launch fails ("Multiple entries with same key")`,
      `/environment-variables/${pointerToken(name)}`,
      `Rename it; XNAT already sets ${AUTOMATIC_VARIABLES.join(", ")}.`,
    );
  }
}

function lintMounts(command: Command, out: Findings): void {
  // Each container path once, with the mount that took it first.
  const byPath = new Map<string, string>();
  command.mounts.forEach((mount, index) => {
    const path = mount.path;
    if (path === null || isBlank(path)) return;
    const at = `/mounts/${index}/path`;
    if (!path.startsWith("/") && !path.startsWith("#")) {
      out.add(
        "lint-mount-path-relative",
        `mount "${mount.name}" has the relative path "${path}"; container paths must be absolute`,
        at,
        `Write it as /${path}.`,
      );
    }
    const clean = path.replace(/\/+$/, "") || "/";
    const same = byPath.get(clean);
    if (same !== undefined) {
      out.add(
        "lint-mount-path-duplicate",
        `mounts "${same}" and "${mount.name}" use the same container path ${path}`,
        at,
        "Give each mount its own path.",
      );
      return;
    }
    byPath.set(clean, mount.name);
  });
  // A path below another's: look up each of its ancestors (linear in the number of mounts).
  for (const [path, name] of byPath) {
    const parts = path.split("/");
    for (let cut = parts.length - 1; cut > 0; cut--) {
      const ancestor = parts.slice(0, cut).join("/") || "/";
      const outer = byPath.get(ancestor);
      if (outer === undefined || ancestor === path) continue;
      const index = command.mounts.findIndex((mount) => mount.name === name);
      out.add(
        "lint-mount-path-nested",
        `mount "${name}" at ${path} is inside mount "${outer}" at ${ancestor}; one hides part of the other`,
        `/mounts/${index}/path`,
        "Use paths that do not contain each other.",
        "warning",
      );
      break;
    }
  }
}

/** The parts of a command line outside quotes (where a shell would act on its syntax). */
function unquoted(line: string): string {
  let out = "";
  let quote: string | undefined;
  for (let i = 0; i < line.length; i++) {
    const c = line[i] as string;
    if (quote) {
      if (c === "\\" && quote === '"') i++;
      else if (c === quote) quote = undefined;
    } else if (c === "\\") {
      i++;
    } else if (c === "'" || c === '"') {
      quote = c;
      out += " ";
    } else {
      out += c;
    }
  }
  return out;
}

function lintCommandLine(command: Command, out: Findings): void {
  const line = command.commandLine;
  if (!line || command.overrideEntrypoint === true) return;
  // `sh -c "..."` runs a shell itself: what follows is the shell's business.
  if (/^\s*(\S*\/)?(ba|da|z|k)?sh\s+(-\w+\s+)*-\w*c\b/.test(line)) return;
  const bare = unquoted(line);
  const found = SHELL_SYNTAX.filter(([pattern]) => pattern.test(bare)).map(([, name]) => name);
  if (found.length === 0) return;
  out.add(
    "lint-shell-syntax",
    `the command line uses ${found.join(", ")}, but no shell runs it: these are passed to the program as literal arguments`,
    "/command-line",
    'Set "override-entrypoint": true to run the line with /bin/sh -c, or drop the shell syntax.',
    "warning",
  );
}

/** An input's key in templates: its replacement-key when not blank, else `#name#`. */
function replacementKey(input: { name: string; replacementKey: string | null }): string {
  return isBlank(input.replacementKey) ? `#${input.name}#` : (input.replacementKey as string);
}

/** Replacement keys and the templates they may appear in. */
function lintTemplates(command: Command, out: Findings): void {
  // Setup and wrap-up commands are filled in with their parent command's keys (spec 1.9).
  if (command.type !== "docker") return;
  const commandKeys = new Set(command.inputs.map(replacementKey));
  const wrapperKeys = new Set<string>();
  for (const wrapper of command.xnat) {
    for (const input of [...wrapper.externalInputs, ...wrapper.derivedInputs]) {
      wrapperKeys.add(replacementKey(input));
    }
  }
  const check = (text: string | null, pointer: string, commandLine = false) => {
    for (const key of new Set(text?.match(TEMPLATE_KEY) ?? [])) {
      if (commandKeys.has(key)) continue;
      if (wrapperKeys.has(key)) {
        if (commandLine) {
          out.add(
            "lint-wrapper-key-in-command-line",
            `${key} is a wrapper input's key: XNAT leaves it literally in the command line (only command inputs are replaced there)`,
            pointer,
            `Add a command input that the wrapper input provides a value for, and use its key.`,
            "warning",
          );
        }
        continue;
      }
      out.add(
        "lint-template-unknown-key",
        `${key} matches no input's replacement key and stays as it is`,
        pointer,
        "Fix the key's spelling, or add the input it refers to.",
        "warning",
      );
    }
  };
  check(command.commandLine, "/command-line", true);
  check(command.workingDirectory, "/working-directory");
  check(command.containerName, "/container-name");
  for (const [name, value] of Object.entries(command.environmentVariables)) {
    check(`${name} ${value}`, `/environment-variables/${pointerToken(name)}`);
  }
  command.mounts.forEach((mount, index) => {
    check(mount.path, `/mounts/${index}/path`);
  });
  command.outputs.forEach((output, index) => {
    check(output.path, `/outputs/${index}/path`);
  });
  command.xnat.forEach((wrapper, w) => {
    wrapper.outputHandlers.forEach((handler, h) => {
      check(handler.label, `/xnat/${w}/output-handlers/${h}/label`);
    });
  });
}

function lintWrapper(
  command: Command,
  wrapper: CommandWrapper,
  pointer: string,
  out: Findings,
): void {
  if (wrapper.contexts.length === 0) {
    out.add(
      "lint-no-contexts",
      `wrapper "${wrapper.name}" has no contexts: XNAT never offers it in a menu`,
      `${pointer}/contexts`,
      'Add the XSI types it runs on, e.g. "contexts": ["xnat:imageSessionData"].',
      "warning",
    );
  }
  const externalTypes = new Set(wrapper.externalInputs.map((input) => input.type));
  wrapper.contexts.forEach((context, index) => {
    const needed = inputTypeForContext(context);
    if (needed === undefined || externalTypes.has(needed)) return;
    out.add(
      "lint-context-input-type",
      `wrapper "${wrapper.name}" is offered on ${context} pages, but none of its external inputs has type ${needed}`,
      `${pointer}/contexts/${index}`,
      `Give the external input type ${needed}, or remove the context.`,
      "warning",
    );
  });
  const typeOf = new Map<string, string>();
  const provided = new Map<string, string>();
  const inputs: [WrapperInput, string][] = [
    ...wrapper.externalInputs.map((input, i): [WrapperInput, string] => [
      input,
      `${pointer}/external-inputs/${i}`,
    ]),
    ...wrapper.derivedInputs.map((input, i): [WrapperInput, string] => [
      input,
      `${pointer}/derived-inputs/${i}`,
    ]),
  ];
  for (const [input, at] of inputs) {
    lintWrapperInput(command, input, at, out);
    if ("derivedFromWrapperInput" in input) lintDerived(input as DerivedInput, typeOf, at, out);
    typeOf.set(input.name, input.type);
    const target = input.providesValueForCommandInput;
    if (target !== null && provided.has(target)) {
      out.add(
        "lint-provides-twice",
        `wrapper inputs "${provided.get(target)}" and "${input.name}" both provide command input "${target}"; the last one resolved wins`,
        `${at}/provides-value-for-command-input`,
        "Let one wrapper input provide each command input.",
        "warning",
      );
    }
    if (target !== null) provided.set(target, input.name);
  }
  wrapper.outputHandlers.forEach((handler, index) => {
    if (handler.viaWrapupCommand !== null) {
      lintSpecialReference(
        handler.viaWrapupCommand,
        `${pointer}/output-handlers/${index}/via-wrapup-command`,
        out,
      );
    }
  });
}

function lintWrapperInput(command: Command, input: WrapperInput, at: string, out: Findings): void {
  const value = input.providesValueForCommandInput;
  if (value !== null && !command.inputs.some((candidate) => candidate.name === value)) {
    out.add(
      "lint-dangling-command-input",
      `wrapper input "${input.name}" provides a value for command input "${value}", which does not exist`,
      `${at}/provides-value-for-command-input`,
      "Name one of the command's inputs.",
    );
  }
  const mount = input.providesFilesForCommandMount;
  if (mount !== null && !command.mounts.some((candidate) => candidate.name === mount)) {
    out.add(
      "lint-dangling-mount",
      `wrapper input "${input.name}" provides files for mount "${mount}", which does not exist`,
      `${at}/provides-files-for-command-mount`,
      "Name one of the command's mounts.",
    );
  }
  if (input.viaSetupCommand !== null)
    lintSpecialReference(input.viaSetupCommand, `${at}/via-setup-command`, out);
  if (!isBlank(input.matcher)) lintMatcher(input, at, out);
}

/** `repo/image:tag[:commandName]`, split on ':' by XNAT (spec 1.9). */
function lintSpecialReference(reference: string, at: string, out: Findings): void {
  const parts = reference.split(":");
  if (parts.length < 2 || parts.some((part) => part === "")) {
    out.add(
      "lint-special-reference",
      `"${reference}" is not of the form repo/image:tag[:commandName]`,
      at,
      "Write the image with its tag, then optionally :commandName.",
    );
  } else if (/^\d+\//.test(parts[1] ?? "")) {
    out.add(
      "lint-special-reference",
      `"${reference}" names a registry with a port; XNAT splits it at every ':' and cannot find the command`,
      at,
      "Refer to the image without the registry port (pull it under another name).",
    );
  }
}

function lintMatcher(input: WrapperInput, at: string, out: Findings): void {
  const matcher = input.matcher as string;
  const parsed = tryParseFilter(matcher);
  if (!parsed.ok) {
    out.add(
      "lint-matcher-syntax",
      `matcher of "${input.name}" is not a valid filter at character ${parsed.error.position + 1}: ${parsed.error.message}`,
      `${at}/matcher`,
      "Write a Jayway filter body, e.g. @.scan-type == 'T1' (== for equality, quotes around strings).",
    );
  }
  if ("derivedFromWrapperInput" in input && ["string", "number", "boolean"].includes(input.type)) {
    out.add(
      "lint-matcher-on-value",
      `derived input "${input.name}" of type ${input.type} has a matcher: XNAT applies it to a plain value, so it never resolves`,
      `${at}/matcher`,
      "Match on the parent object instead, or drop the matcher.",
      "warning",
    );
  }
}

function lintDerived(
  input: DerivedInput,
  typeOf: Map<string, string>,
  at: string,
  out: Findings,
): void {
  const allowed = PARENT_TYPES[input.type];
  if (allowed === undefined) return; // an unknown type: XNAT's validation reports it
  if (allowed.length === 0) {
    out.add(
      "lint-derived-never-resolves",
      `derived input "${input.name}" has type ${input.type}, which XNAT never derives a value for`,
      `${at}/type`,
      "Derive a string (with derived-from-xnat-object-property) and let the command input convert it.",
    );
    return;
  }
  const parentType = input.derivedFromWrapperInput
    ? typeOf.get(input.derivedFromWrapperInput)
    : undefined;
  if (parentType === undefined || allowed.includes(parentType)) return;
  out.add(
    "lint-derived-parent-type",
    `derived input "${input.name}" of type ${input.type} cannot be derived from "${input.derivedFromWrapperInput}" of type ${parentType}; it never resolves`,
    `${at}/derived-from-wrapper-input`,
    `Derive a ${input.type} from one of: ${allowed.join(", ")}.`,
  );
}
