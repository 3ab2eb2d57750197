// The public shapes of resolution: what goes in (options) and what comes out (the plan).
import type { XnatObject, XnatObjectSource } from "@xcs/archive";
import type { QuirkMode, Quirks } from "./quirks.js";
import type { CommandRegistry } from "./registry.js";

/** Site settings that shape mounts and secrets. */
export interface ResolveSettings {
  /** Where new build folders are made (XCS: the site build path). */
  buildPath: string;
  /** The archive root (informative; objects carry their own folders). */
  archivePath?: string;
  /** Host-path translation: this prefix of XNAT-side paths ... */
  pathTranslationXnatPrefix?: string | null;
  /** ... becomes this prefix on the container host. */
  pathTranslationDockerPrefix?: string | null;
  /** The archive reports remote files: every mount is pulled (copied) into a build folder. */
  remoteFiles?: boolean;
  /** Values of `system-property` secret sources. */
  systemProperties?: Record<string, string>;
}

export interface ResolveOptions {
  /** The wrapper (`xnat` entry) to resolve, by name. */
  wrapper: string;
  /** Runtime values by input name (wrapper or command input), as XCS's launch form sends them. */
  inputs?: Record<string, string | null>;
  settings: ResolveSettings;
  /** Where objects given by URI or id are loaded from (an archive). */
  source?: XnatObjectSource;
  /** Setup and wrap-up commands by image reference. */
  registry?: CommandRegistry;
  /** `compat` (default) reproduces XCS; `fixed` applies every documented fix. */
  mode?: QuirkMode;
  /** Individual switches over the mode. */
  quirks?: Partial<Quirks>;
  /**
   * `false` plans build folders without creating them or copying files (for printing a plan);
   * the default `true` creates and fills them, as XCS does at resolution.
   */
  materialize?: boolean;
  /** Makes build-folder names; default: random UUIDs, as XCS. */
  newId?: () => string;
}

/** Where a value came from, for `--explain`. */
export type ValueOrigin =
  | { from: "default" }
  | { from: "user" }
  | { from: "none" }
  | { from: "provider"; input: string }
  | {
      from: "derived";
      parent: string;
      /** How the values were found: a child collection, the parent's property, or up the tree. */
      how: "children" | "property" | "parent";
      property?: string;
      path?: string;
      /** The `uri`s (or labels) of the children the matcher kept. */
      matched?: string[];
    };

export interface ResolvedValue {
  /** The declared input type. */
  type: string;
  value: string | null;
  /** The object's label, else the value. */
  valueLabel: string | null;
  /** The XNAT object bound to the value, when there is one. */
  object?: XnatObject;
  origin: ValueOrigin;
}

/** One input with its values, as the tree resolved it. */
export interface ResolvedInput {
  name: string;
  kind: "external" | "derived" | "command";
  required: boolean;
  sensitive: boolean;
  replacementKey: string;
  /** A derived input with `multiple: true` (its values become one list). */
  multiple: boolean;
  values: { value: ResolvedValue; children: ResolvedInput[] }[];
}

export interface ResolvedMount {
  name: string;
  writable: boolean;
  containerPath: string;
  /** The folder on the machine that runs XNAT (archive folder or build folder). */
  xnatHostPath: string;
  /** The same folder as the container engine sees it (after path translation). */
  containerHostPath: string;
  /** `archive`: the archive folder itself; `build`: a new build folder; `setup-build`: filled by a setup command. */
  hostPathKind: "archive" | "build" | "setup-build";
  /** Whether files were (or will be) copied into the build folder. */
  copied: boolean;
  viaSetupCommand: string | null;
  /** The wrapper input that provides the files, if any. */
  fromInput: string | null;
  mountPvcName: string | null;
}

export interface ResolvedOutput {
  name: string;
  fromCommandOutput: string;
  fromOutputHandler: string;
  type: string;
  required: boolean;
  mount: string | null;
  path: string | null;
  glob: string | null;
  label: string | null;
  format: string | null;
  description: string | null;
  content: string | null;
  tags: string[];
  xsiType: string | null;
  handledBy: string;
  viaWrapupCommand: string | null;
}

export interface ResolvedSecret {
  sourceType: string | null;
  sourceIdentifier: string | null;
  destinationType: string | null;
  destinationIdentifier: string | null;
  /** The secret's value; never printed by the CLI. */
  value: string | null;
}

/** The flattened value lists of XCS's `ResolvedCommand` (null values as the string "null"). */
export interface FlatInputValue {
  name: string;
  value: string;
  type: "wrapper-external" | "wrapper-derived" | "command";
  sensitive: boolean;
}

/** The argv engines run, in XCS's form (`/bin/sh -c` or split) and in the safe form. */
export interface ResolvedArgv {
  /** `""` when the image's entrypoint is cleared, null when it is kept. */
  entrypoint: string | null;
  cmd: string[];
}

export interface ResolvedCommand {
  wrapperId: number;
  wrapperName: string;
  wrapperDescription: string | null;
  commandId: number;
  commandName: string | null;
  commandDescription: string | null;
  image: string | null;
  type: string;
  containerName: string | null;
  project: string | null;
  rawInputValues: Record<string, string | null>;
  commandLine: string;
  overrideEntrypoint: boolean;
  environmentVariables: Record<string, string>;
  ports: Record<string, string>;
  mounts: ResolvedMount[];
  outputs: ResolvedOutput[];
  workingDirectory: string | null;
  setupCommands: ResolvedCommand[];
  wrapupCommands: ResolvedCommand[];
  reserveMemory: number | null;
  limitMemory: number | null;
  limitCpu: number | null;
  runtime: string | null;
  ipcMode: string | null;
  autoRemove: boolean | null;
  shmSize: number | null;
  network: string | null;
  containerLabels: Record<string, string>;
  gpus: string | null;
  genericResources: Record<string, string>;
  ulimits: Record<string, string>;
  secrets: ResolvedSecret[];
  parentSourceObjectName: string | null;
  externalWrapperInputValues: FlatInputValue[];
  derivedInputValues: FlatInputValue[];
  commandInputValues: FlatInputValue[];
  /** The resolved input trees (roots in XCS's order), for explaining where values came from. */
  inputTree: ResolvedInput[];
  /** XCS's argv: `/bin/sh -c line` with override-entrypoint, else the shell-split line. */
  argv: ResolvedArgv;
  /**
   * The argv with every input value as one element of its own, so no value can reach a shell;
   * undefined when the command line cannot be read this way (see the README).
   */
  safeArgv?: ResolvedArgv;
}
