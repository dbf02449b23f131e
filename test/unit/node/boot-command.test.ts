// `sterna boot` as a user meets it: the real bin/sterna.js in a child process. stdout carries
// only guest output; the summary on stderr ends with the migrations and trace-hash lines;
// exit statuses as its --help states (0, 1, 124 for --until, 2 for usage errors).

import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { sterna } from "../../support/run-cli.ts";

const fixtures = new URL("./fixtures/", import.meta.url).pathname;

describe.concurrent("sterna boot", () => {
  it("boots the demo with no --run: ping-pong and producer-consumer, exit 0", async () => {
    const directory = mkdtempSync(join(tmpdir(), "sterna-boot-"));
    const tracePath = join(directory, "trace.jsonl");
    const outcome = await sterna(["boot", "--trace", tracePath]);
    expect(outcome.status).toBe(0);
    expect(outcome.stdout).toContain("ping-pong done\n");
    expect(outcome.stdout).toContain("producer got 45\n");
    const lines = outcome.stderr.trimEnd().split("\n");
    expect(lines.at(-2)).toBe("migrations: 0 committed, 0 cancelled, 0 failed");
    expect(lines.at(-1)).toMatch(/^trace-hash: [0-9a-f]{64}$/);
    const trace = readFileSync(tracePath, "utf8").trimEnd().split("\n");
    expect(JSON.parse(trace[0]!)).toMatchObject({ t: 0, node: 0, event: "boot" });
    expect(trace.some((line) => JSON.parse(line).event === "exit")).toBe(true);
  });

  it("ends a run that would not end at --until with exit 124 and a clear message", async () => {
    const directory = mkdtempSync(join(tmpdir(), "sterna-boot-"));
    const spinPath = join(directory, "spin.asm");
    writeFileSync(spinPath, "section .text\nglobal _start\n_start:\n    jmp _start\n");
    const outcome = await sterna(["boot", "--run", spinPath, "--until", "30ms"]);
    expect(outcome.status).toBe(124);
    expect(outcome.stdout).toBe("");
    expect(outcome.stderr).toContain("time limit of 30.000 ms reached");
    expect(outcome.stderr).toContain("100.0% busy over 3 samples");
  });

  it("refuses --nodes other than 1, and reports assembly errors as FILE:LINE:COL, exit 2", async () => {
    const nodes = await sterna([
      "boot",
      "--nodes",
      "3",
      "--run",
      join(fixtures, "checked-kill.elf"),
    ]);
    expect(nodes.status).toBe(2);
    expect(nodes.stderr).toContain("not yet: the cluster arrives in a later issue");
    const directory = mkdtempSync(join(tmpdir(), "sterna-boot-"));
    const badPath = join(directory, "bad.asm");
    writeFileSync(badPath, "section .text\n_start:\n    mov eax,\n");
    const bad = await sterna(["boot", "--run", badPath]);
    expect(bad.status).toBe(2);
    expect(bad.stderr).toMatch(new RegExp(`${badPath}:3:\\d+: error`));
    expect(bad.stdout).toBe("");
  });

  it("exits 1 when a --run process fails, with the fault reported on stderr", async () => {
    const outcome = await sterna(["boot", "--run", join(fixtures, "checked-divide.elf")]);
    expect(outcome.status).toBe(0);
    expect(outcome.stdout).toBe("parent goes on\nchild 136\n");
    expect(outcome.stderr).toContain("killed by #DE (divide error)");
    const directory = mkdtempSync(join(tmpdir(), "sterna-boot-"));
    const failPath = join(directory, "fail.asm");
    writeFileSync(
      failPath,
      "section .text\nglobal _start\n_start:\n    mov ebx, 3\n    mov eax, 1\n    int 0x80\n",
    );
    const failing = await sterna(["boot", "--run", failPath]);
    expect(failing.status).toBe(1);
  });
});
