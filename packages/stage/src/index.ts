export { parseStageArgs, type StageCommand, type StageOptions, stageUsage } from "./args.js";
export { imageLikeTemplate } from "./derived-image.js";
export {
  type DiscoveredSession,
  type Discovery,
  discoverSessions,
  sessionImages,
} from "./discover.js";
export { StageError, type StageErrorCode } from "./errors.js";
export { MEMPRAGEPlugin, sumEchoes } from "./memprage.js";
export { MP2RAGEPlugin, mp2rageKey, uniformImage } from "./mp2rage.js";
export { formatPlan, type PlannedSession, planStaging, type StagePlan } from "./plan.js";
export {
  groupImages,
  isStagingPlugin,
  type PlannedOutput,
  type PluginContext,
  type PluginGrouping,
  type StagingPlugin,
  sortBySeries,
} from "./plugin.js";
export { loadPluginFile, loadPluginFiles } from "./plugin-files.js";
export {
  type Candidate,
  type Choice,
  candidateFacts,
  pickBest,
  pickMostIsotropic,
  pickSmallestSlices,
  type ResolutionRule,
} from "./resolution.js";
export {
  type FilterOutcome,
  hdrfixName,
  type SelectionSteps,
  selectForFilter,
} from "./selection.js";
export { WORK_PREFIX } from "./session-stage.js";
export {
  DEFAULT_PLUGINS,
  equivalentCommand,
  MODULE_NAME,
  type SessionResult,
  type StageProgress,
  type StageResult,
  type StageRunOptions,
  stageSubject,
} from "./stage.js";
export { registrationTargets, type SessionTarget, type Targets, targetLinks } from "./targets.js";
