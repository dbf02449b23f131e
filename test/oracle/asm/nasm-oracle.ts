// Runs the real NASM (2.16, -f bin) over instruction lines and reports, per line, the bytes
// it emitted or the error it gave. Lines NASM refuses are dropped and the rest reassembled
// until the file is clean (a line's verdict does not depend on its neighbours: jump targets
// are `$`-relative). Development and CI tool only: `npm test` reads the recorded fixtures.

import { execFileSync, spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

export type NasmLineResult =
  | { ok: true; address: number; bytes: Uint8Array }
  | { ok: false; error: string };

export const corpusOrigin = 0x1000;

export function nasmVersion(): string {
  return execFileSync("nasm", ["-v"], { encoding: "utf8" }).trim();
}

interface RunOutput {
  readonly errorsByLine: Map<number, string>;
  readonly listing: string;
  readonly binary: Uint8Array;
}

function runNasm(directory: string, lines: readonly string[], bits: 16 | 32): RunOutput {
  const header = [`bits ${bits}`, `org ${corpusOrigin}`];
  const source = join(directory, "corpus.asm");
  const listingPath = join(directory, "corpus.lst");
  const outputPath = join(directory, "corpus.bin");
  writeFileSync(source, `${[...header, ...lines].join("\n")}\n`);
  rmSync(outputPath, { force: true });
  const run = spawnSync(
    "nasm",
    ["-f", "bin", "-w-all", "-l", listingPath, "-o", outputPath, source],
    {
      encoding: "utf8",
    },
  );
  const errorsByLine = new Map<number, string>();
  for (const match of run.stderr.matchAll(/^.*?:(\d+): error: (.*)$/gm)) {
    const line = Number(match[1]) - header.length - 1;
    if (!errorsByLine.has(line)) errorsByLine.set(line, match[2]!);
  }
  if (run.status !== 0 && errorsByLine.size === 0) throw new Error(`nasm failed: ${run.stderr}`);
  if (errorsByLine.size > 0) return { errorsByLine, listing: "", binary: new Uint8Array() };
  return {
    errorsByLine,
    listing: readFileSync(listingPath, "utf8"),
    binary: readFileSync(outputPath),
  };
}

/** Start address of each source line (0-based, after the header) from a NASM listing. */
function lineAddresses(listing: string, headerLines: number): Map<number, number> {
  const addresses = new Map<number, number>();
  for (const match of listing.matchAll(/^\s*(\d+) ([0-9A-F]{8}) [0-9A-F([]/gm)) {
    const line = Number(match[1]) - headerLines - 1;
    if (!addresses.has(line)) addresses.set(line, Number.parseInt(match[2]!, 16) + corpusOrigin);
  }
  return addresses;
}

export function assembleWithNasm(lines: readonly string[], bits: 16 | 32 = 32): NasmLineResult[] {
  const directory = mkdtempSync(join(tmpdir(), "sterna-nasm-"));
  try {
    const results: (NasmLineResult | undefined)[] = new Array(lines.length);
    let remaining = lines.map((_, i) => i);
    for (;;) {
      const output = runNasm(
        directory,
        remaining.map((i) => lines[i]!),
        bits,
      );
      if (output.errorsByLine.size === 0) {
        const addresses = lineAddresses(output.listing, 2);
        const starts = remaining.map((_, k) => addresses.get(k));
        for (const [k, original] of remaining.entries()) {
          const start = starts[k];
          if (start === undefined)
            throw new Error(`no listing address for line '${lines[original]}'`);
          const end =
            k + 1 < remaining.length ? starts[k + 1]! : corpusOrigin + output.binary.length;
          results[original] = {
            ok: true,
            address: start,
            bytes: output.binary.slice(start - corpusOrigin, end - corpusOrigin),
          };
        }
        break;
      }
      for (const [k, error] of output.errorsByLine) results[remaining[k]!] = { ok: false, error };
      remaining = remaining.filter((i) => results[i] === undefined);
    }
    return results.map((r) => r!);
  } finally {
    rmSync(directory, { recursive: true, force: true });
  }
}

/** Assembles a whole source with `nasm -f bin`: its output, or its error messages. */
export function assembleSourceWithNasm(
  source: string,
): { ok: true; bytes: Uint8Array } | { ok: false; errors: string } {
  const directory = mkdtempSync(join(tmpdir(), "sterna-nasm-"));
  try {
    const sourcePath = join(directory, "source.asm");
    const outputPath = join(directory, "source.bin");
    writeFileSync(sourcePath, source);
    const run = spawnSync("nasm", ["-f", "bin", "-w-all", "-o", outputPath, sourcePath], {
      encoding: "utf8",
    });
    if (run.status !== 0) return { ok: false, errors: run.stderr.trim() };
    return { ok: true, bytes: readFileSync(outputPath) };
  } finally {
    rmSync(directory, { recursive: true, force: true });
  }
}

/** Assembles the file `name` of `directory` in place (`nasm -f bin`, run from `directory`). */
export function assembleFileWithNasm(
  directory: string,
  name: string,
): { ok: true; bytes: Uint8Array } | { ok: false; errors: string } {
  const outputDirectory = mkdtempSync(join(tmpdir(), "sterna-nasm-"));
  try {
    const outputPath = join(outputDirectory, "out.bin");
    const run = spawnSync("nasm", ["-f", "bin", "-w-all", "-o", outputPath, name], {
      encoding: "utf8",
      cwd: directory,
    });
    if (run.status !== 0) return { ok: false, errors: run.stderr.trim() };
    return { ok: true, bytes: readFileSync(outputPath) };
  } finally {
    rmSync(outputDirectory, { recursive: true, force: true });
  }
}
