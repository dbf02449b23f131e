// Records the assembler's expected outputs from the real tools, at development time (npm test
// never runs nasm, ld or qemu). Run: npx tsx test/unit/asm/record-fixtures.ts
//   fixtures/NAME.asm      -> fixtures/NAME.nasm.bin   (nasm -f bin)
//                             and NAME.O0.nasm.bin (nasm -O0) for fixture-files.ts's fixturesAtO0
//   fixtures/elf/NAME.asm  -> fixtures/elf/NAME.qemu.json (nasm -f elf32, ld -m elf_i386, then
//                             qemu-i386: the program's stdout and exit status)
// It also runs sterna's own ELF for each program under qemu-i386 and fails if it differs.

import { spawnSync } from "node:child_process";
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { assemble } from "../../../tools/asm/assemble.ts";
import { fixturesAtO0 } from "./fixture-files.ts";

const here = dirname(fileURLToPath(import.meta.url));
const fixtures = join(here, "fixtures");
const elfFixtures = join(fixtures, "elf");
const includePaths = [join(fixtures, "include"), join(here, "../../../userland/include")];

function run(command: string, args: string[]): { status: number; stdout: Buffer } {
  const result = spawnSync(command, args, { encoding: "buffer" });
  if (result.error) throw result.error;
  if (result.stderr.length > 0) process.stderr.write(result.stderr);
  return { status: result.status ?? -1, stdout: result.stdout };
}

function must(command: string, args: string[]): void {
  const { status } = run(command, args);
  if (status !== 0) throw new Error(`${command} ${args.join(" ")} exited with ${status}`);
}

const includeFlags = includePaths.map((dir) => `-I${dir}/`);

for (const name of readdirSync(fixtures).filter((file) => file.endsWith(".asm"))) {
  const source = join(fixtures, name);
  must("nasm", ["-f", "bin", ...includeFlags, source, "-o", source.replace(/\.asm$/, ".nasm.bin")]);
  console.log(`recorded ${name} (nasm -f bin)`);
}
for (const name of fixturesAtO0) {
  const source = join(fixtures, `${name}.asm`);
  must("nasm", ["-O0", "-f", "bin", source, "-o", join(fixtures, `${name}.O0.nasm.bin`)]);
  console.log(`recorded ${name}.asm (nasm -O0 -f bin)`);
}

const scratch = mkdtempSync(join(tmpdir(), "sterna-asm-fixtures-"));
try {
  for (const name of readdirSync(elfFixtures).filter((file) => file.endsWith(".asm"))) {
    const source = join(elfFixtures, name);
    const object = join(scratch, "program.o");
    const linked = join(scratch, "program");
    must("nasm", ["-f", "elf32", ...includeFlags, source, "-o", object]);
    must("ld", ["-m", "elf_i386", "-o", linked, object]);
    const reference = run("qemu-i386", [linked]);
    const expected = { stdout: reference.stdout.toString("utf8"), status: reference.status };
    writeFileSync(source.replace(/\.asm$/, ".qemu.json"), `${JSON.stringify(expected, null, 2)}\n`);

    const ours = assemble(readFileSync(source, "utf8"), {
      fileName: source,
      format: "elf",
      includePaths,
      readFile: (path) => {
        try {
          return readFileSync(path, "utf8");
        } catch {
          return undefined;
        }
      },
    });
    if (!ours.output) throw new Error(`sterna asm failed on ${name}`);
    const oursPath = join(scratch, "ours");
    writeFileSync(oursPath, ours.output, { mode: 0o755 });
    const check = run("qemu-i386", [oursPath]);
    if (check.status !== expected.status || check.stdout.toString("utf8") !== expected.stdout) {
      throw new Error(`${name}: sterna's ELF behaves differently from nasm+ld's under qemu-i386`);
    }
    console.log(`recorded ${name} (nasm + ld + qemu-i386: status ${expected.status})`);
  }
} finally {
  rmSync(scratch, { recursive: true, force: true });
}
