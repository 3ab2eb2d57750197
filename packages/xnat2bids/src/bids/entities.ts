// The BIDS entities in the order the specification fixes for file names (schema
// `rules/entities.yaml`), with the short key each one has in a name.

/** One BIDS entity: its full name, its key in file names, and the form of its value. */
export interface BidsEntity {
  /** The schema's name (`subject`, `acquisition`, …). */
  readonly name: string;
  /** The key in file names (`sub`, `acq`, …). */
  readonly key: string;
  /** `label`: letters and digits; `index`: digits; `mt`/`part`/`hemi`: a fixed set of values. */
  readonly format: "label" | "index" | "enum";
  /** The allowed values of an `enum` entity. */
  readonly values?: readonly string[];
}

const label = (name: string, key: string): BidsEntity => ({ name, key, format: "label" });
const index = (name: string, key: string): BidsEntity => ({ name, key, format: "index" });
const oneOf = (name: string, key: string, values: readonly string[]): BidsEntity => ({
  name,
  key,
  format: "enum",
  values,
});

/** Every entity, in file-name order. */
export const BIDS_ENTITIES: readonly BidsEntity[] = Object.freeze([
  label("subject", "sub"),
  label("template", "tpl"),
  label("session", "ses"),
  label("cohort", "cohort"),
  label("sample", "sample"),
  label("task", "task"),
  label("tracksys", "tracksys"),
  label("acquisition", "acq"),
  label("nucleus", "nuc"),
  label("volume", "voi"),
  label("ceagent", "ce"),
  label("tracer", "trc"),
  label("stain", "stain"),
  label("reconstruction", "rec"),
  label("direction", "dir"),
  index("run", "run"),
  label("modality", "mod"),
  index("echo", "echo"),
  index("flip", "flip"),
  index("inversion", "inv"),
  oneOf("mtransfer", "mt", ["on", "off"]),
  oneOf("part", "part", ["mag", "phase", "real", "imag"]),
  label("processing", "proc"),
  oneOf("hemisphere", "hemi", ["L", "R"]),
  label("space", "space"),
  index("split", "split"),
  label("recording", "recording"),
  index("chunk", "chunk"),
  label("atlas", "atlas"),
  label("segmentation", "seg"),
  label("scale", "scale"),
  label("resolution", "res"),
  label("density", "den"),
  label("label", "label"),
  label("prov", "prov"),
  label("description", "desc"),
]);

const BY_KEY: ReadonlyMap<string, BidsEntity> = new Map(BIDS_ENTITIES.map((e) => [e.key, e]));
const ORDER: ReadonlyMap<string, number> = new Map(BIDS_ENTITIES.map((e, i) => [e.key, i]));

/** The entity of a file-name key (`acq`), or undefined for a key BIDS does not define. */
export function entityByKey(key: string): BidsEntity | undefined {
  return BY_KEY.get(key);
}

/** The position of a key in the file-name order; unknown keys sort last. */
export function entityOrder(key: string): number {
  return ORDER.get(key) ?? BIDS_ENTITIES.length;
}

const LABEL = /^[A-Za-z0-9]+$/;
const INDEX = /^[0-9]+$/;

/**
 * Why `value` cannot be the value of the entity `key`, or undefined when it can. Labels are
 * letters and digits, indices digits, the others one of their fixed values.
 */
export function entityValueProblem(key: string, value: string): string | undefined {
  const entity = BY_KEY.get(key);
  if (!entity) return `'${key}' is not a BIDS entity`;
  if (value === "") return `${key}- has an empty value`;
  switch (entity.format) {
    case "label":
      return LABEL.test(value)
        ? undefined
        : `${key}-${value}: a label holds only letters and digits`;
    case "index":
      return INDEX.test(value) ? undefined : `${key}-${value}: an index holds only digits`;
    case "enum":
      return entity.values?.includes(value)
        ? undefined
        : `${key}-${value}: the value must be one of ${entity.values?.join(", ")}`;
  }
}
