// `sterna boot --starter` as a user meets it (the real CLI in a child process, started in a
// folder of its own, so the bundled Starters are found from anywhere): `--starter age` names
// the bundled age-based Starter, which moves a spinner off the overloaded node; `--migrate`
// without --starter runs no Starter (the first program is pid 0.1), with --starter the named
// one; a --starter that is no file is one line and exit 2.

import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { sterna } from "../../support/run-cli.ts";

const spinnerSource = `ROUNDS equ ${1 << 20}\n${readFileSync(join(import.meta.dirname, "fixtures", "spinner.asm"), "utf8")}`;

describe("sterna boot --starter", () => {
  it("finds the bundled Starters from any folder; --migrate means none unless one is named", async () => {
    const directory = mkdtempSync(join(tmpdir(), "sterna-starter-"));
    writeFileSync(join(directory, "spinner.asm"), spinnerSource);
    const spinners = ["--run", "spinner.asm", "--run", "spinner.asm", "--run", "spinner.asm"];
    const boot = (args: string[]) => sterna(["boot", "--nodes", "2", ...args], "", directory);
    const [age, scripted, scriptedWithStarter, missing] = await Promise.all([
      boot(["--starter", "age", ...spinners]),
      boot(["--migrate", "50ms:0.1:1", ...spinners]),
      boot(["--migrate", "50ms:0.2:1", "--starter", "threshold", ...spinners]),
      boot(["--starter", "nosuch.asm", ...spinners]),
    ]);
    expect(age.status).toBe(0);
    expect(age.stderr).toMatch(/^ {2}0\.1 +0 alive .* age\.asm$/m);
    expect(age.stderr).toMatch(/^migrations: [1-9]\d* committed, 0 cancelled, 0 failed$/m);
    expect(scripted.stderr).toMatch(/^ {2}0\.1 +1 +0 .* spinner\.asm$/m);
    expect(scripted.stderr).not.toMatch(/threshold|age\.asm/);
    expect(scripted.stderr).toContain("migrations: 1 committed, 0 cancelled, 0 failed\n");
    expect(scriptedWithStarter.stderr).toMatch(/^ {2}0\.1 +0 alive .* threshold\.asm$/m);
    expect(scriptedWithStarter.stderr).toMatch(/^ {2}0\.2 +1 +0 .* spinner\.asm$/m);
    expect(missing.status).toBe(2);
    expect(missing.stderr.trimEnd().split("\n")).toHaveLength(1);
    expect(missing.stderr).toContain("--starter nosuch.asm");
  }, 180_000);
});
