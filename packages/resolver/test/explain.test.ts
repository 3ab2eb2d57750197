// `resolved.inputTree`: where each value came from (default, user, provider, derived — and for a
// derived value, how: matched children, the parent's property, or the object above), which is
// what `--explain` prints.
import type { XnatObject, XnatObjectSource } from "@xcs/archive";
import { readCommand } from "@xcs/command-schema";
import { describe, expect, it } from "vitest";
import {
  type ResolvedCommand,
  type ResolvedInput,
  type ResolvedValue,
  resolveCommand,
} from "../src/index.js";

const command = readCommand(
  JSON.stringify({
    name: "explain",
    type: "docker",
    image: "busybox:1",
    "command-line": "run #MODE# #LEVEL# #NOTE# #IDS#",
    inputs: [
      { name: "MODE", type: "string", "command-line-flag": "--mode" },
      { name: "LEVEL", type: "string", "default-value": "3" },
      { name: "NOTE", type: "string" },
      { name: "IDS", type: "string" },
    ],
    xnat: [
      {
        name: "w",
        "external-inputs": [
          { name: "session", type: "Session" },
          {
            name: "mode",
            type: "string",
            "default-value": "fast",
            "provides-value-for-command-input": "MODE",
          },
          { name: "extra", type: "string", required: false },
        ],
        "derived-inputs": [
          {
            name: "t1",
            type: "Scan",
            "derived-from-wrapper-input": "session",
            matcher: "@.scan-type == 'T1'",
            required: false,
          },
          {
            name: "picked",
            type: "Scan",
            "derived-from-wrapper-input": "session",
            required: false,
          },
          {
            name: "all-ids",
            type: "Scan",
            "derived-from-wrapper-input": "session",
            "derived-from-xnat-object-property": "id",
            "provides-value-for-command-input": "IDS",
            multiple: true,
          },
          {
            name: "session-label",
            type: "string",
            "derived-from-wrapper-input": "session",
            "derived-from-xnat-object-property": "label",
          },
          { name: "project", type: "Project", "derived-from-wrapper-input": "session" },
        ],
        "output-handlers": [],
      },
    ],
  }),
  { mode: "model" },
).command;

const session = JSON.stringify({
  type: "Session",
  id: "E1",
  label: "sess1",
  uri: "/experiments/E1",
  "project-id": "P1",
  scans: [
    ["1", "T1"],
    ["2", "T2"],
    ["3", "T1"],
  ].map(([id, scanType]) => ({
    type: "Scan",
    id,
    label: `${id} - ${scanType}`,
    "scan-type": scanType,
    uri: `/experiments/E1/scans/${id}`,
    resources: [],
  })),
  assessors: [],
  resources: [],
});

const project = {
  type: "Project",
  id: "P1",
  label: "Project One",
  uri: "/archive/projects/P1",
  subjects: [],
  resources: [],
  "project-assets": [],
} as unknown as XnatObject;

const source: XnatObjectSource = {
  byUri: () => undefined,
  byId: (type, id) => (type === "Project" && id === "P1" ? project : undefined),
};

function explain(inputs: Record<string, string>): ResolvedCommand {
  return resolveCommand(command, {
    wrapper: "w",
    inputs: { session, ...inputs },
    settings: { buildPath: "/nonexistent/build" },
    source,
    materialize: false,
  });
}

/** The input named `name` anywhere in the tree (through every value). */
function find(trees: readonly ResolvedInput[], name: string): ResolvedInput {
  const visit = (tree: ResolvedInput): ResolvedInput | undefined =>
    tree.name === name
      ? tree
      : tree.values
          .flatMap(({ children }) => children)
          .reduce<ResolvedInput | undefined>((found, child) => found ?? visit(child), undefined);
  for (const tree of trees) {
    const found = visit(tree);
    if (found !== undefined) return found;
  }
  throw new Error(`no input ${name} in the tree`);
}

function only(trees: readonly ResolvedInput[], name: string): ResolvedValue {
  const input = find(trees, name);
  expect(input.values, name).toHaveLength(1);
  return (input.values[0] as ResolvedInput["values"][number]).value;
}

describe("the input tree", () => {
  const resolved = explain({});
  const tree = resolved.inputTree;

  it("has the external inputs as roots, then the command inputs nobody provides", () => {
    expect(tree.map(({ name, kind }) => [name, kind])).toEqual([
      ["session", "external"],
      ["mode", "external"],
      ["extra", "external"],
      ["LEVEL", "command"],
      ["NOTE", "command"],
    ]);
    const children = tree[0]?.values[0]?.children.map(({ name }) => name);
    expect(children).toEqual(["t1", "picked", "all-ids", "session-label", "project"]);
    expect(tree[1]?.values[0]?.children.map(({ name }) => name)).toEqual(["MODE"]);
  });

  it("tells the user's value from a default and from no value at all", () => {
    expect(only(tree, "session").origin).toEqual({ from: "user" });
    expect(only(tree, "mode")).toMatchObject({ value: "fast", origin: { from: "default" } });
    expect(only(tree, "extra")).toMatchObject({ value: null, origin: { from: "none" } });
    expect(only(tree, "LEVEL")).toMatchObject({ value: "3", origin: { from: "default" } });
    expect(only(tree, "NOTE")).toMatchObject({ value: null, origin: { from: "none" } });
    expect(only(explain({ LEVEL: "5" }).inputTree, "LEVEL")).toMatchObject({
      value: "5",
      origin: { from: "user" },
    });
  });

  it("names the wrapper input that provides a command input's value (it wins over the user)", () => {
    expect(only(tree, "MODE")).toMatchObject({
      value: "fast",
      origin: { from: "provider", input: "mode" },
    });
    const overruled = only(explain({ MODE: "slow" }).inputTree, "MODE");
    expect(overruled).toMatchObject({ value: "fast", origin: { from: "provider", input: "mode" } });
    const fromUser = only(explain({ mode: "slow" }).inputTree, "MODE");
    expect(fromUser).toMatchObject({ value: "slow", origin: { from: "provider", input: "mode" } });
  });

  it("binds the object and its label to an XNAT value", () => {
    const value = only(tree, "session");
    expect(value).toMatchObject({ type: "Session", value: "/experiments/E1", valueLabel: "sess1" });
    expect(value.object?.type).toBe("Session");
  });
});

describe("derived origins", () => {
  it("children: the parent, the path evaluated and the uris it matched", () => {
    const t1 = find(explain({}).inputTree, "t1");
    expect(t1.values.map(({ value }) => value.value)).toEqual([
      "/experiments/E1/scans/1",
      "/experiments/E1/scans/3",
    ]);
    expect(t1.values[0]?.value.origin).toEqual({
      from: "derived",
      parent: "session",
      how: "children",
      path: "$.scans[?(@.scan-type == 'T1')]",
      matched: ["/experiments/E1/scans/1", "/experiments/E1/scans/3"],
    });
  });

  it("children picked by a runtime value: the path of the key that matched", () => {
    const byId = only(explain({ picked: "2" }).inputTree, "picked");
    expect(byId.value).toBe("/experiments/E1/scans/2");
    expect(byId.origin).toMatchObject({
      how: "children",
      path: "$.scans[?(@.id == '2')]",
      matched: ["/experiments/E1/scans/2"],
    });
    const byUri = only(explain({ picked: "/experiments/E1/scans/3" }).inputTree, "picked");
    expect(byUri.origin).toMatchObject({ path: "$.scans[?(@.uri == '/experiments/E1/scans/3')]" });
  });

  it("children of a multiple input: every match, each value its own property", () => {
    const resolved = explain({});
    const ids = find(resolved.inputTree, "all-ids");
    expect(ids.multiple).toBe(true);
    expect(ids.values.map(({ value }) => value.value)).toEqual(["1", "2", "3"]);
    expect(ids.values.map(({ value }) => value.valueLabel)).toEqual(["1 - T1", "2 - T2", "3 - T1"]);
    expect(ids.values[2]?.value.origin).toEqual({
      from: "derived",
      parent: "session",
      how: "children",
      path: "$.scans[*]",
      matched: ["/experiments/E1/scans/1", "/experiments/E1/scans/2", "/experiments/E1/scans/3"],
    });
    expect(ids.values.map(({ children }) => children[0]?.values[0]?.value.origin)).toEqual([
      { from: "provider", input: "all-ids" },
      { from: "provider", input: "all-ids" },
      { from: "provider", input: "all-ids" },
    ]);
    expect(resolved.commandLine).toBe("run --mode fast 3  1 2 3");
  });

  it("property: the property read from the parent and the path", () => {
    expect(only(explain({}).inputTree, "session-label")).toMatchObject({
      value: "sess1",
      origin: {
        from: "derived",
        parent: "session",
        how: "property",
        property: "label",
        path: "$.label",
      },
    });
  });

  it("parent: the object above the parent, loaded from the source", () => {
    const value = only(explain({}).inputTree, "project");
    expect(value).toMatchObject({
      value: "/archive/projects/P1",
      valueLabel: "Project One",
      origin: { from: "derived", parent: "session", how: "parent" },
    });
    expect(value.object).toBe(project);
  });
});
