// XNAT's own validation of a command (`Command.validate()`, spec section 2), statement by
// statement: the same checks, the same messages (typos and double spaces included) and the same
// order, so that what users see here is what XNAT answers. Where XNAT itself fails with an
// internal error (a select-many input without a default value, an output or output handler
// without a name) a finding says so instead.

import type { Finding } from "./findings.js";
import { Findings } from "./findings.js";
import { isBlank, javaHashSetOrder, javaList, javaSplitCount } from "./java-order.js";
import { pointerToken, readJsonStringList } from "./json-reader.js";
import {
  type Command,
  type CommandInput,
  type CommandWrapper,
  type DerivedInput,
  IMAGE_WITH_TAG,
  MULTIPLE_DELIMITERS,
  OUTPUT_HANDLER_TYPES,
  type OutputHandler,
  VISIBILITIES,
  WRAPPER_INPUT_TYPES,
  type WrapperInput,
} from "./model.js";

const NAME_CHARS = /[^A-Za-z0-9_-]/;
const SELECT_TYPES = new Set(["select-one", "select-many"]);
const RESERVED_SECRET_NAMES = ["XNAT_USER", "XNAT_PASS", "XNAT_HOST"];
const SELECT_NOTE =
  "Note that command inputs with values provided by xnat inputs shouldn't be designated as select (they'll automatically render as a select if their xnat input resolves to more than one value).";
const KNOWN_COMMAND_TYPES = "docker, docker-setup, docker-wrapup";

/** XNAT's validation messages for `command`, in XNAT's order. */
export function xcsValidate(command: Command): Finding[] {
  const out = new Findings("xcs");
  const cn = `Command "${command.name}" - `;
  if (isBlank(command.name)) {
    out.add("xcs-name-blank", "Command name cannot be blank.", "/name", "Give the command a name.");
  }
  if (isBlank(command.image)) {
    out.add(
      "xcs-image-blank",
      `${cn}image name cannot be blank.`,
      "/image",
      "Set image to repo/image:tag.",
    );
  }
  if (command.image && !IMAGE_WITH_TAG.test(command.image)) {
    out.add(
      "xcs-image-tag",
      `${cn}image name must include version tag. e.g. image_name:tag`,
      "/image",
      "Add a tag to the image, e.g. :1.0.",
    );
  }
  if (command.type === "docker") validateDocker(command, cn, out);
  else if (command.type === "docker-setup") validateSpecial(command, cn, "Setup", out);
  else if (command.type === "docker-wrapup") validateSpecial(command, cn, "Wrapup", out);
  else {
    out.add(
      "xcs-type-unknown",
      `${cn}Cannot validate command of type "${command.type}". Known types: ${KNOWN_COMMAND_TYPES}`,
      "/type",
      "Use docker, docker-setup or docker-wrapup (lower case).",
    );
  }
  if (!(VISIBILITIES as readonly string[]).includes(command.visibility)) {
    out.add(
      "xcs-visibility",
      `${cn} has visibility set to an unknown value. Known types: ${VISIBILITIES.join(", ")}`,
      "/visibility",
      "Use public, private or protected.",
    );
  }
  return out.list;
}

function validateSpecial(command: Command, cn: string, kind: string, out: Findings): void {
  const forbidden: [string, string, number][] = [
    ["mounts", "/mounts", command.mounts.length],
    ["inputs", "/inputs", command.inputs.length],
    ["outputs", "/outputs", command.outputs.length],
    ["wrappers", "/xnat", command.xnat.length],
    [
      "environment variables",
      "/environment-variables",
      Object.keys(command.environmentVariables).length,
    ],
    ["ports", "/ports", Object.keys(command.ports).length],
    ["secrets", "/secrets", command.secrets.length],
  ];
  for (const [what, pointer, count] of forbidden) {
    if (count === 0) continue;
    out.add(
      "xcs-special-declares",
      `${cn} ${kind} commands cannot declare any ${what}.`,
      pointer,
      `Remove ${what}: XNAT gives ${kind.toLowerCase()} commands their own /input and /output.`,
    );
  }
}

function validateDocker(command: Command, cn: string, out: Findings): void {
  for (const [name, value] of Object.entries(command.ulimits ?? {})) {
    if (value === "" || (value.includes(":") && javaSplitCount(value, ":") > 2)) {
      out.add(
        "xcs-ulimit-format",
        `${cn} incorrect ulimit format: ${value}. Should be "name" : "softlimit:hardlimit" or "name" : "limit"`,
        `/ulimits/${pointerToken(name)}`,
        'Write the limit as "soft:hard" or a single number.',
      );
    }
  }
  validateSecrets(command, cn, out);
  const mountNames = validateMounts(command, cn, out);
  validateInputs(command, cn, out);
  const outputNames = validateOutputs(command, cn, mountNames, out);
  const seen = new Set<string | null>();
  command.xnat.forEach((wrapper, index) => {
    const pointer = `/xnat/${index}`;
    if (seen.has(wrapper.name)) {
      out.add(
        "xcs-wrapper-not-unique",
        `${cn}wrapper name "${wrapper.name}" is not unique.`,
        `${pointer}/name`,
        "Give each wrapper its own name.",
      );
    }
    seen.add(wrapper.name);
    validateWrapper(command, wrapper, pointer, cn, outputNames, out);
    if (isBlank(wrapper.name)) {
      out.add(
        "xcs-wrapper-name-blank",
        `${cn}Command wrapper name cannot be blank.`,
        `${pointer}/name`,
        "Name the wrapper.",
      );
    }
  });
}

function validateSecrets(command: Command, cn: string, out: Findings): void {
  const names: string[] = [];
  const where = new Map<string, string>();
  command.secrets.forEach((secret, index) => {
    if (secret.source === null || secret.destination === null) {
      out.add(
        "xcs-crash-secret",
        `secret ${index} has no ${secret.source === null ? "source" : "destination"}: XNAT's validation fails on it with an internal error (HTTP 500).`,
        `/secrets/${index}`,
        'Give the secret a "source" and a "destination", each with a "type".',
      );
      return;
    }
    const name = secret.destination.identifier;
    if (name === null) return;
    names.push(name);
    if (!where.has(name)) where.set(name, `/secrets/${index}/destination/identifier`);
  });
  const destinations = javaHashSetOrder(names);
  for (const name of destinations.filter((n) => RESERVED_SECRET_NAMES.includes(n))) {
    out.add(
      "xcs-secret-reserved",
      `${cn} Secrets use reserved environment variable name "${name}"`,
      where.get(name) ?? "/secrets",
      "XNAT sets XNAT_USER, XNAT_PASS and XNAT_HOST itself: use another name.",
    );
  }
  for (const name of destinations.filter((n) => Object.hasOwn(command.environmentVariables, n))) {
    out.add(
      "xcs-secret-env-collision",
      `${cn} Secrets and environment variables both request name "${name}"`,
      where.get(name) ?? "/secrets",
      "Rename the secret or the environment variable.",
    );
  }
}

function validateMounts(command: Command, cn: string, out: Findings): string[] {
  const names = new Set<string>();
  command.mounts.forEach((mount, index) => {
    const pointer = `/mounts/${index}`;
    const own = new Findings("xcs");
    if (isBlank(mount.name)) {
      own.add(
        "xcs-mount-name-blank",
        "Mount name cannot be blank.",
        `${pointer}/name`,
        "Name the mount.",
      );
    }
    if (isBlank(mount.path)) {
      own.add(
        "xcs-mount-path-blank",
        `Mount "${mount.name}" path cannot be blank.`,
        `${pointer}/path`,
        "Set the absolute path in the container.",
      );
    }
    if (names.has(mount.name)) {
      out.add(
        "xcs-mount-not-unique",
        `${cn}mount name "${mount.name}" is not unique.`,
        `${pointer}/name`,
        "Give each mount its own name.",
      );
    }
    names.add(mount.name);
    prefixed(own, cn, out);
  });
  // XNAT's set of mount names is sized by the number of mounts: its order shows in messages.
  return javaHashSetOrder(names, command.mounts.length);
}

function validateInputs(command: Command, cn: string, out: Findings): void {
  const seen = new Set<string>();
  command.inputs.forEach((input, index) => {
    const pointer = `/inputs/${index}`;
    const own = new Findings("xcs");
    inputOwnErrors(input, pointer, own);
    if (seen.has(input.name)) {
      out.add(
        "xcs-input-not-unique",
        `${cn}input name "${input.name}" is not unique.`,
        `${pointer}/name`,
        "Give each input its own name.",
      );
    }
    seen.add(input.name);
    prefixed(own, cn, out);
  });
}

function inputOwnErrors(input: CommandInput, pointer: string, out: Findings): void {
  const n = input.name;
  if (isBlank(n)) {
    out.add(
      "xcs-input-name-blank",
      "Command input name cannot be blank",
      `${pointer}/name`,
      "Name the input.",
    );
  }
  if (NAME_CHARS.test(n)) {
    out.add(
      "xcs-input-name-chars",
      `Command input "${n}" name should contain only alphanumeric, _ and - characters.`,
      `${pointer}/name`,
      "Use only letters, digits, _ and - in the name.",
    );
  }
  const delimiter = input.multipleDelimiter;
  if (delimiter !== null && !(MULTIPLE_DELIMITERS as readonly string[]).includes(delimiter)) {
    out.add(
      "xcs-input-delimiter",
      `Invalid multiple-delimiter "${delimiter}", choose from: ${MULTIPLE_DELIMITERS.join(", ")}`,
      `${pointer}/multiple-delimiter`,
      "Use quoted-space, space, comma or flag.",
    );
  }
  const isSelect = SELECT_TYPES.has(input.type);
  if (isSelect && input.selectValues.length === 0) {
    out.add(
      "xcs-select-without-values",
      `Command input "${n}" is designated as type "${input.type}" but doesn't list select-values. ${SELECT_NOTE}`,
      `${pointer}/select-values`,
      "List the choices in select-values, or make the input a string.",
    );
  } else if (!isSelect && input.selectValues.length > 0) {
    out.add(
      "xcs-select-values-not-select",
      `Command input "${n}" has select-values set, but is not a select type.`,
      `${pointer}/type`,
      "Make the input select-one or select-many, or remove select-values.",
    );
  }
  checkDefault(input, pointer, out);
}

/** The default value against the select values (spec 2.2 step 4, last bullet). */
function checkDefault(input: CommandInput, pointer: string, out: Findings): void {
  const n = input.name;
  const values = input.selectValues;
  const given = input.defaultValue;
  if (input.type === "select-many") {
    if (given === null) {
      out.add(
        "xcs-crash-select-many-default",
        `Command input "${n}" is a select-many input without a default-value: XNAT's validation fails on it with an internal error (HTTP 500).`,
        `${pointer}/default-value`,
        'Give a default-value, for example "[]".',
      );
      return;
    }
    const list = readJsonStringList(given);
    if (list !== undefined) {
      if (
        list.length > 0 &&
        values.length > 0 &&
        !list.every((v) => v !== null && values.includes(v))
      ) {
        out.add(
          "xcs-select-defaults-not-in-values",
          `Command input "${n}" one or more default values in "${javaList(list)}" is not in the list of select-values "${javaList(values)}"`,
          `${pointer}/default-value`,
          "Use only values listed in select-values as defaults.",
        );
      }
      return;
    }
  }
  if (given !== null && values.length > 0 && !values.includes(given)) {
    out.add(
      "xcs-select-default-not-in-values",
      `Command input "${n}" default value "${given}" is not one of the select-values "${javaList(values)}"`,
      `${pointer}/default-value`,
      "Use one of the select-values as the default.",
    );
  }
}

function validateOutputs(
  command: Command,
  cn: string,
  mountNames: string[],
  out: Findings,
): string[] {
  const names = new Set<string | null>();
  const knownMounts = new Set(mountNames);
  command.outputs.forEach((output, index) => {
    const pointer = `/outputs/${index}`;
    const own = new Findings("xcs");
    if (isBlank(output.name)) {
      own.add(
        "xcs-output-name-blank",
        "Output name cannot be blank.",
        `${pointer}/name`,
        "Name the output.",
      );
    }
    if (isBlank(output.mount)) {
      own.add(
        "xcs-output-mount-blank",
        `Output "${output.name}" - mount cannot be blank.`,
        `${pointer}/mount`,
        "Name the mount the output is written to.",
      );
    }
    if (output.name === null) {
      own.add(
        "xcs-crash-output-name",
        "Command output without a name: XNAT's validation fails on it with an internal error (HTTP 500).",
        `${pointer}/name`,
        "Name the output.",
      );
    } else if (NAME_CHARS.test(output.name)) {
      own.add(
        "xcs-output-name-chars",
        `Command output "${output.name}" name should contain only alphanumeric, _ and - characters.`,
        `${pointer}/name`,
        "Use only letters, digits, _ and - in the name.",
      );
    }
    if (names.has(output.name)) {
      out.add(
        "xcs-output-not-unique",
        `${cn}output name "${output.name}" is not unique.`,
        `${pointer}/name`,
        "Give each output its own name.",
      );
    }
    names.add(output.name);
    if (output.mount === null || !knownMounts.has(output.mount)) {
      out.add(
        "xcs-output-unknown-mount",
        `${cn}output "${output.name}" references unknown mount "${output.mount}". Known mounts: ${mountNames.join(", ")}`,
        `${pointer}/mount`,
        "Name one of the command's mounts.",
      );
    }
    prefixed(own, cn, out);
  });
  return javaHashSetOrder(
    [...names].map((name) => name ?? "null"),
    command.outputs.length,
  );
}

function wrapperInputOwnErrors(input: WrapperInput, pointer: string, out: Findings): void {
  const n = input.name;
  if (isBlank(n)) {
    out.add(
      "xcs-wrapper-input-name-blank",
      "Command wrapper input name cannot be blank.",
      `${pointer}/name`,
      "Name the input.",
    );
  }
  if (!(WRAPPER_INPUT_TYPES as readonly string[]).includes(input.type)) {
    out.add(
      "xcs-wrapper-input-type",
      `Command wrapper input "${n}" - Unknown type "${input.type}". Known types: ${javaHashSetOrder(WRAPPER_INPUT_TYPES).join(", ")}`,
      `${pointer}/type`,
      "Use one of the known types; they are case-sensitive (Session, Scan, ...).",
    );
  }
  if (!isBlank(input.viaSetupCommand) && isBlank(input.providesFilesForCommandMount)) {
    out.add(
      "xcs-via-setup-without-mount",
      `Command wrapper input "${n}" - "via-setup-command": "${input.viaSetupCommand}" - You cannot set "via-setup-command" on an input that does not provide files for a command mount.`,
      `${pointer}/via-setup-command`,
      "Add provides-files-for-command-mount, or remove via-setup-command.",
    );
  }
  if (NAME_CHARS.test(n)) {
    out.add(
      "xcs-wrapper-input-name-chars",
      `Command wrapper input "${n}" name should contain only alphanumeric, _ and - characters.`,
      `${pointer}/name`,
      "Use only letters, digits, _ and - in the name.",
    );
  }
}

function derivedOwnErrors(input: DerivedInput, pointer: string, out: Findings): void {
  wrapperInputOwnErrors(input, pointer, out);
  if (isBlank(input.derivedFromWrapperInput)) {
    out.add(
      "xcs-derived-parent-blank",
      `Command wrapper input "${input.name}" - property "derived-from-wrapper-input" cannot be blank.`,
      `${pointer}/derived-from-wrapper-input`,
      "Name the wrapper input this one is derived from.",
    );
  }
  if (!input.multiple) return;
  if (!isBlank(input.providesFilesForCommandMount)) {
    out.add(
      "xcs-derived-multiple-files",
      `derived input "${input.name}" is designated as a "multiple" input, which means it cannot provide files for command mounts (consider mounting the parent element).`,
      `${pointer}/provides-files-for-command-mount`,
      "Mount the parent input instead.",
    );
  }
  if (isBlank(input.providesValueForCommandInput)) {
    out.add(
      "xcs-derived-multiple-value",
      `derived input "${input.name}" is designated as a "multiple" input, whichmeans it must directly provide values for some command input.`,
      `${pointer}/provides-value-for-command-input`,
      "Set provides-value-for-command-input.",
    );
  }
}

/** The command input `input` gives its value to, when that is a select input (spec 2.2). */
function feedsSelect(command: Command, input: WrapperInput): string | undefined {
  const target = input.providesValueForCommandInput;
  const commandInput = command.inputs.find((candidate) => candidate.name === target);
  if (!commandInput) return undefined;
  const select = SELECT_TYPES.has(commandInput.type) || commandInput.selectValues.length > 0;
  return select ? commandInput.name : undefined;
}

function validateWrapper(
  command: Command,
  wrapper: CommandWrapper,
  pointer: string,
  cn: string,
  outputNames: string[],
  out: Findings,
): void {
  const wn = `${cn}wrapper "${wrapper.name}" - `;
  // XNAT keeps the wrapper inputs in a map sized for all of them, first name first: its order
  // shows in messages, and a later input of the same name does not replace the first.
  const inputCount = wrapper.externalInputs.length + wrapper.derivedInputs.length;
  const inputs = new Map<string, WrapperInput>();
  const register = (input: WrapperInput) => {
    if (!inputs.has(input.name)) inputs.set(input.name, input);
  };
  const knownInputs = () => javaHashSetOrder(inputs.keys(), inputCount);
  const selectNote = (kind: string, input: WrapperInput, at: string) => {
    const target = feedsSelect(command, input);
    if (target === undefined) return;
    out.add(
      "xcs-provides-select",
      `${wn}${kind} input "${input.name}" provides values for command input "${target}", which is a select type. ${SELECT_NOTE}`,
      `${at}/provides-value-for-command-input`,
      "Make the command input a string: XNAT offers a choice when several values resolve.",
    );
  };
  wrapper.externalInputs.forEach((input, index) => {
    const at = `${pointer}/external-inputs/${index}`;
    const own = new Findings("xcs");
    wrapperInputOwnErrors(input, at, own);
    if (inputs.has(input.name)) {
      out.add(
        "xcs-external-not-unique",
        `${wn}external input name "${input.name}" is not unique.`,
        `${at}/name`,
        "Give each wrapper input its own name.",
      );
    }
    register(input);
    selectNote("external", input, at);
    prefixed(own, wn, out);
  });
  // Names of derived inputs that take several values (any of them, if a name repeats).
  const multiple = new Set<string>();
  wrapper.derivedInputs.forEach((input, index) => {
    const at = `${pointer}/derived-inputs/${index}`;
    const own = new Findings("xcs");
    derivedOwnErrors(input, at, own);
    if (inputs.has(input.name)) {
      out.add(
        "xcs-derived-not-unique",
        `${wn}derived input name "${input.name}" is not unique.`,
        `${at}/name`,
        "Give each wrapper input its own name.",
      );
    }
    register(input);
    if (input.multiple) multiple.add(input.name);
    const parent = input.derivedFromWrapperInput;
    if (parent === input.name) {
      out.add(
        "xcs-derived-self",
        `${wn}derived input "${input.name}" is derived from itself.`,
        `${at}/derived-from-wrapper-input`,
        "Derive it from an input declared before it.",
      );
    } else if (parent === null || !inputs.has(parent)) {
      out.add(
        "xcs-derived-unknown-parent",
        `${wn}derived input "${input.name}" is derived from an unknown XNAT input "${parent}". Known inputs: ${knownInputs().join(", ")}`,
        `${at}/derived-from-wrapper-input`,
        "Name an external input or a derived input declared before this one.",
      );
    }
    selectNote("derived", input, at);
    prefixed(own, wn, out);
  });
  const handlerNames = new Set<string | null>();
  const handled = new Set<string | null>();
  const knownOutputs = new Set(outputNames);
  wrapper.outputHandlers.forEach((handler, index) => {
    const at = `${pointer}/output-handlers/${index}`;
    const own = new Findings("xcs");
    handlerOwnErrors(handler, at, own);
    handled.add(handler.acceptsCommandOutput);
    const output = handler.acceptsCommandOutput;
    if (output === null || !knownOutputs.has(output)) {
      out.add(
        "xcs-handler-unknown-output",
        `${wn}output handler refers to unknown command output "${output}". Known outputs: ${outputNames.join(", ")}.`,
        `${at}/accepts-command-output`,
        "Name one of the command's outputs.",
      );
    }
    validateHandlerParent(handler, at, wn, inputs, multiple, handlerNames, out, () => [
      knownInputs(),
      javaHashSetOrder(
        [...handlerNames].map((name) => name ?? "null"),
        wrapper.outputHandlers.length,
      ),
    ]);
    if (handlerNames.has(handler.name)) {
      out.add(
        "xcs-handler-not-unique",
        `${wn}output handler name "${handler.name}" is not unique.`,
        `${at}/name`,
        "Give each output handler its own name.",
      );
    }
    handlerNames.add(handler.name);
    prefixed(own, wn, out);
  });
  for (const name of outputNames) {
    if (handled.has(name)) continue;
    const index = command.outputs.findIndex((output) => (output.name ?? "null") === name);
    out.add(
      "xcs-output-not-handled",
      `${wn}command output "${name}" is not handled by any output handler.`,
      `/outputs/${index}`,
      "Add an output handler for it to this wrapper.",
    );
  }
}

/** Where a handler uploads: a wrapper input or an earlier handler, fit for an upload. */
function validateHandlerParent(
  handler: OutputHandler,
  at: string,
  wn: string,
  inputs: ReadonlyMap<string, WrapperInput>,
  multiple: ReadonlySet<string>,
  earlierHandlers: ReadonlySet<string | null>,
  out: Findings,
  known: () => [string[], string[]],
): void {
  const parent = handler.asAChildOf;
  if (parent === null || (!inputs.has(parent) && !earlierHandlers.has(parent))) {
    // Built only when reported: the lists are sorted in Java's hash order.
    const [knownInputs, soFar] = known();
    out.add(
      "xcs-handler-unknown-parent",
      `${wn}output handler does not refer to a known wrapper input or output. "as-a-child-of": "${parent}".\nKnown inputs: ${knownInputs.join(", ")}.\nKnown outputs (so far): ${soFar.join(", ")}.`,
      `${at}/as-a-child-of`,
      "Name a wrapper input, or an output handler declared before this one.",
    );
    return;
  }
  if (multiple.has(parent)) {
    out.add(
      "xcs-handler-multiple-parent",
      `${wn}output handler "${handler.name}" has "as-a-child-of": "${parent}", but that input is set to allow multiple values.`,
      `${at}/as-a-child-of`,
      "Upload into an input with a single value.",
    );
  }
  const input = inputs.get(parent) as Partial<DerivedInput> | undefined;
  const property = input?.derivedFromXnatObjectProperty ?? null;
  if (property !== null && property !== "uri") {
    out.add(
      "xcs-handler-parent-not-uri",
      `${wn}output handler "${handler.name}" has "as-a-child-of": "${parent}", but that input's value is set to "${property}", which will cause the upload to fail (a "uri" is required for upload).`,
      `${at}/as-a-child-of`,
      "Upload into an input whose value is the object's uri.",
    );
  }
}

function handlerOwnErrors(handler: OutputHandler, pointer: string, out: Findings): void {
  const prefix = `Command wrapper output "${handler.name}" - `;
  if (isBlank(handler.name)) {
    out.add(
      "xcs-handler-name-blank",
      "Command wrapper output - name cannot be blank.",
      `${pointer}/name`,
      "Name the output handler.",
    );
  }
  if (isBlank(handler.acceptsCommandOutput)) {
    out.add(
      "xcs-handler-output-blank",
      `${prefix}property "accepts-command-output" cannot be blank.`,
      `${pointer}/accepts-command-output`,
      "Name the command output this handler uploads.",
    );
  }
  if (isBlank(handler.asAChildOf)) {
    out.add(
      "xcs-handler-parent-blank",
      `${prefix}property "as-a-child-of" cannot be blank.`,
      `${pointer}/as-a-child-of`,
      'Set "as-a-child-of" (the legacy "as-a-child-of-wrapper-input" is read only by REST create).',
    );
  }
  if (!(OUTPUT_HANDLER_TYPES as readonly string[]).includes(handler.type)) {
    out.add(
      "xcs-handler-type",
      `${prefix}Unknown type "${handler.type}". Known types: ${OUTPUT_HANDLER_TYPES.join(", ")}`,
      `${pointer}/type`,
      "Use Resource, Assessor or Scan.",
    );
  } else if (handler.type === "Resource" && isBlank(handler.label)) {
    out.add(
      "xcs-handler-label-blank",
      `${prefix}when type = Resource, label cannot be blank.`,
      `${pointer}/label`,
      "Give the resource a label.",
    );
  }
  if (handler.name === null) {
    out.add(
      "xcs-crash-handler-name",
      "Output handler without a name: XNAT's validation fails on it with an internal error (HTTP 500).",
      `${pointer}/name`,
      "Name the output handler.",
    );
  } else if (NAME_CHARS.test(handler.name)) {
    out.add(
      "xcs-handler-name-chars",
      `Command wrapper output "${handler.name}" name should contain only alphanumeric, _ and - characters.`,
      `${pointer}/name`,
      "Use only letters, digits, _ and - in the name.",
    );
  }
}

/** Moves `own`'s findings into `out` with the message prefix XNAT adds. */
function prefixed(own: Findings, prefix: string, out: Findings): void {
  for (const finding of own.list) {
    out.add(
      finding.code,
      `${prefix}${finding.message}`,
      finding.pointer,
      finding.hint,
      finding.severity,
    );
  }
}
