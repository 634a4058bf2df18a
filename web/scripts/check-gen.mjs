#!/usr/bin/env node
// Fails when the committed generated files (src/api/schema.d.ts, kinds.json)
// differ from what ../openapi/openapi.json gives now.
import { execFileSync } from "node:child_process";
import { readFile, rm } from "node:fs/promises";
import path from "node:path";
import { fileURLToPath } from "node:url";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const tmp = path.join(root, ".gen-check");
await rm(tmp, { recursive: true, force: true });
execFileSync(process.execPath, [path.join(root, "scripts/gen.mjs"), tmp], { stdio: "ignore" });

let drift = [];
for (const f of ["schema.d.ts", "kinds.json"]) {
  const want = await readFile(path.join(tmp, f), "utf8");
  let have = "";
  try {
    have = await readFile(path.join(root, "src/api", f), "utf8");
  } catch {
    // missing counts as drift
  }
  if (want !== have) drift.push(`web/src/api/${f}`);
}
await rm(tmp, { recursive: true, force: true });
if (drift.length) {
  console.error(
    `check-gen: ${drift.join(" and ")} drifted from openapi/openapi.json.\n` + "Run `npm run gen` in web/ and commit the result.",
  );
  process.exit(1);
}
console.log("check-gen: generated files match openapi/openapi.json");
