// How `sterna` starts: bin/sterna.js runs the built bundle, compiled from its V8 code cache
// and without tsx, while every file of the build is as the build stamp records; after any
// change it runs the TypeScript sources instead, so a stale build never runs. Checked on a
// real build (tools/build/cli-bundle.ts) into a copy of the checkout whose source folders
// link to this one, so this checkout's own dist/ is never touched. A probe loaded before
// bin/sterna.js records each script compiled (and whether V8 took its cache) and each module
// loader registered (tsx registers one). Start-up time itself is measured by the bench, not
// asserted here: on a shared host a time limit would only be flaky.

import { spawnSync } from "node:child_process";
import {
  appendFileSync,
  cpSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { BuildStamp } from "../../../tools/build/cli-bundle.ts";
import { fixturePath } from "../kernel/fixtures.ts";

const checkoutRoot = join(import.meta.dirname, "..", "..", "..");
/** A build and a run from the TypeScript sources each take seconds on a loaded host. */
const slowTestMs = 180_000;

interface ProbeReport {
  scripts: { filename: string; hadCache: boolean; cacheRejected: boolean }[];
  loadersRegistered: number;
}

const probeSource = `
const vm = require("node:vm");
const nodeModule = require("node:module");
const report = { scripts: [], loadersRegistered: 0 };
const OriginalScript = vm.Script;
vm.Script = class extends OriginalScript {
  constructor(source, options) {
    super(source, options);
    report.scripts.push({
      filename: String(options?.filename),
      hadCache: options?.cachedData !== undefined,
      cacheRejected: this.cachedDataRejected === true,
    });
  }
};
const originalRegister = nodeModule.register;
nodeModule.register = (...args) => {
  report.loadersRegistered++;
  return originalRegister(...args);
};
nodeModule.syncBuiltinESMExports();
process.on("exit", () => require("node:fs").writeFileSync(process.env.PROBE_REPORT, JSON.stringify(report)));
`;

let root: string;

/** `sterna exec` of the hello fixture from the copy, with the probe's report. */
function runHello(): { status: number | null; stdout: string; report: ProbeReport } {
  const reportPath = join(root, "probe-report.json");
  rmSync(reportPath, { force: true });
  const run = spawnSync(
    process.execPath,
    [
      "--require",
      join(root, "probe.cjs"),
      join(root, "bin", "sterna.js"),
      "exec",
      fixturePath("hello"),
    ],
    { encoding: "utf8", env: { ...process.env, PROBE_REPORT: reportPath }, timeout: slowTestMs },
  );
  const report = JSON.parse(readFileSync(reportPath, "utf8")) as ProbeReport;
  return { status: run.status, stdout: run.stdout, report };
}

function ranBundleFromCache(report: ProbeReport): boolean {
  return (
    report.loadersRegistered === 0 &&
    report.scripts.length === 1 &&
    report.scripts[0]!.filename.endsWith(join("dist", "cli", "sterna.cjs")) &&
    report.scripts[0]!.hadCache &&
    !report.scripts[0]!.cacheRejected
  );
}

function ranSources(report: ProbeReport): boolean {
  return report.loadersRegistered > 0 && report.scripts.length === 0;
}

function build(): void {
  const result = spawnSync(
    process.execPath,
    [
      "--import",
      "tsx",
      join(checkoutRoot, "tools", "build", "cli-bundle.ts"),
      "--output-root",
      root,
    ],
    { encoding: "utf8", timeout: slowTestMs },
  );
  expect(result.stderr).toBe("");
  expect(result.status).toBe(0);
}

const stampPath = () => join(root, "dist", "cli", "build-stamp.json");

// One build, then runs that each leave it as they found it or break it further, in order.
describe.sequential("sterna start-up", () => {
  beforeAll(() => {
    root = mkdtempSync(join(tmpdir(), "sterna-start-up-"));
    for (const entry of readdirSync(checkoutRoot)) {
      if (entry !== "bin" && entry !== "dist" && entry !== ".git") {
        symlinkSync(join(checkoutRoot, entry), join(root, entry));
      }
    }
    mkdirSync(join(root, "bin"));
    cpSync(join(checkoutRoot, "bin"), join(root, "bin"), { recursive: true });
    writeFileSync(join(root, "probe.cjs"), probeSource);
  });

  afterAll(() => rmSync(root, { recursive: true, force: true }));

  it(
    "runs a fresh build from its code cache, without tsx",
    () => {
      build();
      const stamp = JSON.parse(readFileSync(stampPath(), "utf8")) as BuildStamp;
      const stampedPaths = stamp.files.map((file) => file.path);
      expect(stampedPaths).toContain("tools/cli/main.ts");
      expect(stampedPaths).toContain("dist/cli/sterna.cjs");
      expect(stampedPaths).toContain("dist/cli/sterna.code-cache");
      const run = runHello();
      expect([run.status, run.stdout]).toEqual([7, "hello, world\n"]);
      expect(run.report).toSatisfy(ranBundleFromCache);
    },
    slowTestMs,
  );

  it(
    "runs the sources when a source differs from the stamp",
    () => {
      const stampText = readFileSync(stampPath(), "utf8");
      const stamp = JSON.parse(stampText) as BuildStamp;
      const main = stamp.files.find((file) => file.path === "tools/cli/main.ts")!;
      // As if main.ts had been saved since the build (its own mtime is the checkout's).
      main.mtimeMs += 1;
      writeFileSync(stampPath(), JSON.stringify(stamp));
      const run = runHello();
      expect([run.status, run.stdout]).toEqual([7, "hello, world\n"]);
      expect(run.report).toSatisfy(ranSources);
      writeFileSync(stampPath(), stampText);
      expect(runHello().report).toSatisfy(ranBundleFromCache);
    },
    slowTestMs,
  );

  it(
    "runs the sources when the bundle was changed after the build, or the stamp is gone",
    () => {
      appendFileSync(join(root, "dist", "cli", "sterna.cjs"), "\n");
      const edited = runHello();
      expect([edited.status, edited.stdout]).toEqual([7, "hello, world\n"]);
      expect(edited.report).toSatisfy(ranSources);
      rmSync(stampPath());
      expect(runHello().report).toSatisfy(ranSources);
    },
    slowTestMs,
  );
});
