import { describe, expect, it } from "vitest";
import { type CommandReadError, parseCommand, readCommand } from "./read-command.js";

const text = (value: unknown) => JSON.stringify(value, null, 2);

function readError(source: string, mode: "rest" | "model" = "rest"): CommandReadError {
  const result = parseCommand(source, { mode });
  if (result.ok) throw new Error("accepted");
  return result.error;
}

describe("readCommand", () => {
  it("fills in XNAT's defaults (wrapper inputs required, command inputs not)", () => {
    const { command } = readCommand(
      text({
        name: "t",
        image: "x:1",
        mounts: [{ path: "/in" }],
        inputs: [{ name: "i" }],
        outputs: [{ mount: "m" }],
        xnat: [
          {
            "external-inputs": [{ name: "s", type: "Session" }],
            "derived-inputs": [{ name: "d" }],
            "output-handlers": [{ name: "h" }],
          },
        ],
      }),
      { mode: "model" },
    );
    expect(command).toMatchObject({
      type: "docker",
      visibility: "public",
      environmentVariables: {},
    });
    expect(command.mounts[0]).toEqual({ name: "", writable: false, path: "/in" });
    expect(command.inputs[0]).toMatchObject({ type: "string", required: false, selectValues: [] });
    expect(command.outputs[0]?.name).toBeNull();
    const wrapper = command.xnat[0];
    expect(wrapper?.name).toBe("");
    expect(wrapper?.externalInputs[0]).toMatchObject({ required: true, loadChildren: true });
    expect(wrapper?.derivedInputs[0]).toMatchObject({ multiple: false, type: "string" });
    expect(wrapper?.outputHandlers[0]).toMatchObject({ type: "Resource", tags: [] });
  });

  it("reads the three ways XNAT installs commands differently", () => {
    const source = text({
      name: "t",
      image: "repo/tool",
      "ipc-mode": "host",
      ipcMode: "shareable",
      xnat: [{ "output-handlers": [{ name: "h", "as-a-child-of-wrapper-input": "s" }] }],
    });
    const rest = readCommand(source, { mode: "rest" });
    expect(rest.command.image).toBe("repo/tool:latest");
    expect(rest.command.ipcMode).toBe("shareable");
    expect(rest.command.xnat[0]?.name).toBeNull(); // prints as wrapper "null"
    expect(rest.command.xnat[0]?.outputHandlers[0]?.asAChildOf).toBe("s");
    const model = readCommand(source, { mode: "model" });
    expect(model.command.image).toBe("repo/tool");
    expect(model.command.ipcMode).toBe("host");
    expect(model.command.xnat[0]?.name).toBe("");
    expect(model.command.xnat[0]?.outputHandlers[0]?.asAChildOf).toBeNull();
    expect(model.warnings.map((w) => [w.code, w.pointer])).toEqual([
      ["ignored-key", "/ipcMode"],
      ["ignored-key", "/xnat/0/output-handlers/0/as-a-child-of-wrapper-input"],
    ]);
    const label = readCommand(source, { mode: "label", image: "registry.local/tool:2" });
    expect(label.command.image).toBe("registry.local/tool:2");
    expect(readCommand(source, { mode: "label" }).command.image).toBe("repo/tool");
    // XNAT always has the pulled name; without one, a stand-in keeps the image checks quiet.
    expect(readCommand('{"name": "t"}', { mode: "label" }).command.image).toBe(
      "pulled-image:latest",
    );
  });

  it("coerces values as Jackson does", () => {
    const { command } = readCommand(
      text({
        name: 12,
        image: "x:1",
        "override-entrypoint": " True ",
        "auto-remove": 0,
        "reserve-memory": 1.9,
        "limit-memory": "2048",
        "limit-cpu": "0.25",
        "shm-size": "",
        inputs: [{ name: "i", "default-value": false, required: "" }],
      }),
    );
    expect(command).toMatchObject({
      name: "12",
      overrideEntrypoint: true,
      autoRemove: false,
      reserveMemory: 1,
      limitMemory: 2048,
      limitCpu: 0.25,
      shmSize: null,
    });
    expect(command.inputs[0]).toMatchObject({ defaultValue: "false", required: false });
    // String fields take the number as written.
    expect(readCommand('{"name": 1.50}').command.name).toBe("1.50");
  });

  it("reports unknown and repeated keys with their JSON pointer and place", () => {
    const source =
      '{\n  "name": "t",\n  "workdir": "/x",\n  "inputs": [{"name": "i", "default": "d"}],\n  "name": "u"\n}';
    const { command, warnings } = readCommand(source);
    expect(command.name).toBe("u");
    expect(warnings.map((w) => [w.code, w.pointer, w.position?.line, w.position?.column])).toEqual([
      ["unknown-key", "/workdir", 3, 3],
      ["unknown-key", "/inputs/0/default", 4, 28],
      ["duplicate-key", "/name", 5, 3],
    ]);
    expect(readCommand('{"$schema": "./command.schema.json"}').warnings).toEqual([]);
  });

  it("says why a document is refused, and where", () => {
    const shape = readError('{"name": "t",\n "inputs": {"name": "i"}}');
    expect(shape).toMatchObject({
      kind: "shape",
      pointer: "/inputs",
      position: { line: 2, column: 12 },
    });
    expect(shape.message).toMatch(/expected an array of objects, not an object/);
    expect(readError('{"inputs": [{"required": "yes", "name": "i"}]}').message).toMatch(
      /inputs\/0\/required: expected true or false/,
    );
    expect(readError('{"inputs": [{"type": "string"}]}')).toMatchObject({
      kind: "construction",
      pointer: "/inputs/0/name",
    });
    expect(readError('{"environment-variables": {"A": null}}').kind).toBe("construction");
    expect(readError('{"inputs": [null]}').kind).toBe("construction");
    expect(readError('{"secrets": [{"source": {"type": "vault"}}]}').pointer).toBe(
      "/secrets/0/source/type",
    );
    expect(readError("[]").kind).toBe("shape");
    const syntax = readError('{"name": "t",}');
    expect(syntax).toMatchObject({ kind: "syntax", position: { column: 14 } });
    expect(syntax.message).toBe("trailing comma: a property name must follow ','");
  });

  it("locates pointers, falling back to the nearest value that exists", () => {
    const result = readCommand('{\n  "inputs": [\n    {"name": "i"}\n  ]\n}');
    expect(result.locate("/inputs/0/name")).toMatchObject({ line: 3, column: 14 });
    expect(result.locate("/inputs/0/default-value")).toMatchObject({ line: 3, column: 5 });
    expect(result.locate("/xnat/0")).toMatchObject({ line: 1, column: 1 });
  });
});

describe("commandToJson", () => {
  it("writes a command that reads back to the same model, without nulls", async () => {
    const { commandToJson } = await import("./command-json.js");
    const { readdirSync, readFileSync, existsSync } = await import("node:fs");
    const { CONFORMANCE, requireSystem } = await import("../test/support.js");
    const dir = `${CONFORMANCE}/fixtures/docker-images`;
    if (!requireSystem(`fixtures ${dir}`, existsSync(dir))) return;
    for (const name of readdirSync(dir)) {
      const read = parseCommand(readFileSync(`${dir}/${name}`, "utf8"), { mode: "model" });
      if (!read.ok) continue;
      const json = commandToJson(read.command);
      expect(JSON.stringify(json)).not.toContain("null");
      expect(readCommand(JSON.stringify(json), { mode: "model" }).command).toEqual(read.command);
    }
  });
});
