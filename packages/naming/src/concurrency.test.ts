import { describe, expect, it } from "vitest";
import { Limiter, mapOrdered } from "./concurrency.js";

const tick = () => new Promise((resolve) => setTimeout(resolve, 1));

describe("Limiter", () => {
  it("never runs more than its limit at once, across callers", async () => {
    const limiter = new Limiter(3);
    let active = 0;
    let most = 0;
    const task = async () => {
      active++;
      most = Math.max(most, active);
      await tick();
      active--;
    };
    await Promise.all(Array.from({ length: 20 }, () => limiter.run(task)));
    expect(most).toBe(3);
  });

  it("rejects waiting and new tasks once aborted", async () => {
    const stop = new AbortController();
    const limiter = new Limiter(1, stop.signal);
    const started: number[] = [];
    const runs = [1, 2, 3].map((n) =>
      limiter.run(async () => {
        started.push(n);
        await tick();
      }),
    );
    stop.abort();
    const results = await Promise.allSettled(runs);
    expect(started).toEqual([1]);
    expect(results.map((r) => r.status)).toEqual(["fulfilled", "rejected", "rejected"]);
    await expect(limiter.run(async () => 1)).rejects.toThrow();
  });
});

describe("mapOrdered", () => {
  it("yields in input order while running ahead", async () => {
    const delays = [30, 1, 10, 1, 5];
    let running = 0;
    let most = 0;
    const out: number[] = [];
    for await (const n of mapOrdered(delays.keys(), 2, async (i) => {
      running++;
      most = Math.max(most, running);
      await new Promise((resolve) => setTimeout(resolve, delays[i]));
      running--;
      return i;
    })) {
      out.push(n);
    }
    expect(out).toEqual([0, 1, 2, 3, 4]);
    expect(most).toBe(2);
  });

  it("yields a finished result before reading more of a slow source", async () => {
    // The source's second item waits on a gate the test opens only after the first result:
    // a mapOrdered that waited for the source would never return it (the test times out).
    let open = () => {};
    const gate = new Promise<void>((resolve) => {
      open = resolve;
    });
    let gateOpened = false;
    async function* gated() {
      yield 1;
      await gate;
      yield 2;
    }
    const results = mapOrdered(gated(), 4, async (n) => n * 10);
    expect((await results.next()).value).toBe(10);
    expect(gateOpened).toBe(false);
    gateOpened = true;
    open();
    await results.return(undefined);
  });

  it("passes a task's error on when its result is taken, and closes the source", async () => {
    let closed = false;
    function* source() {
      try {
        yield 1;
        yield 2;
        yield 3;
      } finally {
        closed = true;
      }
    }
    const out: number[] = [];
    await expect(
      (async () => {
        for await (const n of mapOrdered(source(), 2, async (n) => {
          if (n === 2) throw new Error("boom");
          return n;
        })) {
          out.push(n);
        }
      })(),
    ).rejects.toThrow("boom");
    expect(out).toEqual([1]);
    expect(closed).toBe(true);
  });
});
