// A command model back as a command JSON document (keys as XNAT writes them, null values left
// out as XNAT's serializer does), e.g. to put into an image label.
import { type FieldSpec, OBJECT_FIELDS, type ObjectName } from "./fields.js";
import type { Command } from "./model.js";

function fieldJson(spec: FieldSpec, value: unknown): unknown {
  const kind = spec.kind;
  if (value === null || value === undefined) return undefined;
  if (kind.type === "object") return objectJson(kind.of, value as Record<string, unknown>);
  if (kind.type === "list") {
    return (value as Record<string, unknown>[]).map((item) => objectJson(kind.of, item));
  }
  return structuredClone(value);
}

function objectJson(type: ObjectName, value: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [property, spec] of Object.entries(OBJECT_FIELDS[type])) {
    const json = fieldJson(spec, value[property]);
    if (json !== undefined) out[spec.key] = json;
  }
  return out;
}

/** The command as a JSON document that reads back (mode `model`) to the same command. */
export function commandToJson(command: Command): Record<string, unknown> {
  return objectJson("Command", command as unknown as Record<string, unknown>);
}
