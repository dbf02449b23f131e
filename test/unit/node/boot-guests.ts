// Test helpers: assemble guest sources with sterna's assembler (userland/include on the
// include path) and boot them on one node through the kernel's boot library, collecting
// guest stdout/stderr and kernel reports.

import { readFileSync } from "node:fs";
import { join } from "node:path";
import {
  type BootFile,
  type BootOptions,
  type BootResult,
  bootNode,
} from "../../../kernel/boot/boot-node.ts";
import { assemble, formatDiagnostic } from "../../../tools/asm/assemble.ts";

const repositoryRoot = join(import.meta.dirname, "..", "..", "..");
export const includeDirectory = join(repositoryRoot, "userland", "include");
export const programsDirectory = join(repositoryRoot, "userland", "programs");
export const fixturesDirectory = join(import.meta.dirname, "fixtures");

export function assembleGuest(source: string, fileName = "guest.asm"): Uint8Array {
  const result = assemble(source, {
    fileName,
    format: "elf",
    includePaths: [includeDirectory],
    readFile: (path) => {
      try {
        return readFileSync(path, "utf8");
      } catch {
        return undefined;
      }
    },
  });
  if (!result.ok || !result.output) {
    throw new Error(result.diagnostics.map(formatDiagnostic).join("\n"));
  }
  return result.output;
}

export function readProgram(path: string): Uint8Array {
  return path.endsWith(".asm")
    ? assembleGuest(readFileSync(path, "utf8"), path)
    : new Uint8Array(readFileSync(path));
}

export interface BootRun {
  result: BootResult;
  stdout: string;
  stdoutBytes: Uint8Array;
  stderr: string;
  reports: string[];
  trace: string[];
}

/** Boots `files` and starts `runs` (default: the first file). */
export function boot(files: BootFile[], options: Partial<BootOptions> = {}): BootRun {
  const out: number[] = [];
  const err: number[] = [];
  const reports: string[] = [];
  const trace: string[] = [];
  const result = bootNode({
    files,
    runs: options.runs ?? [files[0]!.path],
    ...options,
    onOutput: (channel, bytes) => (channel === 0 ? out : err).push(...bytes),
    onReport: (line) => reports.push(line),
    onTraceLine: (line) => trace.push(line),
  });
  const stdoutBytes = Uint8Array.from(out);
  return {
    result,
    stdout: new TextDecoder().decode(stdoutBytes),
    stdoutBytes,
    stderr: new TextDecoder().decode(Uint8Array.from(err)),
    reports,
    trace,
  };
}

/** Boots one guest written as source. */
export function bootSource(source: string, options: Partial<BootOptions> = {}): BootRun {
  return boot([{ path: "guest.elf", image: assembleGuest(source) }], options);
}

/** The little-endian signed dwords of a byte string (guests report results this way). */
export function dwords(bytes: Uint8Array): number[] {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const values: number[] = [];
  for (let offset = 0; offset + 4 <= bytes.length; offset += 4) {
    values.push(view.getInt32(offset, true));
  }
  return values;
}
