// XNAT objects as resolution meets them: given as JSON by the caller, or loaded from an archive
// by URI or id, with only the child types the wrapper needs (spec 3.4, 4).
import {
  type LoadOptions,
  XNAT_TYPES,
  type XnatObject,
  type XnatObjectSource,
  type XnatType,
} from "@xcs/archive";

/** External input types that XCS turns into objects (File is only ever derived). */
export const OBJECT_INPUT_TYPES: ReadonlySet<string> = new Set(
  XNAT_TYPES.filter((type) => type !== "File"),
);

const STRING_FIELDS = new Set(["id", "label", "project-id", "subject-id", "session-id"]);
const INTEGER_FIELDS = new Set(["frames", "integer-id", "size"]);

/**
 * An object given as JSON text, read as XCS's Jackson mapper reads it into the declared type:
 * the `type` discriminator must name that type, numbers in string fields become strings and
 * numeric strings in integer fields numbers. Anything else gives undefined (XCS: null).
 */
export function objectFromJson(text: string, type: string): XnatObject | undefined {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    return undefined;
  }
  if (!isObjectOfType(parsed, type)) return undefined;
  return normalise(parsed) as unknown as XnatObject;
}

function isObjectOfType(value: unknown, type: string): value is Record<string, unknown> {
  return (
    typeof value === "object" &&
    value !== null &&
    !Array.isArray(value) &&
    (value as { type?: unknown }).type === type
  );
}

function normalise(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(normalise);
  if (typeof value !== "object" || value === null) return value;
  const out: Record<string, unknown> = {};
  for (const [key, field] of Object.entries(value)) {
    if (field === null) continue;
    if (STRING_FIELDS.has(key) && (typeof field === "number" || typeof field === "boolean")) {
      out[key] = String(field);
    } else if (INTEGER_FIELDS.has(key) && typeof field === "string" && /^-?\d+$/.test(field)) {
      out[key] = Number(field);
    } else {
      out[key] = normalise(field);
    }
  }
  return out;
}

/** The collection names of child types, as they appear in object JSON. */
const COLLECTIONS: Record<string, XnatType> = {
  subjects: "Subject",
  sessions: "Session",
  scans: "Scan",
  assessors: "Assessor",
  "subject-assessors": "SubjectAssessor",
  "project-assets": "ProjectAsset",
  resources: "Resource",
  files: "File",
};

/** The child types a matcher or property path reads (`@.scans[*].scan-type` reads scans). */
export function typesReadBy(text: string | null): XnatType[] {
  if (text === null) return [];
  return COLLECTION_WORDS.filter(([word]) => word.test(text)).map(([, type]) => type);
}

const COLLECTION_WORDS: [RegExp, XnatType][] = Object.entries(COLLECTIONS).map(
  ([collection, type]) => [new RegExp(`(^|[^A-Za-z0-9_-])${collection}($|[^A-Za-z0-9_-])`), type],
);

/**
 * Loads objects from the source and remembers which child types each was loaded with, so that a
 * derivation can ask for more (e.g. the sessions of the one subject a matcher picked) without
 * loading a whole project up front. Objects the caller gave as JSON are taken as complete.
 */
export class ObjectLoader {
  readonly #source: XnatObjectSource | undefined;
  readonly #loaded = new WeakMap<object, ReadonlySet<XnatType>>();
  /** Objects that must never be loaded deeper (a project with `load-children: false`). */
  readonly #sealed = new WeakSet<object>();

  constructor(source: XnatObjectSource | undefined) {
    this.#source = source;
  }

  get hasSource(): boolean {
    return this.#source !== undefined;
  }

  byUri(uri: string, include: ReadonlySet<XnatType>, sealed = false): XnatObject | undefined {
    const object = this.#remember(this.#source?.byUri(uri, { include }), include);
    if (sealed && object !== undefined) this.#sealed.add(object);
    return object;
  }

  byId(
    type: XnatType,
    id: string,
    include: ReadonlySet<XnatType>,
    sealed = false,
  ): XnatObject | undefined {
    const object = this.#remember(this.#source?.byId(type, id, { include }), include);
    if (sealed && object !== undefined) this.#sealed.add(object);
    return object;
  }

  /** `object`, reloaded when it came from the source without some of the `needed` children. */
  withChildren(object: XnatObject, needed: ReadonlySet<XnatType>): XnatObject {
    const loaded = this.#loaded.get(object);
    if (loaded === undefined || this.#sealed.has(object)) return object;
    if ([...needed].every((type) => loaded.has(type))) return object;
    if (object.uri === undefined) return object;
    const include = new Set([...loaded, ...needed]);
    return this.byUri(object.uri, include) ?? object;
  }

  /** Children found inside `parent` were loaded as deep as their parent. */
  inherit(parent: XnatObject, child: XnatObject): void {
    const loaded = this.#loaded.get(parent);
    if (loaded !== undefined) this.#loaded.set(child, loaded);
  }

  #remember(object: XnatObject | undefined, include: LoadOptions["include"]) {
    if (object !== undefined && include !== undefined) this.#loaded.set(object, include);
    return object;
  }
}
