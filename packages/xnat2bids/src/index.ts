/**
 * @xcs/xnat2bids: a valid BIDS dataset from an XNAT archive or a RADIFOX study.
 * @packageDocumentation
 */

export type { ApplyOptions, FileAction, LinkMode } from "./apply.js";
export { BIDS_ENTITIES, type BidsEntity, entityByKey, entityOrder } from "./bids/entities.js";
export {
  type BidsName,
  type BidsNameEntity,
  type BidsNameProblem,
  type BidsNameProblemCode,
  type BidsNameResult,
  entityValue,
  formatBidsName,
  parseBidsName,
  splitExtension,
  withoutSuffix,
} from "./bids/names.js";
export {
  BIDS_DATATYPES,
  type BidsDatatype,
  type Placement,
  placeBidsName,
  rulesForSuffix,
  SUFFIX_RULES,
  type SuffixRule,
} from "./bids/rules.js";
export { type BidsCheck, type BidsCheckCode, checkBidsDataset } from "./bids/validate.js";
export {
  type MappingRow,
  type Xnat2BidsOptions,
  type Xnat2BidsResult,
  xnat2bids,
} from "./convert.js";
export { BIDS_VERSION, GENERATED_BY } from "./dataset.js";
export { detectInput } from "./detect.js";
export type { Report } from "./folders.js";
export type {
  ConversionPlan,
  DescriptionSource,
  Finding,
  InputKind,
  PlannedFile,
  Severity,
  SkippedInput,
} from "./plan.js";
export {
  DEFAULT_RADIFOX_MAPPING,
  type RadifoxMapping,
  RadifoxMappingError,
  type RadifoxMappingOverrides,
  resolveRadifoxMapping,
} from "./radifox/mapping.js";
export { radifoxSidecarToBids } from "./radifox/sidecar.js";
export { type PlanRadifoxOptions, planRadifoxStudy } from "./radifox/source.js";
export { planXnatInput, XNAT_FOLDERS } from "./xnat/source.js";
