// The JSON Schema (draft-07, what editors support best) of command documents, generated from
// the field tables that also drive the reader: it accepts exactly the shapes XNAT's reader
// accepts through REST create (string booleans, numbers for strings, numeric strings for
// integers, unknown keys) and rejects the ones it refuses. XNAT's validation rules (names, tags, references) are not
// repeated here: `xcs validate` reports them with XNAT's own words.
import {
  type FieldKind,
  type FieldSpec,
  keysIn,
  OBJECT_FIELDS,
  type ObjectName,
  UNKEPT_FIELDS,
} from "./fields.js";

/** The schema file inside the published package (`@xcs/command-schema/command.schema.json`). */
export const SCHEMA_FILE = "command.schema.json";

type Schema = Record<string, unknown>;

const scalar = ["string", "number", "boolean"];

function kindSchema(kind: FieldKind): Schema {
  switch (kind.type) {
    case "string":
      // Numbers and booleans are read as their text.
      return { type: [...scalar, "null"] };
    case "boolean":
      return {
        anyOf: [
          { type: ["boolean", "null", "integer"] },
          { type: "string", pattern: "^\\s*(true|True|TRUE|false|False|FALSE|null)?\\s*$" },
        ],
      };
    case "long":
      return {
        anyOf: [
          // A fraction is truncated.
          { type: ["number", "null"] },
          { type: "string", pattern: "^\\s*([+-]?[0-9]+|null)?\\s*$" },
        ],
      };
    case "double":
      return {
        anyOf: [
          { type: ["number", "null"] },
          {
            type: "string",
            pattern: "^\\s*([+-]?([0-9]+\\.?[0-9]*|\\.[0-9]+)([eE][+-]?[0-9]+)?|null)?\\s*$",
          },
        ],
      };
    case "json":
      return {};
    case "strings":
      return { type: ["array", "null"], items: { type: scalar } };
    case "stringMap":
      return { type: ["object", "null"], additionalProperties: { type: scalar } };
    case "object":
      return { anyOf: [{ $ref: `#/definitions/${kind.of}` }, { type: "null" }] };
    case "list":
      return { type: ["array", "null"], items: { $ref: `#/definitions/${kind.of}` } };
    case "typeId":
      return { const: kind.id };
  }
}

function fieldSchema(spec: FieldSpec): Schema {
  const kind = kindSchema(spec.kind);
  // A required name cannot be null (XNAT fails to build the object).
  if (spec.required && spec.kind.type === "string") kind.type = scalar;
  const schema: Schema = { description: spec.description, ...kind };
  if (spec.default !== undefined) schema.default = spec.default;
  // Known values as suggestions: XNAT's reader takes any string here.
  if (spec.values) schema.examples = [...spec.values];
  return schema;
}

function objectSchema(name: ObjectName): Schema {
  const properties: Record<string, Schema> = {};
  const required: string[] = [];
  const specs = [
    ...Object.values(OBJECT_FIELDS[name]),
    ...Object.values(UNKEPT_FIELDS[name] ?? {}),
  ];
  for (const spec of specs) {
    // The shapes REST create (how commands are installed) reads; keys it ignores take anything.
    const read = keysIn(spec, "rest");
    for (const key of [spec.key, spec.alias?.key]) {
      if (key === undefined) continue;
      properties[key] = read.includes(key)
        ? fieldSchema(spec)
        : { description: `${spec.description} Not read through REST create.` };
    }
    if (spec.required || spec.kind.type === "typeId") required.push(spec.key);
  }
  // XNAT ignores unknown keys, so the schema allows them.
  return { type: "object", properties, required, additionalProperties: true };
}

/** The JSON Schema of a command document. */
export function commandJsonSchema(): Schema {
  const definitions: Record<string, Schema> = {};
  for (const name of Object.keys(OBJECT_FIELDS) as ObjectName[]) {
    if (name !== "Command") definitions[name] = objectSchema(name);
  }
  const root = objectSchema("Command");
  (root.properties as Record<string, Schema>).$schema = {
    description: "Where editors find this schema.",
    type: "string",
  };
  return {
    $schema: "http://json-schema.org/draft-07/schema#",
    $id: "urn:xcs:command-schema:command",
    title: "XNAT Container Service command",
    description:
      "A command JSON document as XNAT's Container Service reads it (shape only; run `xcs validate` for XNAT's validation).",
    ...root,
    definitions,
  };
}
