import { execFileSync } from "node:child_process";
import { describe, expect, it } from "vitest";
import {
  COMMAND_LABEL,
  decodeCommandLabel,
  dockerfileLabel,
  encodeCommandLabel,
} from "./image-label.js";
import { CommandReadError } from "./read-command.js";

const setup = {
  name: "xnat2bids",
  "command-line": "xnat2bids.py /input /output",
  image: "xnat/xnat2bids-setup:1.1",
  version: "1.1",
  type: "docker-setup",
};
const tool = { name: "tool", image: "ignored", "command-line": 'echo "$HOME" \\d', mounts: [] };

describe("image labels", () => {
  it("round-trips commands through the label value", () => {
    const value = encodeCommandLabel([setup, tool]);
    expect(JSON.parse(value)).toEqual([setup, tool]);
    const decoded = decodeCommandLabel(value, { image: "registry.local/tool:2" });
    expect(decoded.map((entry) => entry.index)).toEqual([0, 1]);
    for (const entry of decoded) {
      expect(entry.result.ok).toBe(true);
      // XNAT uses the name the image was pulled as, whatever the label says.
      if (entry.result.ok) expect(entry.result.read.command.image).toBe("registry.local/tool:2");
      expect(JSON.parse(entry.text)).toEqual(entry.index === 0 ? setup : tool);
    }
  });

  it("reports each command's problems on its own and refuses a value that is not an array", () => {
    const [bad, good] = decodeCommandLabel(
      '[{"name": "", "image": "x"}, {"name": "ok", "image": "y:1"}]',
    );
    expect(bad?.result.accepted).toBe(false);
    expect(bad?.start).toMatchObject({ line: 1, column: 2 });
    expect(good?.result.accepted).toBe(true);
    expect(() => decodeCommandLabel('{"name": "x"}')).toThrow(CommandReadError);
    expect(() => decodeCommandLabel("[{")).toThrow(CommandReadError);
  });

  it("writes a Dockerfile LABEL line that a shell-style parser gives back unchanged", () => {
    const line = dockerfileLabel([tool]);
    expect(line.startsWith(`LABEL ${COMMAND_LABEL}="`)).toBe(true);
    // Docker's double-quoted strings unescape like sh: check with sh itself.
    const value = line.slice(`LABEL ${COMMAND_LABEL}=`.length);
    const echoed = execFileSync("sh", ["-c", `printf %s ${value}`], { encoding: "utf8" });
    expect(JSON.parse(echoed)).toEqual([tool]);
  });
});
