// Writes dist/command.schema.json from the built package (run by tsup after each build).
import { writeFileSync } from "node:fs";

const { commandJsonSchema, SCHEMA_FILE } = await import(
  new URL("../dist/index.js", import.meta.url).href
);
writeFileSync(
  new URL(`../dist/${SCHEMA_FILE}`, import.meta.url),
  `${JSON.stringify(commandJsonSchema(), null, 2)}\n`,
);
