// What to load and how to write it out: the `include` rule of LoadOptions, and XCS's JSON form
// of the objects (Jackson NON_NULL: null fields left out, empty lists kept, the common fields
// first), shared by both archive layouts.
import type { XnatObject, XnatType } from "./model.js";
import type { LoadOptions } from "./source.js";

/**
 * Whether children of `type` are loaded under `options`: every type when `include` is absent,
 * else only the types it names. Children of other types appear as empty lists.
 */
export function includesType(options: LoadOptions | undefined, type: XnatType): boolean {
  return options?.include === undefined || options.include.has(type);
}

/** The fields every object starts with, in XCS's order; the others follow as they were set. */
const LEADING_KEYS = ["type", "id", "label", "xsiType", "uri", "directory"] as const;

/**
 * `object` as XCS serialises it: a copy in which every `undefined` or `null` field is left out
 * (at every depth), empty lists are kept, and the keys of each object come in a stable order:
 * `type`, `id`, `label`, `xsiType`, `uri`, `directory`, then the rest in their own order.
 * `JSON.stringify(serializeXnatObject(o))` is the text a matcher or a template sees.
 */
export function serializeXnatObject<T extends XnatObject>(object: T): T {
  return serializeValue(object) as T;
}

function serializeValue(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(serializeValue);
  if (value === null || typeof value !== "object") return value;
  const source = value as Record<string, unknown>;
  const out: Record<string, unknown> = {};
  for (const key of LEADING_KEYS) {
    const field = source[key];
    if (field !== undefined && field !== null) out[key] = serializeValue(field);
  }
  for (const [key, field] of Object.entries(source)) {
    if (field === undefined || field === null || key in out) continue;
    out[key] = serializeValue(field);
  }
  return out;
}

/**
 * Removes the `undefined` fields of `object` in place and returns it: for building objects
 * with literal key order without a deep copy.
 */
export function withoutUndefined<T extends object>(object: T): T {
  for (const key of Object.keys(object) as (keyof T)[]) {
    if (object[key] === undefined) delete object[key];
  }
  return object;
}
