/**
 * @radifox/provenance: processing modules that leave verifiable, chained provenance records,
 * per-run logs and QA pictures, in files the original RADIFOX reads.
 * @packageDocumentation
 */
export {
  CONTAINER_ENV,
  CONTAINER_LABELS,
  type ContainerLabels,
  type ContainerOptions,
  detectContainer,
  LABELS_FILE,
} from "./container.js";
export {
  defineModule,
  exitCodeFor,
  ProcessingModule,
  type ProcessingModuleRunner,
} from "./define.js";
export { ProvenanceError, type ProvenanceErrorCode } from "./errors.js";
export {
  type BidsGeneratedBy,
  exportBidsGeneratedBy,
  exportProvJson,
  type ProvJsonAttributes,
  type ProvJsonDocument,
  type ProvJsonTypedValue,
  type ProvJsonValue,
  RADIFOX_PROV_NAMESPACE,
} from "./export.js";
export { type ExternalRunOptions, type KeyValues, parseKeyValue, runExternal } from "./external.js";
export { type FileLockOptions, withFileLock } from "./file-lock.js";
export { closeHashPool } from "./hash-pool.js";
export { hashDir, hashFile, hashFileDir, hashFileList, hashFiles, hashValue } from "./hashing.js";
export { fullyQualifiedHostName, hostFacts, userName } from "./host.js";
export {
  type LineageNode,
  type LineageOptions,
  type LineageRecord,
  lineage,
  lineageNodes,
} from "./lineage.js";
export {
  type CliResult,
  executeModule,
  type ModuleDefinition,
  type ModuleResult,
  type RunContext,
  type RunOptions,
  type RunResult,
} from "./module.js";
export type { LogLevel, ModuleLogger } from "./module-logs.js";
export { producerOf, recordedFiles, recordedPath } from "./parents.js";
export { appendRecord, placeRecord, provPathFor, sessionRecordPath } from "./placement.js";
export {
  type ContainerIdentity,
  type ContainerSource,
  type ParameterText,
  type RecordFields,
  type RecordFile,
  type RecordFiles,
  type RecordFormat,
  type RecordParents,
  recordBody,
  recordId,
  renderRecord,
} from "./record.js";
export {
  type ParsedRecords,
  type ProvenanceRecord,
  parseRecords,
  type RecordProblem,
} from "./record-parse.js";
export {
  type FoundRecords,
  findRecordsFor,
  type LocatedRecord,
  locatePath,
  type RecordSet,
  readRecordFile,
  readSessionRecords,
  type SessionRecords,
  sessionFileFor,
} from "./study-records.js";
export { formatDuration, isoSeconds } from "./time.js";
export {
  FilePath,
  type FileValue,
  filePath,
  type ModuleArgs,
  type OutputItem,
  type Outputs,
  type OutputValue,
  Overlay,
  type OverlayLut,
  overlay,
} from "./values.js";
export {
  type VerifyFinding,
  type VerifyFindingKind,
  type VerifyOptions,
  type VerifyProgress,
  type VerifyReport,
  type VerifySeverity,
  verifySession,
} from "./verify.js";
