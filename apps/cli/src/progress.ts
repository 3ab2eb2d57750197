// A one-line progress display on a terminal; silent when stderr is not a TTY.
import type { CliIO } from "./io.js";

export interface Progress {
  update(text: string): void;
  done(): void;
}

export function progressLine(io: CliIO, intervalMs = 100): Progress {
  if (!io.stderr.isTTY) return { update() {}, done() {} };
  let last = 0;
  let shown = false;
  return {
    update(text) {
      const now = Date.now();
      if (now - last < intervalMs) return;
      last = now;
      shown = true;
      io.stderr.write(`\r\x1b[K${text}`);
    },
    done() {
      if (shown) io.stderr.write("\r\x1b[K");
    },
  };
}
