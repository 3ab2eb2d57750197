// A separate process that appends records to one session file (for the concurrency and kill
// tests): node record-writer.mjs <session-file> <count|forever> <tag>
import { appendRecord, renderRecord } from "../dist/index.js";

const [file, countText, tag] = process.argv.slice(2);
const forever = countText === "forever";
const count = forever ? Number.POSITIVE_INFINITY : Number(countText);

function fields(i) {
  return {
    module: "writer",
    version: "1",
    container: { url: null, hash: null, builder: null, timestamp: null, source: "none" },
    user: "tester@localhost",
    startTime: "2024-05-01T13:04:05",
    duration: "0-00:00:00",
    projectRoot: "/study",
    inputs: {},
    // Large enough that one append is several pages: a torn write would show.
    outputs: {
      out: Array.from({ length: 60 }, (_, k) => ({
        path: `S/1/proc/${tag}-${i}-${k}.txt`,
        sha256: "0".repeat(64),
      })),
    },
    parameters: [
      ["tag", tag],
      ["index", String(i)],
    ],
    command: `${tag} ${i}`,
  };
}

for (let i = 0; i < count; i++) {
  await appendRecord(file, renderRecord(fields(i)), { durable: false });
  if (forever) process.stdout.write(`${i}\n`);
}
