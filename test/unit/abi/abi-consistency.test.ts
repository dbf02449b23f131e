// ABI v1 is written down three times, for three readers: the kernel's tables (TypeScript), the
// guests' include file (userland/include/sterna.inc) and the people's page (docs/abi.md). This
// test holds them to one another, so a number changed in one place and not the others fails here.

import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { Errno } from "../../../kernel/errno.ts";
import { SyscallNumber } from "../../../kernel/syscalls/syscall-numbers.ts";

const include = readFileSync(
  new URL("../../../userland/include/sterna.inc", import.meta.url),
  "utf8",
);
const abiPage = readFileSync(new URL("../../../docs/abi.md", import.meta.url), "utf8");

/** `NAME equ VALUE` lines of the include file whose name matches `pattern`. */
function includeConstants(pattern: RegExp): Map<string, number> {
  const constants = new Map<string, number>();
  for (const match of include.matchAll(/^([A-Z][A-Z0-9_]*)\s+equ\s+(-?\d+)/gm)) {
    if (pattern.test(match[1]!)) constants.set(match[1]!, Number(match[2]));
  }
  return constants;
}

/** Rows `| number | name | ...` (calls) or `| NAME | number | ...` (errno) of docs/abi.md. */
function pageRows(numberFirst: boolean): Map<string, number> {
  const rows = new Map<string, number>();
  const row = numberFirst
    ? /^\|\s*(\d+)\s*\|\s*([a-z_]+)\s*\|/gm
    : /^\|\s*(E[A-Z0-9]+)\s*\|\s*(\d+)\s*\|/gm;
  for (const match of abiPage.matchAll(row)) {
    if (numberFirst) rows.set(match[2]!, Number(match[1]));
    else rows.set(match[1]!, Number(match[2]));
  }
  return rows;
}

const snakeCase = (name: string) => name.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`);

describe("ABI v1 is the same in the kernel, sterna.inc and docs/abi.md", () => {
  it("system call numbers", () => {
    const kernel = new Map(Object.entries(SyscallNumber).map(([k, v]) => [snakeCase(k), v]));
    const fromInclude = new Map(
      [...includeConstants(/^SYS_/)].map(([k, v]) => [k.slice(4).toLowerCase(), v]),
    );
    expect(fromInclude).toEqual(kernel);
    expect(pageRows(true)).toEqual(kernel);
  });

  it("error numbers", () => {
    const kernel = new Map(Object.entries(Errno));
    expect(includeConstants(/^E[A-Z0-9]+$/)).toEqual(kernel);
    expect(pageRows(false)).toEqual(kernel);
  });
});
