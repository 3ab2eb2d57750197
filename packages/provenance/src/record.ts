// The provenance record: its fields, and its text exactly as the original writes it, with the
// extension keys this package adds after `Command:` (YAML readers see extra keys; the original's
// key order, spacing and renderings are untouched).
import { createHash } from "node:crypto";

/** A file as a record lists it: the path (relative to the project root when under it). */
export interface RecordFile {
  path: string;
  sha256: string;
}

/** Inputs or outputs by key: one file, a list (items may be `null`), or `null` (none). */
export type RecordFiles = Record<string, RecordFile | (RecordFile | null)[] | null>;

/** Where the container identity came from. `none`: not run in a (known) container. */
export type ContainerSource = "labels-file" | "environment" | "option" | "none";

/** The `Container:` block: `null` values print as `None`. */
export interface ContainerIdentity {
  url: string | null;
  hash: string | null;
  builder: string | null;
  timestamp: string | null;
  source: ContainerSource;
}

/** A parameter's rendering: Python `str()` of the value, or of each item of a list. */
export type ParameterText = string | string[];

/** `Parents:` values: the Id of the record that produced each input file (`null`: a raw input). */
export type RecordParents = Record<string, string | null | (string | null)[]>;

/** Everything a record says. The `extended` fields are written in the extended format only. */
export interface RecordFields {
  module: string;
  version: string;
  container: ContainerIdentity;
  user: string;
  startTime: string;
  duration: string;
  projectRoot: string;
  inputs: RecordFiles;
  outputs: RecordFiles;
  parameters: [string, ParameterText][];
  command: string;
  status?: "success" | "failed";
  exitCode?: number;
  error?: string;
  parents?: RecordParents;
  host?: Record<string, string>;
}

/**
 * `radifox`: the original's text byte for byte (success records only). `extended` (default): the
 * same text plus `Status`, `ExitCode`, `Error`, `Parents`, `ContainerSource` and `Host`.
 */
export type RecordFormat = "radifox" | "extended";

const YAML_WORDS = /^(y|n|yes|no|on|off|true|false|null|none|~)$/i;

/** A YAML scalar that reads back as exactly `text`: plain when safe, else double-quoted. */
export function yamlScalar(text: string): string {
  const plain = /^[A-Za-z_/][\w./@+-]*$/.test(text) && !YAML_WORDS.test(text);
  return plain || text === "None" ? text : JSON.stringify(text);
}

function fileText(file: RecordFile | null): string {
  return file === null ? "None" : `${file.path}:sha256:${file.sha256}`;
}

function filesBlock(files: RecordFiles): string {
  let text = "";
  for (const [key, value] of Object.entries(files)) {
    if (Array.isArray(value)) {
      text += `  ${key}:\n`;
      for (const item of value) text += `    - ${fileText(item)}\n`;
    } else {
      text += `  ${key}: ${fileText(value)}\n`;
    }
  }
  return text;
}

function none(value: string | null): string {
  return value ?? "None";
}

function extensionBlock(fields: RecordFields): string {
  let text = `Status: ${fields.status ?? "success"}\n`;
  text += `ExitCode: ${fields.exitCode ?? 0}\n`;
  if (fields.error !== undefined) text += `Error: ${JSON.stringify(fields.error)}\n`;
  const parents = Object.entries(fields.parents ?? {});
  text += parents.length === 0 ? "Parents: None\n" : "Parents: \n";
  for (const [key, value] of parents) {
    if (Array.isArray(value)) {
      text += `  ${key}:\n`;
      for (const id of value) text += `    - ${none(id)}\n`;
    } else {
      text += `  ${key}: ${none(value)}\n`;
    }
  }
  text += `ContainerSource: ${fields.container.source}\n`;
  const host = Object.entries(fields.host ?? {});
  if (host.length > 0) {
    text += "Host: \n";
    for (const [key, value] of host) text += `  ${key}: ${yamlScalar(value)}\n`;
  }
  return text;
}

/** The body the Id covers: from `Module:` to the line before `...`. */
export function recordBody(fields: RecordFields, format: RecordFormat = "extended"): string {
  const c = fields.container;
  let body =
    `Module: ${fields.module}:${fields.version}\n` +
    "Container: \n" +
    `  url: ${none(c.url)}\n` +
    `  hash: ${none(c.hash)}\n` +
    `  builder: ${none(c.builder)}\n` +
    `  timestamp: ${none(c.timestamp)}\n` +
    `User: ${fields.user}\n` +
    `StartTime: ${fields.startTime}\n` +
    `Duration: ${fields.duration}\n` +
    `ProjectRoot: ${fields.projectRoot}\n`;
  const inputs = filesBlock(fields.inputs);
  body += inputs === "" ? "Inputs: None\n" : `Inputs: \n${inputs}`;
  const outputs = filesBlock(fields.outputs);
  body += outputs === "" && format === "extended" ? "Outputs: None\n" : `Outputs: \n${outputs}`;
  body += fields.parameters.length === 0 ? "Parameters: None\n" : "Parameters: \n";
  for (const [key, value] of fields.parameters) {
    if (Array.isArray(value)) {
      if (value.length === 0) body += `  ${key}: []\n`;
      else body += `  ${key}:\n${value.map((item) => `    - ${item}\n`).join("")}`;
    } else {
      body += `  ${key}: ${value}\n`;
    }
  }
  body += `Command: ${fields.command}\n`;
  if (format === "extended") body += extensionBlock(fields);
  return body;
}

/** sha256 hex of the body's UTF-8 bytes: the record `Id`. */
export function recordId(body: string): string {
  return createHash("sha256").update(body, "utf8").digest("hex");
}

/** The whole record document: `---`, `Id:`, the body, `...`. */
export function renderRecord(fields: RecordFields, format: RecordFormat = "extended"): string {
  const body = recordBody(fields, format);
  return `---\nId: ${recordId(body)}\n${body}...\n`;
}
