// Builds the CLI as JavaScript, dist/cli/main.js and its chunks, from tools/cli/main.ts and
// all it imports (commander included), so `sterna` starts without transpiling TypeScript on
// every run; the modules a cluster's worker threads load are entries of the same build. Beside it, dist/cli/inputs.json lists every input file with the size and mtime it had
// when built: bin/sterna.js runs the bundle only while every input still matches, and falls
// back to the TypeScript sources through tsx otherwise, so a stale build never runs.
// The bundle sits two folders deep, as tools/cli does, so paths the CLI derives from its
// own location (the repository root) are the same in both. esbuild comes with tsx.
// Run: npm run build (also the `prepare` step of npm install).

import { mkdirSync, rmSync, statSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { build } from "esbuild";

const root = join(import.meta.dirname, "..", "..");
const outputDirectory = join(root, "dist", "cli");

export interface BuildInput {
  path: string;
  sizeBytes: number;
  mtimeMs: number;
}

async function main(): Promise<void> {
  // Chunk names are content hashes: without this, every build would leave the last one's
  // chunks behind.
  rmSync(outputDirectory, { recursive: true, force: true });
  mkdirSync(outputDirectory, { recursive: true });
  const result = await build({
    absWorkingDir: root,
    // The modules a cluster loads at run time are named entries (vm/cluster/module-location.ts).
    entryPoints: {
      main: "tools/cli/main.ts",
      "node-worker": "vm/cluster/node-worker.ts",
      "node-entry": "kernel/boot/node-entry.ts",
      "null-node-software": "tools/bench/null-node-software.ts",
    },
    outdir: outputDirectory,
    // Each command's heavy parts stay in their own chunk, loaded when that command runs.
    splitting: true,
    chunkNames: "chunk-[hash]",
    bundle: true,
    platform: "node",
    format: "esm",
    target: "node20",
    metafile: true,
    logLevel: "warning",
    // commander is CommonJS: its require() calls of node builtins need a real require.
    banner: {
      js: 'import { createRequire as sternaCreateRequire } from "node:module"; const require = sternaCreateRequire(import.meta.url);',
    },
  });
  const inputs: BuildInput[] = Object.keys(result.metafile.inputs).map((path) => {
    const stats = statSync(join(root, path));
    return { path, sizeBytes: stats.size, mtimeMs: stats.mtimeMs };
  });
  writeFileSync(join(outputDirectory, "inputs.json"), `${JSON.stringify(inputs)}\n`);
  console.log(`dist/cli/main.js built from ${inputs.length} files`);
}

main().catch((error: unknown) => {
  // The CLI still runs from the TypeScript sources without a build: say so, do not fail.
  console.error(`build: dist/cli/main.js not built (${(error as Error).message})`);
});
