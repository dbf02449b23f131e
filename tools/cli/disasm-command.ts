// `sterna disasm FILE [-f elf|bin] [--org ADDR] [--reassemble]`: prints each instruction of an
// i386 ELF executable (its executable segments, at their addresses) or of a flat binary as
// address, bytes and NASM syntax; with --reassemble, a complete NASM source that
// `nasm -f bin` turns back into the same bytes. A file that cannot be read or is malformed
// gives one line `sterna: disasm: ...` and status 2; stdout that cannot be written (a full
// disk) one line and status 1.

import { type Command, Option } from "commander";
import { disasmFileBytesMax, readInputFile } from "./input-file.ts";

export interface DisasmCommandOptions {
  format?: "elf" | "bin";
  org?: string;
  reassemble?: boolean;
}

const fileErrorStatus = 2;
/** The listing could not be written to stdout. */
const ownOutputFailureStatus = 1;
/**
 * The most code one run disassembles: about 20 s and 400 MB of host memory per MiB, so a
 * larger image is refused up front rather than left to exhaust the host.
 */
export const disasmCodeBytesMax = 1024 * 1024;
const bytesColumnWidth = 8 * 3;

function parseAddress(text: string): number | undefined {
  const value = /^0x[0-9a-f]+$/i.test(text)
    ? Number.parseInt(text.slice(2), 16)
    : /^[0-9a-f]+h$/i.test(text)
      ? Number.parseInt(text.slice(0, -1), 16)
      : /^\d+$/.test(text)
        ? Number(text)
        : Number.NaN;
  return Number.isInteger(value) && value <= 0xffffffff ? value : undefined;
}

function hex8(value: number): string {
  return value.toString(16).padStart(8, "0");
}

/** Where the command's output goes: the host's stdout/stderr, or a test's buffers. */
export interface DisasmOutput {
  stdout(text: string): void;
  stderr(text: string): void;
}

/** The command's work, returning its exit status (0, or 2 for a bad file or option). */
export async function runDisasm(
  path: string,
  options: DisasmCommandOptions,
  output: DisasmOutput,
): Promise<number> {
  const disasm = await import("../disasm/index.ts");
  const fail = (message: string) => {
    output.stderr(`sterna: disasm: ${message}\n`);
    return fileErrorStatus;
  };
  const input = readInputFile(path, disasmFileBytesMax);
  if (!input.ok) return fail(input.message);
  const file: Uint8Array = input.bytes;
  const format = options.format ?? (disasm.isElf(file) ? "elf" : "bin");
  const segments: import("../disasm/index.ts").CodeSegment[] = [];
  const headers: string[] = [];
  if (format === "elf") {
    if (options.org !== undefined) {
      return fail(
        "--org applies to flat binaries (-f bin); ELF segments carry their own addresses",
      );
    }
    const elf = disasm.readElfExecutableSegments(file);
    if (!elf.ok) {
      return fail(`${path}: ${elf.message}`);
    }
    headers.push(`; ${path}: ELF32 i386, entry 0x${hex8(elf.entryAddress)}`);
    for (const segment of elf.segments) {
      const name = `segment${segment.index}`;
      segments.push({
        name,
        address: segment.address,
        bytes: segment.bytes,
        dataPrefixBytes: segment.headerBytes,
        entryAddress: elf.entryAddress,
      });
    }
  } else {
    const org = options.org === undefined ? 0 : parseAddress(options.org);
    if (org === undefined) {
      return fail(`--org '${options.org}': not an address (write 0x1000, 1000h or 4096)`);
    }
    segments.push({ name: "flat", address: org, bytes: file, dataPrefixBytes: 0 });
  }

  const codeBytes = segments.reduce((sum, segment) => sum + segment.bytes.length, 0);
  if (codeBytes > disasmCodeBytesMax) {
    return fail(
      `${path}: ${codeBytes} bytes of code, more than the ${disasmCodeBytesMax} (1 MiB) disasm takes at once`,
    );
  }
  const disassembled = segments.map((segment) => ({
    segment,
    lines: disasm.disassembleSegment(segment),
  }));
  if (options.reassemble) {
    output.stdout(disasm.reassemblySource(disassembled, path));
    return 0;
  }
  const out: string[] = [...headers];
  for (const { segment, lines } of disassembled) {
    if (format === "elf") {
      out.push(
        `; ${segment.name}: 0x${hex8(segment.address)}, ${segment.bytes.length} bytes, executable`,
      );
    }
    for (const line of lines) {
      const bytes = [...line.bytes].map((b) => b.toString(16).padStart(2, "0")).join(" ");
      out.push(`${hex8(line.address)}  ${bytes.padEnd(bytesColumnWidth)}  ${line.text}`);
    }
  }
  output.stdout(`${out.join("\n")}\n`);
  return 0;
}

async function runDisasmCommand(path: string, options: DisasmCommandOptions): Promise<void> {
  const { HostOutput } = await import("./host-io.ts");
  // Synchronous and quiet when the reader goes away (`sterna disasm big.elf | head`).
  const stdout = new HostOutput(1);
  const encoder = new TextEncoder();
  const status = await runDisasm(path, options, {
    stdout: (text) => stdout.write(encoder.encode(text)),
    stderr: (text) => process.stderr.write(text),
  });
  // A reader that went away (`| head`) is no failure; a full disk or a broken device is.
  const failure = stdout.failureCode;
  if (status === 0 && failure !== undefined && failure !== "EPIPE") {
    process.stderr.write(`sterna: disasm: stdout: write failed (${failure})\n`);
    process.exitCode = ownOutputFailureStatus;
    return;
  }
  if (status !== 0) process.exitCode = status;
}

export function registerDisasm(program: Command): void {
  program
    .command("disasm")
    .description("disassemble an i386 ELF executable or a flat binary into NASM syntax")
    .argument("<file>", "the ELF executable or flat binary to disassemble")
    .addOption(
      new Option(
        "-f, --format <format>",
        "input format (default: elf if the file starts with the ELF magic, else bin)",
      ).choices(["elf", "bin"]),
    )
    .option("--org <address>", "address of the first byte of a flat binary (default 0)")
    .option(
      "--reassemble",
      "print a complete NASM source that `nasm -f bin` assembles into the same bytes",
    )
    .addHelpText(
      "after",
      "\nEach line shows the address, the bytes and the instruction in NASM syntax. Bytes that are no\n" +
        "instruction, or an encoding NASM never emits, are shown as `db`. For ELF files the executable\n" +
        "PT_LOAD segments are disassembled at their virtual addresses (ELF headers inside them as `db`).",
    )
    .action(runDisasmCommand);
}
