// The public face of @xcs/xnat2bids. A removed or renamed export fails here; an added one must
// be added to the list (and to the README's API section).
import { describe, expect, it } from "vitest";
import * as api from "../src/index.js";

const EXPORTS = [
  "BIDS_DATATYPES",
  "BIDS_ENTITIES",
  "BIDS_VERSION",
  "checkBidsDataset",
  "DEFAULT_RADIFOX_MAPPING",
  "detectInput",
  "entityByKey",
  "entityOrder",
  "entityValue",
  "formatBidsName",
  "GENERATED_BY",
  "parseBidsName",
  "placeBidsName",
  "planRadifoxStudy",
  "planXnatInput",
  "radifoxSidecarToBids",
  "RadifoxMappingError",
  "resolveRadifoxMapping",
  "rulesForSuffix",
  "splitExtension",
  "SUFFIX_RULES",
  "withoutSuffix",
  "XNAT_FOLDERS",
  "xnat2bids",
];

describe("@xcs/xnat2bids", () => {
  it("exports exactly the documented API", () => {
    expect(Object.keys(api).sort()).toEqual([...EXPORTS].sort());
  });

  it("names itself in the dataset descriptions it writes", () => {
    expect(api.GENERATED_BY.Name).toBe("xnat2bids");
    expect(api.GENERATED_BY.Version).toMatch(/^\d+\.\d+\.\d+/);
  });
});
