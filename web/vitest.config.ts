// Vitest: the unit tests of the app's pure logic (src/**/*.test.ts), in
// Node, without a browser. The browser tests under tests/ are Playwright's.
import { defineConfig } from "vitest/config";

export default defineConfig({
  test: { include: ["src/**/*.test.ts"], environment: "node" },
});
