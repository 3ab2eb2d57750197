import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["src/**/*.test.ts", "test/**/*.test.ts"],
    testTimeout: 30_000,
    // Fixture archives are generated in hooks; a busy CI machine needs more than 10 s.
    hookTimeout: 120_000,
  },
});
