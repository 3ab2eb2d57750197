// `xcs schema` as a library: the JSON Schema of command documents, as text or written to a file.
import { randomBytes } from "node:crypto";
import { open, rename, rm } from "node:fs/promises";
import { basename, dirname, join } from "node:path";
import { commandJsonSchema } from "@xcs/command-schema";

/** The JSON Schema of command documents as `xcs schema` prints it (2-space JSON, newline). */
export function schemaText(): string {
  return `${JSON.stringify(commandJsonSchema(), null, 2)}\n`;
}

/**
 * Writes `text` to `path` atomically: a temporary file in the same folder, flushed to disk,
 * then renamed over `path`. A crash leaves the old file or the new one, never half of one.
 */
async function writeFileAtomic(path: string, text: string): Promise<void> {
  const temporary = join(
    dirname(path),
    `.${basename(path)}.${process.pid}.${randomBytes(4).toString("hex")}.tmp`,
  );
  try {
    const handle = await open(temporary, "wx");
    try {
      await handle.writeFile(text, "utf8");
      await handle.sync();
    } finally {
      await handle.close();
    }
    await rename(temporary, path);
  } catch (error) {
    await rm(temporary, { force: true });
    throw error;
  }
}

/** Writes the JSON Schema ({@link schemaText}) to `path`, atomically. */
export async function writeSchema(path: string): Promise<void> {
  await writeFileAtomic(path, schemaText());
}
