#!/usr/bin/env node
// Entry for `sterna` (npx, npm link, an installed copy): runs the CLI bundle dist/cli/sterna.cjs
// (tools/build/cli-bundle.ts, the `prepare` step of npm install) while every file the build
// read or wrote is unchanged (same size and mtime as dist/cli/build-stamp.json records);
// otherwise the TypeScript CLI through tsx's loader, so a stale build never runs.
// CommonJS (bin/package.json) because that is what starts fastest: no ES module loader, and
// the bundle compiled from its V8 code cache (dist/cli/sterna.code-cache), which Node 20 can
// only use for a script. Such a script has no import(): the bundle loads its cluster modules
// without it (vm/cluster/module-location.ts). It is registered in require.cache as Node would.
// STERNA_WRITE_CODE_CACHE=1 writes the code cache at exit: the build's warm-up run.
"use strict";

const { readFileSync, realpathSync, renameSync, statSync, writeFileSync } = require("node:fs");
const { Module } = require("node:module");
const { dirname, join } = require("node:path");
const { Script } = require("node:vm");

const root = join(__dirname, "..");
const bundleDirectory = join(root, "dist", "cli");

function bundleIsCurrent() {
  let stamp;
  try {
    stamp = JSON.parse(readFileSync(join(bundleDirectory, "build-stamp.json"), "utf8"));
  } catch {
    return false;
  }
  // Plain concatenation: the stamp's paths are relative and normalised, and join() for each
  // of some 230 files costs as much as their stat.
  const rootPrefix = `${root}/`;
  for (const file of stamp.files) {
    const stats = statSync(rootPrefix + file.path, { throwIfNoEntry: false });
    if (stats?.size !== file.sizeBytes || stats.mtimeMs !== file.mtimeMs) return false;
  }
  return stamp.files.length > 0;
}

/** Evaluates the bundle as Node would require it, compiled from the code cache if V8 takes it. */
function loadBundle() {
  const bundlePath = realpathSync(join(bundleDirectory, "sterna.cjs"));
  const codeCachePath = join(bundleDirectory, "sterna.code-cache");
  const source = readFileSync(bundlePath, "utf8");
  let cachedData;
  try {
    cachedData = readFileSync(codeCachePath);
  } catch {
    // No cache (the warm-up run writing it, or a build without it): compile as usual.
  }
  const script = new Script(
    `(function (exports, require, module, __filename, __dirname) {${source}\n})`,
    {
      filename: bundlePath,
      cachedData,
    },
  );
  const bundle = new Module(bundlePath);
  bundle.filename = bundlePath;
  require.cache[bundlePath] = bundle;
  script
    .runInThisContext()
    .call(
      bundle.exports,
      bundle.exports,
      Module.createRequire(bundlePath),
      bundle,
      bundlePath,
      dirname(bundlePath),
    );
  bundle.loaded = true;
  if (process.env.STERNA_WRITE_CODE_CACHE === "1") {
    process.on("exit", () => {
      const partialPath = `${codeCachePath}.${process.pid}`;
      writeFileSync(partialPath, script.createCachedData());
      renameSync(partialPath, codeCachePath);
    });
  }
  return bundle.exports;
}

async function runSources() {
  const { register } = await import("tsx/esm/api");
  register();
  await import("../tools/cli/main.ts");
}

let bundle;
if (bundleIsCurrent()) {
  try {
    bundle = loadBundle();
  } catch {
    // Removed or half rewritten by a build meanwhile: the sources are always there.
  }
}
if (bundle) bundle.runtimeModules.main();
else runSources();
