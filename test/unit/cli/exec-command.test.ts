// `sterna exec` as a user meets it: the real bin/sterna.js in a child process, checked by
// exit status and by the exact lines it prints. Fault lines name the exception, eip, and for
// #PF cr2 and the decoded error code (Intel SDM: P=1 W=2 U=4 I=0x10); programs as in
// test/unit/kernel/fixtures (text at 0x08049000).

import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { sterna } from "../../support/run-cli.ts";
import { fixtureImage, fixturePath } from "../kernel/fixtures.ts";

describe.concurrent("sterna exec", () => {
  it("passes the guest's stdout, stderr and exit status through", async () => {
    expect(await sterna(["exec", fixturePath("hello")])).toEqual({
      status: 7,
      stdout: "hello, world\n",
      stderr: "a line on stderr\n",
    });
  });

  it("gives the guest its arguments, options included, and its stdin", async () => {
    const args = await sterna(["exec", fixturePath("args"), "one", "-x", "--stats"]);
    expect(args.stdout).toBe(`${fixturePath("args")}\none\n-x\n--stats\n`);
    expect(args.status).toBe(4);
    expect((await sterna(["exec", fixturePath("cat")], "piped in\n")).stdout).toBe("piped in\n");
  });

  it("reports a page fault in one line and exits 139", async () => {
    const result = await sterna(["exec", fixturePath("write-text")]);
    expect(result.status).toBe(139);
    expect(result.stderr).toBe(
      "sterna: process 1 killed by #PF (page fault) at eip=0x08049000, cr2=0x08049000, error code 0x7 (write, user, protection violation)\n",
    );
  });

  it("reports #GP with its error code, status 139", async () => {
    const hlt = await sterna(["exec", fixturePath("hlt")]);
    expect([hlt.status, hlt.stderr]).toEqual([
      139,
      "sterna: process 1 killed by #GP (general protection) at eip=0x08049000, error code 0x0\n",
    ]);
  });

  it("lists the last eips before a fault with --last, and counters with --stats", async () => {
    const result = await sterna(["exec", "--last", "2", "--stats", fixturePath("div-zero")]);
    expect(result.status).toBe(136);
    const lines = result.stderr.split("\n");
    expect(lines.slice(0, 4)).toEqual([
      "sterna: process 1 killed by #DE (divide error) at eip=0x08049009",
      "sterna: last 2 eips before the fault, oldest first:",
      "sterna:   0x08049007",
      "sterna:   0x08049009",
    ]);
    const statLines = [
      /^sterna: instructions 3$/,
      /^sterna: cycles \d+$/,
      /^sterna: virtual time \d+\.\d{3} ms$/,
      /^sterna: wall time \d+\.\d ms$/,
      /^sterna: guest MIPS \d+\.\d\d$/,
    ];
    for (const [index, pattern] of statLines.entries()) expect(lines[4 + index]).toMatch(pattern);
  });

  it("stops a program at --max-instructions with status 137", async () => {
    const result = await sterna(["exec", "--max-instructions", "1000", fixturePath("sieve")]);
    expect(result.status).toBe(137);
    expect(result.stderr).toBe("sterna: process 1 killed: instruction limit of 1000 reached\n");
  });

  it("refuses a bad or missing file in one line with status 2", async () => {
    const directory = mkdtempSync(join(tmpdir(), "sterna-cli-"));
    const x86_64 = join(directory, "x86-64.elf");
    const image = fixtureImage("hello");
    new DataView(image.buffer).setUint16(18, 62, true);
    writeFileSync(x86_64, image);
    expect(await sterna(["exec", x86_64])).toEqual({
      status: 2,
      stdout: "",
      stderr: `sterna: ${x86_64}: e_machine is 62 (x86-64), expected 3 (i386)\n`,
    });
    const missing = join(directory, "missing");
    expect(await sterna(["exec", missing])).toEqual({
      status: 2,
      stdout: "",
      stderr: `sterna: ${missing}: no such file or directory\n`,
    });
  });

  it("has help for the program and for exec", async () => {
    const help = await sterna(["--help"]);
    expect(help.status).toBe(0);
    expect(help.stdout).toMatch(/^ {2}exec \[options\] <prog> \[args\.\.\.\]/m);
    expect((await sterna(["exec", "--help"])).stdout).toMatch(/--max-instructions <n>/);
  });
});
