// Records in the shapes other tools read: a W3C PROV-JSON document
// (https://www.w3.org/Submission/2013/SUBM-prov-json-20130424/) and the `GeneratedBy` list of a
// BIDS derivative's `dataset_description.json`.
//
// PROV-JSON identifiers are stable, so exports of overlapping record sets merge:
// - activity `radifox:record/<Id>`: one run;
// - entity `radifox:file/<sha256>/<path as recorded>`: one version of a file (an output of one
//   run and an input of the next is the same entity, which links the runs);
// - agents `radifox:user/<user@host>`, `radifox:software/<module>/<version>` and
//   `radifox:container/<url>`.
// Times are the records' local times without a zone (as written); `prov:endTime` is the start
// plus the recorded duration.
import { basename } from "node:path";
import type { ContainerIdentity, RecordFile } from "./record.js";
import type { ProvenanceRecord } from "./record-parse.js";

/** A PROV-JSON typed value (`{"$": "prov:Person", "type": "prov:QUALIFIED_NAME"}`). */
export interface ProvJsonTypedValue {
  $: string;
  type: string;
}

export type ProvJsonValue = string | number | boolean | ProvJsonTypedValue | ProvJsonValue[];

/** The attributes of one PROV element or relation, by qualified name. */
export type ProvJsonAttributes = Record<string, ProvJsonValue>;

/** A PROV-JSON document with the parts records fill. */
export interface ProvJsonDocument {
  prefix: Record<string, string>;
  entity: Record<string, ProvJsonAttributes>;
  activity: Record<string, ProvJsonAttributes>;
  agent: Record<string, ProvJsonAttributes>;
  used: Record<string, ProvJsonAttributes>;
  wasGeneratedBy: Record<string, ProvJsonAttributes>;
  wasAssociatedWith: Record<string, ProvJsonAttributes>;
  wasDerivedFrom: Record<string, ProvJsonAttributes>;
}

/** The namespace of the `radifox:` names in exported documents. */
export const RADIFOX_PROV_NAMESPACE = "urn:radifox:";

function qualified(name: string): ProvJsonTypedValue {
  return { $: name, type: "prov:QUALIFIED_NAME" };
}

/** `2024-05-01T13:04:05` plus `1-02:03:04`, in the same zone-less form; `undefined` if unreadable. */
export function endTimeOf(startTime: string, duration: string): string | undefined {
  const start = /^(\d{4})-(\d\d)-(\d\d)T(\d\d):(\d\d):(\d\d)$/.exec(startTime);
  const length = /^(-?\d+)-(\d\d):(\d\d):(\d\d)$/.exec(duration);
  if (!start || !length) return undefined;
  const [y, mo, d, h, mi, s] = start.slice(1).map(Number) as number[];
  const [days, hours, minutes, seconds] = length.slice(1).map(Number) as number[];
  const ms =
    Date.UTC(y as number, (mo as number) - 1, d, h, mi, s) +
    ((((days as number) * 24 + (hours as number)) * 60 + (minutes as number)) * 60 +
      (seconds as number)) *
      1000;
  const end = new Date(ms);
  if (Number.isNaN(end.getTime())) return undefined;
  return end.toISOString().slice(0, 19);
}

function fileId(file: RecordFile): string {
  return `radifox:file/${file.sha256}/${file.path.replace(/^\/+/, "")}`;
}

function containerId(container: ContainerIdentity): string | undefined {
  const name = container.url ?? container.hash;
  return name === null ? undefined : `radifox:container/${name}`;
}

/** `[key, file, index]` for every file of a record's inputs or outputs. */
function entries(files: ProvenanceRecord["inputs"]): [string, RecordFile, number | undefined][] {
  const list: [string, RecordFile, number | undefined][] = [];
  for (const [key, value] of Object.entries(files)) {
    if (Array.isArray(value)) {
      value.forEach((file, i) => {
        if (file !== null) list.push([key, file, i]);
      });
    } else if (value !== null) {
      list.push([key, value, undefined]);
    }
  }
  return list;
}

function unique<T extends { id: string }>(records: readonly T[]): T[] {
  const seen = new Map<string, T>();
  for (const record of records) if (!seen.has(record.id)) seen.set(record.id, record);
  return [...seen.values()];
}

/**
 * A W3C PROV-JSON document for `records` (one per Id): files as entities, runs as activities,
 * the user, the module and its container as agents, with `used`, `wasGeneratedBy`,
 * `wasAssociatedWith` and `wasDerivedFrom` (every output from every input of its run).
 */
export function exportProvJson(records: readonly ProvenanceRecord[]): ProvJsonDocument {
  const document: ProvJsonDocument = {
    prefix: {
      radifox: RADIFOX_PROV_NAMESPACE,
      prov: "http://www.w3.org/ns/prov#",
      xsd: "http://www.w3.org/2001/XMLSchema#",
    },
    entity: {},
    activity: {},
    agent: {},
    used: {},
    wasGeneratedBy: {},
    wasAssociatedWith: {},
    wasDerivedFrom: {},
  };
  const entity = (file: RecordFile): string => {
    const id = fileId(file);
    document.entity[id] ??= {
      "prov:type": qualified("radifox:File"),
      "prov:label": basename(file.path),
      "radifox:path": file.path,
      "radifox:sha256": file.sha256,
    };
    return id;
  };
  for (const record of unique(records)) {
    const activity = `radifox:record/${record.id}`;
    const end = endTimeOf(record.startTime, record.duration);
    const attributes: ProvJsonAttributes = {
      "prov:type": qualified("radifox:ModuleRun"),
      "prov:label": `${record.module}:${record.version}`,
      "prov:startTime": record.startTime,
    };
    if (end !== undefined) attributes["prov:endTime"] = end;
    Object.assign(attributes, {
      "radifox:recordId": record.id,
      "radifox:module": record.module,
      "radifox:version": record.version,
      "radifox:duration": record.duration,
      "radifox:command": record.command,
      "radifox:status": record.status ?? "success",
      "radifox:projectRoot": record.projectRoot,
    });
    if (record.exitCode !== undefined) attributes["radifox:exitCode"] = record.exitCode;
    if (record.error !== undefined) attributes["radifox:error"] = record.error;
    if (record.parameters.length > 0) {
      attributes["radifox:parameter"] = record.parameters.map(
        ([key, value]) => `${key}=${Array.isArray(value) ? `[${value.join(", ")}]` : value}`,
      );
    }
    document.activity[activity] = attributes;

    const used: string[] = [];
    for (const [key, file, i] of entries(record.inputs)) {
      const id = entity(file);
      used.push(id);
      document.used[`_:used/${record.id}/${key}${i === undefined ? "" : `/${i}`}`] = {
        "prov:activity": activity,
        "prov:entity": id,
        "prov:role": key,
      };
    }
    for (const [key, file, i] of entries(record.outputs)) {
      const id = entity(file);
      const suffix = `${record.id}/${key}${i === undefined ? "" : `/${i}`}`;
      const generation: ProvJsonAttributes = {
        "prov:entity": id,
        "prov:activity": activity,
        "prov:role": key,
      };
      if (end !== undefined) generation["prov:time"] = end;
      document.wasGeneratedBy[`_:generated/${suffix}`] = generation;
      for (const [j, input] of used.entries()) {
        if (input === id) continue;
        document.wasDerivedFrom[`_:derived/${suffix}/${j}`] = {
          "prov:generatedEntity": id,
          "prov:usedEntity": input,
          "prov:activity": activity,
        };
      }
    }

    const user = `radifox:user/${record.user}`;
    document.agent[user] ??= { "prov:type": qualified("prov:Person"), "prov:label": record.user };
    const software = `radifox:software/${record.module}/${record.version}`;
    document.agent[software] ??= {
      "prov:type": qualified("prov:SoftwareAgent"),
      "prov:label": `${record.module}:${record.version}`,
      "radifox:module": record.module,
      "radifox:version": record.version,
    };
    const associate = (agent: string, role: string): void => {
      document.wasAssociatedWith[`_:associated/${record.id}/${role}`] = {
        "prov:activity": activity,
        "prov:agent": agent,
        "prov:role": role,
      };
    };
    associate(user, "user");
    associate(software, "software");
    const container = containerId(record.container);
    if (container !== undefined) {
      const c = record.container;
      const attributes: ProvJsonAttributes = {
        "prov:type": qualified("prov:SoftwareAgent"),
        "prov:label": c.url ?? c.hash ?? "",
      };
      if (c.url !== null) attributes["radifox:containerUrl"] = c.url;
      if (c.hash !== null) attributes["radifox:containerHash"] = c.hash;
      if (c.builder !== null) attributes["radifox:containerBuilder"] = c.builder;
      if (c.timestamp !== null) attributes["radifox:containerTimestamp"] = c.timestamp;
      document.agent[container] ??= attributes;
      associate(container, "container");
    }
  }
  return document;
}

/** One item of a BIDS derivative's `GeneratedBy` (BIDS `dataset_description.json`). */
export interface BidsGeneratedBy {
  Name: string;
  Version?: string;
  Description?: string;
  CodeURL?: string;
  Container?: { Type: string; Tag?: string; URI?: string };
}

const SCHEMES: Record<string, string> = {
  docker: "docker",
  library: "singularity",
  shub: "singularity",
  oras: "oras",
};

/**
 * The BIDS `Container` of a record's container: `url` is `<image>:<tag>@<commit>` (the labels'
 * `ci.image`, `ci.tag` and first 8 characters of `ci.commit`), optionally with a scheme
 * (`docker://`, `library://`...). An image reference is a Docker (OCI) image, whichever runtime
 * ran it; a `sha256:` digest in `hash` pins the `URI`.
 */
export function bidsContainer(container: ContainerIdentity): BidsGeneratedBy["Container"] {
  if (container.url === null) return undefined;
  let reference = container.url;
  const at = reference.lastIndexOf("@");
  if (at > reference.lastIndexOf("/")) reference = reference.slice(0, at);
  const scheme = /^([a-z][a-z0-9+.-]*):\/\//.exec(reference);
  const rest = scheme ? reference.slice(scheme[0].length) : reference;
  if (!scheme && /\.(sif|simg)$/.test(rest)) {
    return { Type: "singularity", Tag: basename(rest), URI: rest };
  }
  const type = scheme ? (SCHEMES[scheme[1] as string] ?? (scheme[1] as string)) : "docker";
  const colon = rest.lastIndexOf(":");
  const hasTag = colon > rest.lastIndexOf("/");
  const image = hasTag ? rest.slice(0, colon) : rest;
  const tag = hasTag ? rest.slice(colon + 1) : "";
  const tagged = tag === "" || tag === "None" ? image : `${image}:${tag}`;
  const digest = container.hash !== null && /^sha256:[0-9a-f]{64}$/.test(container.hash);
  const uriScheme = scheme ? (scheme[1] as string) : "docker";
  return {
    Type: type,
    Tag: tagged,
    URI:
      type === "docker" && digest
        ? `${uriScheme}://${image}@${container.hash}`
        : `${uriScheme}://${tagged}`,
  };
}

/**
 * The `GeneratedBy` list of a BIDS derivative made by `records`: one item per module, version
 * and container, in the order first seen, from successful runs only (failed runs made nothing).
 */
export function exportBidsGeneratedBy(records: readonly ProvenanceRecord[]): BidsGeneratedBy[] {
  const items = new Map<string, BidsGeneratedBy>();
  for (const record of unique(records)) {
    if (record.status === "failed") continue;
    const key = [record.module, record.version, record.container.url ?? ""].join("\u0000");
    if (items.has(key)) continue;
    const item: BidsGeneratedBy = { Name: record.module };
    if (record.version !== "") item.Version = record.version;
    const container = bidsContainer(record.container);
    if (container) item.Container = container;
    items.set(key, item);
  }
  return [...items.values()];
}
