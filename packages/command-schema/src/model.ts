// The command model as XNAT holds it after reading a command JSON document (spec 1.2-1.9):
// every field present, with XNAT's defaults. Property names are the JSON keys in camelCase;
// `fields.ts` maps them to the JSON keys and is the source of truth for reading and for the
// JSON Schema.

/** `docker`, `docker-setup` or `docker-wrapup` (other values are kept and fail validation). */
export type CommandType = string;

export interface Command {
  /** Server-assigned; 0 when new. */
  id: number;
  name: string | null;
  label: string | null;
  description: string | null;
  /** With `name` and `image`, what makes a command unique in XNAT. */
  version: string | null;
  schemaVersion: string | null;
  infoUrl: string | null;
  /** `repo/image:tag`; the tag is required. */
  image: string | null;
  /** Template; the container's name. */
  containerName: string | null;
  /** Default `docker`. */
  type: CommandType;
  index: string | null;
  hash: string | null;
  workingDirectory: string | null;
  /** Template with the inputs' replacement keys. */
  commandLine: string | null;
  /** Any JSON, carried as is. */
  commandMetadata: unknown;
  /** Run the command line with `/bin/sh -c` instead of the image's entrypoint. */
  overrideEntrypoint: boolean | null;
  mounts: CommandMount[];
  environmentVariables: Record<string, string>;
  ports: Record<string, string>;
  inputs: CommandInput[];
  outputs: CommandOutput[];
  /** The wrappers that bind the command to XNAT objects. */
  xnat: CommandWrapper[];
  /** MiB. */
  reserveMemory: number | null;
  /** MiB. */
  limitMemory: number | null;
  /** CPUs. */
  limitCpu: number | null;
  runtime: string | null;
  ipcMode: string | null;
  autoRemove: boolean | null;
  /** Bytes. */
  shmSize: number | null;
  network: string | null;
  containerLabels: Record<string, string> | null;
  gpus: string | null;
  genericResources: Record<string, string> | null;
  /** `name` -> `soft[:hard]`. */
  ulimits: Record<string, string> | null;
  secrets: Secret[];
  /** Default `public`; also `private`, `protected`. */
  visibility: string;
}

export interface CommandMount {
  /** `""` when absent. */
  name: string;
  writable: boolean;
  /** Absolute path in the container; template. */
  path: string | null;
}

export interface CommandInput {
  name: string;
  label: string | null;
  description: string | null;
  /** Default `string`; `boolean`, `number`, `select-one`, `select-many`, `file`. */
  type: string;
  /** Default false (wrapper inputs default to true). */
  required: boolean;
  /** Accepted but never applied by XNAT. */
  matcher: string | null;
  defaultValue: string | null;
  /** Default `#<name>#`. */
  replacementKey: string | null;
  commandLineFlag: string | null;
  /** Absent behaves as `" "`. */
  commandLineSeparator: string | null;
  trueValue: string | null;
  falseValue: string | null;
  sensitive: boolean | null;
  selectValues: string[];
  /** `quoted-space`, `space`, `comma`, `flag`; absent behaves as `space`. */
  multipleDelimiter: string | null;
}

export interface CommandOutput {
  /** Null when absent (XNAT's validation then fails with an internal error). */
  name: string | null;
  description: string | null;
  required: boolean | null;
  mount: string | null;
  /** Relative path in the mount; template. */
  path: string | null;
  /** Carried, never used for upload. */
  glob: string | null;
}

export interface CommandWrapper {
  /** `""` when absent; `null` when absent and read through REST create or an image label. */
  name: string | null;
  label: string | null;
  description: string | null;
  /** XSI types the wrapper is offered on; empty: never offered. */
  contexts: string[];
  externalInputs: ExternalInput[];
  derivedInputs: DerivedInput[];
  outputHandlers: OutputHandler[];
}

export interface WrapperInput {
  name: string;
  label: string | null;
  description: string | null;
  /** Default `string`; see {@link WRAPPER_INPUT_TYPES}. */
  type: string;
  /** Jayway filter body; template. */
  matcher: string | null;
  defaultValue: string | null;
  /** Default true. */
  required: boolean;
  replacementKey: string | null;
  sensitive: boolean | null;
  providesValueForCommandInput: string | null;
  providesFilesForCommandMount: string | null;
  /** `repo/image:tag[:commandName]`. */
  viaSetupCommand: string | null;
  userSettable: boolean | null;
  /** Default true; used only by `Project` external inputs. */
  loadChildren: boolean;
}

export type ExternalInput = WrapperInput;

export interface DerivedInput extends WrapperInput {
  derivedFromWrapperInput: string | null;
  derivedFromXnatObjectProperty: string | null;
  multiple: boolean;
  parser: string | null;
}

export interface OutputHandler {
  /** Null when absent (XNAT's validation then fails with an internal error). */
  name: string | null;
  acceptsCommandOutput: string | null;
  /** A wrapper input or an earlier handler. */
  asAChildOf: string | null;
  viaWrapupCommand: string | null;
  /** Default `Resource`; also `Assessor`, `Scan`. */
  type: string;
  xsiType: string | null;
  label: string | null;
  format: string | null;
  description: string | null;
  content: string | null;
  tags: string[];
}

export interface Secret {
  source: SecretSource | null;
  destination: SecretDestination | null;
}

export interface SecretSource {
  type: "system-property";
  identifier: string | null;
}

export interface SecretDestination {
  type: "environment-variable";
  identifier: string | null;
}

/** Wrapper input types, spelled as XNAT spells them. */
export const WRAPPER_INPUT_TYPES = [
  "string",
  "boolean",
  "number",
  "Directory",
  "File[]",
  "File",
  "Project",
  "ProjectAsset",
  "Subject",
  "SubjectAssessor",
  "Session",
  "Scan",
  "Assessor",
  "Resource",
  "Config",
  "file",
] as const;

export const COMMAND_INPUT_TYPES = [
  "string",
  "boolean",
  "number",
  "select-one",
  "select-many",
  "file",
] as const;

/** What XNAT takes as an image with a tag (`String.matches(".+:[a-zA-Z0-9_.-]+$")`). */
export const IMAGE_WITH_TAG = /^[^\n\r\u0085\u2028\u2029]+:[a-zA-Z0-9_.-]+$/;

export const COMMAND_TYPES = ["docker", "docker-setup", "docker-wrapup"] as const;
export const VISIBILITIES = ["public", "private", "protected"] as const;
export const MULTIPLE_DELIMITERS = ["quoted-space", "space", "comma", "flag"] as const;
export const OUTPUT_HANDLER_TYPES = ["Resource", "Assessor", "Scan"] as const;
