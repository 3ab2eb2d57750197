// The one description of the command JSON format: for every model property its JSON key, how
// XNAT's reader takes the value (Jackson's coercions per Java type, spec 1.1), its default and a
// one-line description. The reader (`read-command.ts`) and the JSON Schema (`json-schema.ts`)
// are both driven by these tables; the `FieldTable<T>` type makes the compiler check that each
// table covers exactly the properties of its model type.
import {
  COMMAND_INPUT_TYPES,
  COMMAND_TYPES,
  type Command,
  type CommandInput,
  type CommandMount,
  type CommandOutput,
  type CommandWrapper,
  type DerivedInput,
  MULTIPLE_DELIMITERS,
  OUTPUT_HANDLER_TYPES,
  type OutputHandler,
  type Secret,
  type SecretDestination,
  type SecretSource,
  VISIBILITIES,
  WRAPPER_INPUT_TYPES,
  type WrapperInput,
} from "./model.js";

/** How XNAT reads a command: REST create, an image label, or the model itself (update API). */
export type ReadMode = "rest" | "label" | "model";
export const READ_MODES: readonly ReadMode[] = ["rest", "label", "model"];

export type ObjectName =
  | "Command"
  | "CommandMount"
  | "CommandInput"
  | "CommandOutput"
  | "CommandWrapper"
  | "ExternalInput"
  | "DerivedInput"
  | "OutputHandler"
  | "Secret"
  | "SecretSource"
  | "SecretDestination";

/** Java types of the fields, which decide Jackson's coercions. */
export type FieldKind =
  | { readonly type: "string" | "boolean" | "long" | "double" | "json" }
  /** A list (or set) of strings; a null element fails construction. */
  | { readonly type: "strings" }
  /** A map of strings; a null value fails construction. */
  | { readonly type: "stringMap" }
  | { readonly type: "object" | "list"; readonly of: ObjectName }
  /** A polymorphic type discriminator with one known id. */
  | { readonly type: "typeId"; readonly id: string };

export interface FieldSpec {
  readonly key: string;
  readonly kind: FieldKind;
  readonly description: string;
  /** The value XNAT uses when the key is absent (for documentation and the schema). */
  readonly default?: unknown;
  /** Modes that read this key (default: all). */
  readonly modes?: readonly ReadMode[];
  /** Another key read in some modes (after `key` when both are read). */
  readonly alias?: { readonly key: string; readonly modes: readonly ReadMode[] };
  /** Construction fails without a value (AutoValue `Null name`). */
  readonly required?: boolean;
  /** Values XNAT's validation accepts, for editor completion (not enforced by the reader). */
  readonly values?: readonly string[];
}

export type FieldTable<T> = { readonly [K in keyof T]-?: FieldSpec };

const string = { type: "string" } as const;
const boolean = { type: "boolean" } as const;
const long = { type: "long" } as const;
const double = { type: "double" } as const;
const strings = { type: "strings" } as const;
const stringMap = { type: "stringMap" } as const;
const listOf = (of: ObjectName) => ({ type: "list", of }) as const;
const objectOf = (of: ObjectName) => ({ type: "object", of }) as const;

export const COMMAND_FIELDS: FieldTable<Command> = {
  id: {
    key: "id",
    kind: long,
    description: "Server-assigned id (REST create and image labels ignore it).",
    default: 0,
    modes: ["model"],
  },
  name: { key: "name", kind: string, description: "Command name (required)." },
  label: { key: "label", kind: string, description: "Label shown in the UI." },
  description: { key: "description", kind: string, description: "What the command does." },
  version: { key: "version", kind: string, description: "Command version." },
  schemaVersion: { key: "schema-version", kind: string, description: "Informational." },
  infoUrl: { key: "info-url", kind: string, description: "Where to read more." },
  image: { key: "image", kind: string, description: "Docker image with a tag, repo/image:tag." },
  containerName: { key: "container-name", kind: string, description: "Container name template." },
  type: {
    key: "type",
    kind: string,
    description: "docker, docker-setup or docker-wrapup.",
    default: "docker",
    values: COMMAND_TYPES,
  },
  index: { key: "index", kind: string, description: "Docker index." },
  hash: { key: "hash", kind: string, description: "Image id." },
  workingDirectory: {
    key: "working-directory",
    kind: string,
    description: "Working directory in the container (template).",
  },
  commandLine: {
    key: "command-line",
    kind: string,
    description: "Command line template with the inputs' replacement keys.",
  },
  commandMetadata: {
    key: "command-metadata",
    kind: { type: "json" },
    description: "Any JSON, carried as is.",
  },
  overrideEntrypoint: {
    key: "override-entrypoint",
    kind: boolean,
    description: "Run the command line with /bin/sh -c instead of the image's entrypoint.",
  },
  mounts: { key: "mounts", kind: listOf("CommandMount"), description: "Mounts.", default: [] },
  environmentVariables: {
    key: "environment-variables",
    kind: stringMap,
    description: "Environment variables (names and values are templates).",
    default: {},
  },
  ports: {
    key: "ports",
    kind: stringMap,
    description: "containerPort -> hostPort.",
    default: {},
  },
  inputs: { key: "inputs", kind: listOf("CommandInput"), description: "Inputs.", default: [] },
  outputs: { key: "outputs", kind: listOf("CommandOutput"), description: "Outputs.", default: [] },
  xnat: {
    key: "xnat",
    kind: listOf("CommandWrapper"),
    description: "Wrappers binding the command to XNAT objects.",
    default: [],
  },
  reserveMemory: { key: "reserve-memory", kind: long, description: "Reserved memory, MiB." },
  limitMemory: { key: "limit-memory", kind: long, description: "Memory limit, MiB." },
  limitCpu: { key: "limit-cpu", kind: double, description: "CPU limit, in CPUs." },
  runtime: { key: "runtime", kind: string, description: "Container runtime (e.g. nvidia)." },
  ipcMode: {
    key: "ipc-mode",
    kind: string,
    description: "Docker IPC mode (REST create and image labels read ipcMode instead).",
    modes: ["model"],
    alias: { key: "ipcMode", modes: ["rest", "label"] },
  },
  autoRemove: { key: "auto-remove", kind: boolean, description: "Docker AutoRemove." },
  shmSize: { key: "shm-size", kind: long, description: "Size of /dev/shm, bytes." },
  network: { key: "network", kind: string, description: "Docker network." },
  containerLabels: {
    key: "container-labels",
    kind: stringMap,
    description: "Container labels (templates).",
  },
  gpus: { key: "gpus", kind: string, description: "GPUs, passed through." },
  genericResources: {
    key: "generic-resources",
    kind: stringMap,
    description: "Swarm generic resources.",
  },
  ulimits: { key: "ulimits", kind: stringMap, description: 'name -> "soft[:hard]".' },
  secrets: { key: "secrets", kind: listOf("Secret"), description: "Secrets.", default: [] },
  visibility: {
    key: "visibility",
    kind: string,
    description: "public, private or protected.",
    default: "public",
    values: VISIBILITIES,
  },
};

export const MOUNT_FIELDS: FieldTable<CommandMount> = {
  name: { key: "name", kind: string, description: "Mount name.", default: "" },
  writable: { key: "writable", kind: boolean, description: "Writable mount.", default: false },
  path: { key: "path", kind: string, description: "Absolute path in the container (template)." },
};

export const INPUT_FIELDS: FieldTable<CommandInput> = {
  name: { key: "name", kind: string, description: "Input name.", required: true },
  label: { key: "label", kind: string, description: "Label shown in the UI." },
  description: { key: "description", kind: string, description: "Description." },
  type: {
    key: "type",
    kind: string,
    description: "string, boolean, number, select-one, select-many or file.",
    default: "string",
    values: COMMAND_INPUT_TYPES,
  },
  required: { key: "required", kind: boolean, description: "Required input.", default: false },
  matcher: { key: "matcher", kind: string, description: "Accepted, never applied by XNAT." },
  defaultValue: { key: "default-value", kind: string, description: "Default value." },
  replacementKey: {
    key: "replacement-key",
    kind: string,
    description: "Key replaced in templates (default #name#).",
  },
  commandLineFlag: { key: "command-line-flag", kind: string, description: "Flag, e.g. --in." },
  commandLineSeparator: {
    key: "command-line-separator",
    kind: string,
    description: 'Between flag and value (absent: " ").',
  },
  trueValue: { key: "true-value", kind: string, description: "Command-line text for true." },
  falseValue: { key: "false-value", kind: string, description: "Command-line text for false." },
  sensitive: { key: "sensitive", kind: boolean, description: "Mask the value." },
  selectValues: {
    key: "select-values",
    kind: strings,
    description: "Choices of a select input.",
    default: [],
  },
  multipleDelimiter: {
    key: "multiple-delimiter",
    kind: string,
    description: "quoted-space, space, comma or flag.",
    values: MULTIPLE_DELIMITERS,
  },
};

export const OUTPUT_FIELDS: FieldTable<CommandOutput> = {
  name: { key: "name", kind: string, description: "Output name." },
  description: { key: "description", kind: string, description: "Description." },
  required: { key: "required", kind: boolean, description: "Fail when missing." },
  mount: { key: "mount", kind: string, description: "Mount holding the output." },
  path: { key: "path", kind: string, description: "Path in the mount (template)." },
  glob: { key: "glob", kind: string, description: "Carried, never used for upload." },
};

export const WRAPPER_FIELDS: FieldTable<CommandWrapper> = {
  name: { key: "name", kind: string, description: "Wrapper name." },
  label: { key: "label", kind: string, description: "Menu label." },
  description: { key: "description", kind: string, description: "Description." },
  contexts: {
    key: "contexts",
    kind: strings,
    description: "XSI types the wrapper is offered on (e.g. xnat:imageSessionData).",
    default: [],
  },
  externalInputs: {
    key: "external-inputs",
    kind: listOf("ExternalInput"),
    description: "Inputs given at launch (the object launched on).",
    default: [],
  },
  derivedInputs: {
    key: "derived-inputs",
    kind: listOf("DerivedInput"),
    description: "Inputs derived from other wrapper inputs.",
    default: [],
  },
  outputHandlers: {
    key: "output-handlers",
    kind: listOf("OutputHandler"),
    description: "Where outputs are uploaded.",
    default: [],
  },
};

export const WRAPPER_INPUT_FIELDS: FieldTable<WrapperInput> = {
  name: { key: "name", kind: string, description: "Input name.", required: true },
  label: { key: "label", kind: string, description: "Label shown in the UI." },
  description: { key: "description", kind: string, description: "Description." },
  type: {
    key: "type",
    kind: string,
    description: "XNAT object or value type.",
    default: "string",
    values: WRAPPER_INPUT_TYPES,
  },
  matcher: { key: "matcher", kind: string, description: "Jayway filter body (template)." },
  defaultValue: { key: "default-value", kind: string, description: "Default value." },
  required: { key: "required", kind: boolean, description: "Required input.", default: true },
  replacementKey: {
    key: "replacement-key",
    kind: string,
    description: "Key replaced in templates (default #name#).",
  },
  sensitive: { key: "sensitive", kind: boolean, description: "Mask the value." },
  providesValueForCommandInput: {
    key: "provides-value-for-command-input",
    kind: string,
    description: "Command input this input gives its value to.",
  },
  providesFilesForCommandMount: {
    key: "provides-files-for-command-mount",
    kind: string,
    description: "Mount this input's files are mounted on.",
  },
  viaSetupCommand: {
    key: "via-setup-command",
    kind: string,
    description: "Setup command image repo/image:tag[:commandName].",
  },
  userSettable: { key: "user-settable", kind: boolean, description: "Settable in the UI." },
  loadChildren: {
    key: "load-children",
    kind: boolean,
    description: "Load a Project's children.",
    default: true,
  },
};

export const DERIVED_INPUT_FIELDS: FieldTable<DerivedInput> = {
  ...WRAPPER_INPUT_FIELDS,
  derivedFromWrapperInput: {
    key: "derived-from-wrapper-input",
    kind: string,
    description: "Parent input (declared earlier).",
  },
  derivedFromXnatObjectProperty: {
    key: "derived-from-xnat-object-property",
    kind: string,
    description: "Property of the object to take as the value.",
  },
  multiple: {
    key: "multiple",
    kind: boolean,
    description: "Collect every match into one value.",
    default: false,
  },
  parser: { key: "parser", kind: string, description: "XPath or regex applied to the value." },
};

export const OUTPUT_HANDLER_FIELDS: FieldTable<OutputHandler> = {
  name: { key: "name", kind: string, description: "Handler name." },
  acceptsCommandOutput: {
    key: "accepts-command-output",
    kind: string,
    description: "Command output it uploads.",
  },
  asAChildOf: {
    key: "as-a-child-of",
    kind: string,
    description: "Wrapper input or earlier handler to upload into.",
    alias: { key: "as-a-child-of-wrapper-input", modes: ["rest", "label"] },
  },
  viaWrapupCommand: {
    key: "via-wrapup-command",
    kind: string,
    description: "Wrap-up command image repo/image:tag[:commandName].",
  },
  type: {
    key: "type",
    kind: string,
    description: "Resource, Assessor or Scan.",
    default: "Resource",
    values: OUTPUT_HANDLER_TYPES,
  },
  xsiType: { key: "xsi-type", kind: string, description: "XSI type of an Assessor." },
  label: { key: "label", kind: string, description: "Resource label (template)." },
  format: { key: "format", kind: string, description: "Resource format." },
  description: { key: "description", kind: string, description: "Resource description." },
  content: { key: "content", kind: string, description: "Resource content." },
  tags: { key: "tags", kind: strings, description: "Resource tags.", default: [] },
};

export const SECRET_FIELDS: FieldTable<Secret> = {
  source: { key: "source", kind: objectOf("SecretSource"), description: "Where the value is." },
  destination: {
    key: "destination",
    kind: objectOf("SecretDestination"),
    description: "Where the container gets it.",
  },
};

export const SECRET_SOURCE_FIELDS: FieldTable<SecretSource> = {
  type: { key: "type", kind: { type: "typeId", id: "system-property" }, description: "Kind." },
  identifier: { key: "identifier", kind: string, description: "Property name." },
};

export const SECRET_DESTINATION_FIELDS: FieldTable<SecretDestination> = {
  type: {
    key: "type",
    kind: { type: "typeId", id: "environment-variable" },
    description: "Kind.",
  },
  identifier: { key: "identifier", kind: string, description: "Variable name." },
};

/** Every object type's table. */
export const OBJECT_FIELDS: Record<ObjectName, Readonly<Record<string, FieldSpec>>> = {
  Command: COMMAND_FIELDS,
  CommandMount: MOUNT_FIELDS,
  CommandInput: INPUT_FIELDS,
  CommandOutput: OUTPUT_FIELDS,
  CommandWrapper: WRAPPER_FIELDS,
  ExternalInput: WRAPPER_INPUT_FIELDS,
  DerivedInput: DERIVED_INPUT_FIELDS,
  OutputHandler: OUTPUT_HANDLER_FIELDS,
  Secret: SECRET_FIELDS,
  SecretSource: SECRET_SOURCE_FIELDS,
  SecretDestination: SECRET_DESTINATION_FIELDS,
};

/** Keys that are no mistake but that this model does not keep. */
export const IGNORED_KEYS: Partial<Record<ObjectName, readonly string[]>> = {
  // Where editors find the JSON Schema; XNAT ignores it.
  Command: ["$schema"],
};

const childId: FieldSpec = { key: "id", kind: long, description: "Server-assigned id." };

/** Fields XNAT reads (so their values must have the right type) that this model drops. */
export const UNKEPT_FIELDS: Partial<Record<ObjectName, Readonly<Record<string, FieldSpec>>>> = {
  CommandMount: { id: childId },
  CommandInput: { id: childId },
  CommandOutput: { id: childId },
  CommandWrapper: { id: childId },
  ExternalInput: { id: childId },
  DerivedInput: { id: childId },
  OutputHandler: { id: childId },
};

/**
 * The JSON keys a field is read from in `mode`, first non-null value first: none when the mode
 * ignores the field.
 */
export function keysIn(spec: FieldSpec, mode: ReadMode): string[] {
  const keys: string[] = [];
  if (!spec.modes || spec.modes.includes(mode)) keys.push(spec.key);
  if (spec.alias?.modes.includes(mode)) keys.push(spec.alias.key);
  return keys;
}
