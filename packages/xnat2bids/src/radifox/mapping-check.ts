// Checks of a merged RADIFOX → BIDS table. The table may come from a hand-written JSON file, so
// every value is checked for its type as well as for what BIDS allows.
import { entityByKey, entityValueProblem } from "../bids/entities.js";
import { rulesForSuffix, SUFFIX_RULES } from "../bids/rules.js";
import type { RadifoxMapping } from "./mapping.js";

/** The image-type components an `acq-` label can be built from. */
export const ACQ_COMPONENTS = ["bodypart", "technique", "acqdim", "orientation"] as const;

/** A RADIFOX name component: what `parseName` accepts between `-`. */
const WORD = /^[\p{L}\p{N}]+$/u;
const ASCII_WORD = /^[A-Za-z0-9]*$/;
const GROUP_REF = /\$(\d+)/g;

const isRecord = (value: unknown): value is Record<string, unknown> =>
  value !== null && typeof value === "object" && !Array.isArray(value);
const show = (value: unknown) => JSON.stringify(value) ?? String(value);

/** Why `suffix` cannot name a NIfTI image in BIDS, or undefined. */
export function suffixProblem(suffix: unknown): string | undefined {
  if (typeof suffix !== "string") return `a BIDS suffix must be a string, not ${show(suffix)}`;
  const rules = rulesForSuffix(suffix);
  if (rules.length === 0) {
    const other = SUFFIX_RULES.flatMap((r) => r.suffixes).find(
      (s) => s.toLowerCase() === suffix.toLowerCase(),
    );
    return other === undefined
      ? `'${suffix}' is not a BIDS suffix`
      : `'${suffix}' is not a BIDS suffix (BIDS writes '${other}')`;
  }
  return rules.some((r) => r.extensions.includes(".nii.gz"))
    ? undefined
    : `'${suffix}' is a BIDS suffix, but not of NIfTI images`;
}

/** The number of capturing groups of a pattern. */
export function groupCount(pattern: RegExp): number {
  return (new RegExp(`${pattern.source}|`, pattern.flags).exec("")?.length ?? 1) - 1;
}

/** The RegExp of an extra rule's key: the whole extra must match. */
export function extraPattern(source: string): RegExp {
  return new RegExp(`^(?:${source})$`, "u");
}

/** Problems of one entity of a rule; `groups` is the pattern's group count (0: no `$n`). */
function entityProblem(path: string, key: string, value: unknown, groups: number) {
  if (key === "sub" || key === "ses") return `${path}: sub- and ses- come from the folders`;
  const entity = entityByKey(key);
  if (!entity) return `${path}: '${key}' is not a BIDS entity key`;
  if (typeof value !== "string") return `${path}: the value must be a string, not ${show(value)}`;
  const refs = [...value.matchAll(GROUP_REF)].map((m) => Number(m[1]));
  const bad = refs.find((n) => n < 1 || n > groups);
  if (bad !== undefined) {
    return groups === 0
      ? `${path}: '$${bad}' can only be used in an extra rule whose pattern has groups`
      : `${path}: '$${bad}' but the pattern has ${groups} group(s)`;
  }
  if (refs.length === 0) {
    const problem = entityValueProblem(key, value);
    return problem && `${path}: ${problem}`;
  }
  // The groups are checked per image; here only the fixed text around them.
  const fixed = value.replace(GROUP_REF, "");
  const ok = entity.format === "index" ? /^\d*$/.test(fixed) : ASCII_WORD.test(fixed);
  return ok ? undefined : `${path}: '${value}' holds characters a ${key}- value cannot`;
}

function entitiesProblems(path: string, value: unknown, groups: number): string[] {
  if (!isRecord(value)) return [`${path}: must be an object of entities, not ${show(value)}`];
  return Object.entries(value).flatMap(([k, v]) => {
    const problem = entityProblem(`${path}.${k}`, k, v, groups);
    return problem ? [problem] : [];
  });
}

function wordProblem(path: string, word: unknown): string | undefined {
  return typeof word === "string" && WORD.test(word)
    ? undefined
    : `${path}: ${show(word)} is not a RADIFOX name component (letters and digits)`;
}

function extraProblems(key: string, rule: unknown): string[] {
  const path = `extras.${key}`;
  let pattern: RegExp;
  try {
    pattern = extraPattern(key);
  } catch (error) {
    return [`${path}: not a regular expression (${(error as Error).message})`];
  }
  if (!isRecord(rule)) return [`${path}: must be an object or null, not ${show(rule)}`];
  const problems = Object.keys(rule)
    .filter((k) => k !== "entities" && k !== "suffix")
    .map((k) => `${path}.${k}: unknown key (expected entities, suffix)`);
  if (rule.entities !== undefined) {
    problems.push(...entitiesProblems(`${path}.entities`, rule.entities, groupCount(pattern)));
  }
  if (rule.suffix !== undefined) {
    if (!isRecord(rule.suffix)) problems.push(`${path}.suffix: must be an object`);
    else {
      for (const [from, to] of Object.entries(rule.suffix)) {
        const problem = suffixProblem(from) ?? suffixProblem(to);
        if (problem) problems.push(`${path}.suffix.${from}: ${problem}`);
      }
    }
  }
  return problems;
}

function acquisitionProblems(acq: RadifoxMapping["acquisition"]): string[] {
  const problems: string[] = [];
  const known: readonly string[] = ACQ_COMPONENTS;
  acq.components.forEach((c, i) => {
    if (!known.includes(c)) {
      problems.push(
        `acquisition.components.${i}: ${show(c)} is not one of ${ACQ_COMPONENTS.join(", ")}`,
      );
    } else if (acq.components.indexOf(c) !== i) {
      problems.push(`acquisition.components.${i}: '${c}' is given twice`);
    }
  });
  for (const [key, short] of Object.entries(acq.orientations)) {
    const path = `acquisition.orientations.${key}`;
    const problem = wordProblem(path, key);
    if (problem) problems.push(problem);
    else if (typeof short !== "string" || !ASCII_WORD.test(short)) {
      problems.push(`${path}: ${show(short)} must be letters and digits (or "")`);
    }
  }
  acq.defaultBodyparts.forEach((b, i) => {
    const problem = wordProblem(`acquisition.defaultBodyparts.${i}`, b);
    if (problem) problems.push(problem);
  });
  return problems;
}

/** Every problem of a merged table, each prefixed with the path of its entry. */
export function checkMapping(mapping: RadifoxMapping): string[] {
  const problems: string[] = [];
  for (const [modality, suffix] of Object.entries(mapping.modalities)) {
    const path = `modalities.${modality}`;
    const problem = wordProblem(path, modality) ?? suffixProblem(suffix);
    if (problem) problems.push(problem.startsWith(path) ? problem : `${path}: ${problem}`);
  }
  for (const [excontrast, entities] of Object.entries(mapping.excontrast)) {
    const path = `excontrast.${excontrast}`;
    const problem = wordProblem(path, excontrast);
    problems.push(...(problem ? [problem] : entitiesProblems(path, entities, 0)));
  }
  problems.push(...acquisitionProblems(mapping.acquisition));
  for (const [key, rule] of Object.entries(mapping.extras))
    problems.push(...extraProblems(key, rule));
  return problems;
}
