#!/usr/bin/env node
// Entry for `npx sterna`: runs the CLI bundle dist/cli/main.js (built by `npm run build`, the
// `prepare` step of npm install) while every file it was built from is unchanged (same size
// and mtime as dist/cli/inputs.json records); otherwise the TypeScript CLI through tsx's
// loader, so a stale build never runs. A cluster's worker threads start from the same
// build's entries when the CLI does (vm/cluster/module-location.ts).
import { readFileSync, statSync } from "node:fs";

const root = new URL("../", import.meta.url);
const bundle = new URL("dist/cli/main.js", root);

function bundleIsCurrent() {
  try {
    const inputs = JSON.parse(readFileSync(new URL("dist/cli/inputs.json", root), "utf8"));
    for (const input of inputs) {
      const stats = statSync(new URL(input.path, root));
      if (stats.size !== input.sizeBytes || stats.mtimeMs !== input.mtimeMs) return false;
    }
    return inputs.length > 0;
  } catch {
    return false;
  }
}

if (bundleIsCurrent()) {
  await import(bundle.href);
} else {
  const { register } = await import("tsx/esm/api");
  register();
  await import("../tools/cli/main.ts");
}
