// MEMPRAGEPlugin (spec 5.7): the echoes of a multi-echo MPRAGE summed into one image per
// acquisition, or the scanner's own SUM image when there is one.
import { join } from "node:path";
import { ImageFile } from "@radifox/naming";
import { type NiftiHeader, type NiftiImage, readHeader, readImage } from "@radifox/nifti";
import { imageLikeTemplate } from "./derived-image.js";
import { StageError } from "./errors.js";
import {
  groupImages,
  type PlannedOutput,
  type PluginContext,
  type PluginGrouping,
  type StagingPlugin,
  safely,
} from "./plugin.js";

const isMemprage = safely(
  (image) =>
    image.modality === "T1" &&
    image.technique === "IRFSPGR" &&
    image.extras.some((extra) => extra.includes("ECHO") || extra === "SUM"),
);

/** The image whose header the sum keeps: the group's smallest name. */
function templateOf(group: readonly ImageFile[]): ImageFile {
  return group.reduce((best, image) => (image.name < best.name ? image : best));
}

function sumPath(group: readonly ImageFile[], stageDir: string): string {
  return join(stageDir, `${templateOf(group).stem}_sum.nii.gz`);
}

/** What one group becomes: its SUM image, or the sum to make. */
function planGroup(group: readonly ImageFile[], stageDir: string): PlannedOutput {
  const sum = group.find((image) => image.extras.includes("SUM"));
  if (sum) return { path: sum.path, inputs: [sum.path] };
  return { path: sumPath(group, stageDir), inputs: group.map((image) => image.path) };
}

/** `sum + image` in float32 (`sum` undefined: the image itself), as numpy adds float32 arrays. */
function accumulate(sum: Float32Array | undefined, image: NiftiImage): Float32Array {
  const scaled = image.header.sclSlope !== 0 && Number.isFinite(image.header.sclSlope);
  const identity = !scaled || (image.header.sclSlope === 1 && image.header.sclInter === 0);
  // Unscaled 8/16-bit values are exact in float32: add the stored values directly.
  const direct =
    identity &&
    (image.data instanceof Int16Array ||
      image.data instanceof Uint16Array ||
      image.data instanceof Int8Array ||
      image.data instanceof Uint8Array ||
      image.data instanceof Float32Array);
  const values = (direct ? image.data : image.getFloatData("float32")) as Float32Array;
  if (sum === undefined) return new Float32Array(values);
  for (let i = 0; i < sum.length; i++) sum[i] = (sum[i] as number) + (values[i] as number);
  return sum;
}

/**
 * The element-wise float32 sum of the echoes, in the group's order (as Python's `sum()` adds
 * them), saved with the header of the smallest name. Echoes are read one at a time.
 */
export async function sumEchoes(
  group: readonly ImageFile[],
  output: string,
  context: Pick<PluginContext, "writeImage" | "signal">,
): Promise<ImageFile> {
  // Only the template's header is kept: it is read in its turn like the other echoes.
  const template = await readHeader(templateOf(group).path);
  const shape = (header: NiftiHeader) => header.dim.slice(1, 4).join("x");
  let sum: Float32Array | undefined;
  // Each echo is read into the previous one's buffer: it is no longer needed once added.
  let spare: ArrayBuffer | undefined;
  for (const echo of group) {
    const image = await readImage(echo.path, { signal: context.signal, into: spare });
    if (shape(image.header) !== shape(template)) {
      throw new StageError(
        "E_STAGE_IMAGE",
        `MEMPRAGE echo ${echo.path} has shape ${shape(image.header)}, the template ${shape(template)}`,
        { path: echo.path },
      );
    }
    sum = accumulate(sum, image);
    spare = image.data.buffer as ArrayBuffer;
  }
  context.writeImage(output, imageLikeTemplate(template, sum ?? new Float32Array(0)));
  return new ImageFile(output);
}

/** Sums the echoes of a multi-echo MPRAGE (`T1`, `IRFSPGR`, extras `ECHO*` or `SUM`). */
export const MEMPRAGEPlugin: StagingPlugin = {
  name: "MEMPRAGEPlugin",
  filter: (images) => images.filter(isMemprage),
  async run(images, context) {
    const outputs: ImageFile[] = [];
    for (const group of groupImages(images, context.grouping)) {
      const sum = group.find((image) => image.extras.includes("SUM"));
      if (sum) outputs.push(sum);
      else outputs.push(await sumEchoes(group, sumPath(group, context.stageDir), context));
    }
    return outputs;
  },
  plan(images, context: { stageDir: string; grouping: PluginGrouping }) {
    return {
      outputs: groupImages(images, context.grouping).map((group) =>
        planGroup(group, context.stageDir),
      ),
      problems: [],
    };
  },
};
