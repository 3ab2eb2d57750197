// One RADIFOX image type → the entities and suffix of its BIDS name, by the mapping table, with
// the reason for each part (for the dry-run table) or the reason the image cannot be converted.
import type { ParsedName } from "@radifox/naming";
import { entityValueProblem } from "../bids/entities.js";
import type { BidsNameEntity } from "../bids/names.js";
import type { RadifoxExtraRule, RadifoxMapping } from "./mapping.js";
import { extraPattern } from "./mapping-check.js";

/** The parts of a RADIFOX name the mapping reads. */
export type RadifoxImageType = Pick<
  ParsedName,
  | "bodypart"
  | "modality"
  | "technique"
  | "acqdim"
  | "orientation"
  | "excontrast"
  | "extras"
  | "tags"
>;

/** What {@link mapRadifoxImage} returns. */
export type RadifoxImageMapping =
  | {
      readonly ok: true;
      /** Entities besides `sub` and `ses`, in no particular order. */
      readonly entities: readonly BidsNameEntity[];
      readonly suffix: string;
      /** One note per mapped part: `T1→T1w`, `ECHO1→echo-1`, `acq from IRFSPGR 3D SAGITTAL`. */
      readonly why: readonly string[];
    }
  | { readonly ok: false; readonly reason: string };

interface CompiledExtra {
  readonly pattern: RegExp;
  readonly rule: RadifoxExtraRule;
}

// Patterns compiled once per (frozen) table.
const compiled = new WeakMap<RadifoxMapping, readonly CompiledExtra[]>();

function extraRules(mapping: RadifoxMapping): readonly CompiledExtra[] {
  let rules = compiled.get(mapping);
  if (!rules) {
    rules = Object.entries(mapping.extras).map(([source, rule]) => ({
      pattern: extraPattern(source),
      rule,
    }));
    compiled.set(mapping, rules);
  }
  return rules;
}

const NOT_LABEL = /[^A-Za-z0-9]/g;
const has = (record: object, key: string) => Object.hasOwn(record, key);

/** A reason thrown inside the mapping and returned as `{ ok: false }`. */
class Unmappable {
  constructor(readonly reason: string) {}
}

/** The `acq-` label and the words it came from. */
function acquisition(type: RadifoxImageType, mapping: RadifoxMapping): [string, string[]] {
  const acq = mapping.acquisition;
  const words: string[] = [];
  let label = "";
  for (const component of acq.components) {
    const word = type[component];
    if (component === "bodypart" && acq.defaultBodyparts.includes(word)) continue;
    const short =
      component === "orientation" && has(acq.orientations, word)
        ? (acq.orientations[word] as string)
        : word;
    const part = short.replace(NOT_LABEL, "");
    if (part === "") continue;
    label += part;
    words.push(word);
  }
  return [label, words];
}

/**
 * The BIDS entities and suffix of a RADIFOX image type: the modality gives the suffix, the
 * excontrast and each extra (first matching rule) entities and suffix changes, the type's
 * components the `acq-` label. Fails for a tagged (processed) image, an unmapped modality,
 * excontrast or extra, an extra giving a value its entity cannot hold, and two parts setting
 * one entity to different values.
 */
export function mapRadifoxImage(
  type: RadifoxImageType,
  mapping: RadifoxMapping,
): RadifoxImageMapping {
  try {
    return mapOrThrow(type, mapping);
  } catch (error) {
    if (error instanceof Unmappable) return { ok: false, reason: error.reason };
    throw error;
  }
}

function mapOrThrow(type: RadifoxImageType, mapping: RadifoxMapping): RadifoxImageMapping {
  if (type.tags.length > 0) {
    throw new Unmappable(
      `processed image (tags ${type.tags.join(", ")}): a BIDS raw dataset holds only images ` +
        "as converted from DICOM",
    );
  }
  const { modality, excontrast } = type;
  if (!has(mapping.modalities, modality)) {
    throw new Unmappable(
      `RADIFOX modality ${modality} has no BIDS suffix in the mapping; to convert it, add ` +
        `"modalities": {"${modality}": "<BIDS suffix>"} to the mapping file`,
    );
  }
  let suffix = mapping.modalities[modality] as string;
  const why = [`${modality}→${suffix}`];
  const entities = new Map<string, { value: string; from: string }>();
  const set = (key: string, value: string, from: string) => {
    const before = entities.get(key);
    if (before && before.value !== value) {
      throw new Unmappable(
        `${before.from} gives ${key}-${before.value} but ${from} gives ${key}-${value}`,
      );
    }
    entities.set(key, { value, from });
  };
  const pairs = (record: Readonly<Record<string, string>>) =>
    Object.entries(record).map(([k, v]) => `${k}-${v}`);

  if (!has(mapping.excontrast, excontrast)) {
    throw new Unmappable(
      `RADIFOX excontrast ${excontrast} is not in the mapping; to convert it, add ` +
        `"excontrast": {"${excontrast}": {<entities>}} to the mapping file`,
    );
  }
  const contrast = mapping.excontrast[excontrast] as Readonly<Record<string, string>>;
  for (const [key, value] of Object.entries(contrast)) set(key, value, excontrast);
  if (pairs(contrast).length > 0) why.push(`${excontrast}→${pairs(contrast).join(" ")}`);

  for (const extra of type.extras) {
    const found = extraRules(mapping)
      .map(({ pattern, rule }) => ({ match: pattern.exec(extra), rule }))
      .find((r) => r.match !== null);
    if (!found?.match) {
      throw new Unmappable(
        `RADIFOX extra ${extra} is not in the mapping; to convert the image, add a rule for it ` +
          `under "extras" in the mapping file`,
      );
    }
    const { match, rule } = found;
    const given: Record<string, string> = {};
    for (const [key, template] of Object.entries(rule.entities ?? {})) {
      const value = template.replace(/\$(\d+)/g, (_, n: string) => match[Number(n)] ?? "");
      const problem = entityValueProblem(key, value);
      if (problem) throw new Unmappable(`RADIFOX extra ${extra}: ${problem}`);
      set(key, value, extra);
      given[key] = value;
    }
    const notes = pairs(given);
    const next = rule.suffix && has(rule.suffix, suffix) ? rule.suffix[suffix] : undefined;
    let note = notes.length > 0 ? `${extra}→${notes.join(" ")}` : `${extra} left out`;
    if (next !== undefined) {
      note += ` (${suffix}→${next})`;
      suffix = next;
    }
    why.push(note);
  }

  const [acq, words] = acquisition(type, mapping);
  if (acq !== "") {
    set("acq", acq, `the acquisition (${words.join(" ")})`);
    why.push(`acq from ${words.join(" ")}`);
  }
  return {
    ok: true,
    entities: [...entities].map(([key, { value }]) => ({ key, value })),
    suffix,
    why,
  };
}
