// The public face of @radifox/stage. A removed or renamed export fails here; an added one must
// be added to the list.
import { describe, expect, it } from "vitest";
import * as api from "../src/index.js";

const EXPORTS = [
  "DEFAULT_PLUGINS",
  "MEMPRAGEPlugin",
  "MODULE_NAME",
  "MP2RAGEPlugin",
  "StageError",
  "WORK_PREFIX",
  "candidateFacts",
  "discoverSessions",
  "equivalentCommand",
  "formatPlan",
  "groupImages",
  "hdrfixName",
  "imageLikeTemplate",
  "isStagingPlugin",
  "loadPluginFile",
  "loadPluginFiles",
  "mp2rageKey",
  "parseStageArgs",
  "pickBest",
  "pickMostIsotropic",
  "pickSmallestSlices",
  "planStaging",
  "registrationTargets",
  "selectForFilter",
  "sessionImages",
  "sortBySeries",
  "stageSubject",
  "stageUsage",
  "sumEchoes",
  "targetLinks",
  "uniformImage",
];

describe("@radifox/stage public API", () => {
  it("exports exactly the documented names", () => {
    expect(Object.keys(api).sort()).toEqual(EXPORTS);
  });
});
