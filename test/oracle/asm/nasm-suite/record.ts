// Records NASM's own test suite as fixtures, from a git copy of the upstream repository:
//   npx tsx test/oracle/asm/nasm-suite/record.ts [--git /work/.mirror/netwide-assembler+nasm/repo]
// Runs the installed nasm (-f bin) over every upstream test/*.asm, keeps the files it
// assembles within a minute (moresecs/mostsecs, with thousands of sections, take longer),
// sorts them into in scope and out of scope (scope.ts), copies each in-scope
// source with the files it includes into fixtures/, beside nasm's output (NAME.bin), and
// writes fixtures/manifest.json: the nasm version, the upstream commit, the in-scope files
// and the reason for each other file. The upstream licence (BSD-2) goes to fixtures/LICENSE.
// A file whose test header asks for -O0 or -O1 (`;Testname=O0; Arguments=-O0 ...`) is also
// recorded at that level, as NAME.O0.bin / NAME.O1.bin.

import { execFileSync, spawnSync } from "node:child_process";
import {
  copyFileSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { nasmVersion } from "../nasm-oracle.ts";
import { outOfScopeReason, outOfScopeReasons } from "./scope.ts";

const fixtures = join(import.meta.dirname, "fixtures");
const at = process.argv.indexOf("--git");
const gitDir = at < 0 ? "/work/.mirror/netwide-assembler+nasm/repo" : process.argv[at + 1]!;
const nasmTimeoutMs = 60_000;

function git(...args: string[]): Buffer {
  return execFileSync("git", ["--git-dir", gitDir, ...args], { maxBuffer: 1 << 28 });
}

function runNasm(directory: string, args: string[]) {
  return spawnSync("nasm", args, { cwd: directory, timeout: nasmTimeoutMs, maxBuffer: 1 << 28 });
}

/** The file names `source` includes (%include, incbin), followed into those files. */
function includedFiles(directory: string, name: string, seen: Set<string>): void {
  if (seen.has(name) || !existsSync(join(directory, name))) return;
  seen.add(name);
  const text = readFileSync(join(directory, name), "latin1");
  for (const match of text.matchAll(/^\s*(?:%include|incbin)\s+["'](.+?)["']/gim)) {
    includedFiles(directory, match[1]!, seen);
  }
}

const work = mkdtempSync(join(tmpdir(), "sterna-nasm-suite-"));
try {
  const commit = git("rev-parse", "HEAD").toString().trim();
  writeFileSync(join(work, "test.tar"), git("archive", "HEAD", "test", "LICENSE"));
  execFileSync("tar", ["-xf", "test.tar"], { cwd: work });
  const tests = join(work, "test");
  rmSync(fixtures, { recursive: true, force: true });
  mkdirSync(fixtures, { recursive: true });
  copyFileSync(join(work, "LICENSE"), join(fixtures, "LICENSE"));

  const inScope: string[] = [];
  const optimizationVariants: Record<string, string[]> = {};
  const outOfScope: Record<string, string> = {};
  const copied = new Set<string>();
  const names = readdirSync(tests)
    .filter((name) => name.endsWith(".asm"))
    .sort();
  for (const name of names) {
    const output = join(work, "out.bin");
    rmSync(output, { force: true });
    if (runNasm(tests, ["-f", "bin", "-o", output, name]).status !== 0) continue;
    const preprocessed = runNasm(tests, ["-f", "bin", "-E", name]).stdout.toString("latin1");
    const reason = outOfScopeReason(name, preprocessed);
    if (reason) {
      outOfScope[name] = outOfScopeReasons[reason];
      continue;
    }
    inScope.push(name);
    copyFileSync(output, join(fixtures, name.replace(/\.asm$/, ".bin")));
    const header = readFileSync(join(tests, name), "latin1").split("\n").slice(0, 10).join("\n");
    const levels = [
      ...new Set([...header.matchAll(/^;Testname=.*Arguments=.*-O([01])\b/gm)].map((m) => m[1]!)),
    ];
    for (const level of levels) {
      if (runNasm(tests, [`-O${level}`, "-f", "bin", "-o", output, name]).status !== 0) continue;
      copyFileSync(output, join(fixtures, name.replace(/\.asm$/, `.O${level}.bin`)));
      optimizationVariants[name] = [...(optimizationVariants[name] ?? []), level];
    }
    includedFiles(tests, name, copied);
  }
  for (const name of copied) copyFileSync(join(tests, name), join(fixtures, name));
  const manifest = {
    nasm: nasmVersion(),
    upstream: { repository: "https://github.com/netwide-assembler/nasm", commit },
    assembledByNasm: inScope.length + Object.keys(outOfScope).length,
    inScope,
    optimizationVariants,
    outOfScope,
  };
  writeFileSync(join(fixtures, "manifest.json"), `${JSON.stringify(manifest, null, 2)}\n`);
  console.log(
    `${manifest.assembledByNasm} of ${names.length} files assembled by nasm: ${inScope.length} in scope, ${Object.keys(outOfScope).length} out of scope`,
  );
} finally {
  rmSync(work, { recursive: true, force: true });
}
