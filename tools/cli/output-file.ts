// Files sterna writes (`asm -o`/`-l`, `boot --trace`): opened before the work starts, so a bad
// path is one line and status 2 before anything runs; written in buffered chunks; a failure
// while writing (a full disk) is kept, not thrown, and `close` returns it as one line, for a
// non-zero status. Messages name the file and the option it came from.

import { closeSync, openSync, statSync, writeSync } from "node:fs";
import { dirname } from "node:path";
import { describeFileError } from "./input-file.ts";

const flushChars = 64 * 1024;

function describeCreateError(path: string, error: unknown): string {
  const code = (error as NodeJS.ErrnoException).code;
  if (code === "ENOENT") return `${path}: cannot create: folder ${dirname(path)} does not exist`;
  return `${path}: cannot create: ${describeFileError(error)}`;
}

export type OpenedOutput = { ok: true; file: OutputFile } | { ok: false; message: string };

/** A text file written line by line; its first failure ends the writing. */
export class OutputFile {
  private pending: string[] = [];
  private pendingChars = 0;
  private closed = false;
  /** `PATH: reason`, once a write has failed. */
  failure: string | undefined;

  private constructor(
    readonly path: string,
    private readonly fd: number,
  ) {}

  /** Creates (or truncates) `path`; `option` ("--trace") prefixes the message. */
  static open(path: string, option?: string): OpenedOutput {
    if (path === "") {
      return { ok: false, message: `${option ? `${option}: ` : ""}an output file name is empty` };
    }
    try {
      return { ok: true, file: new OutputFile(path, openSync(path, "w")) };
    } catch (error) {
      const message = describeCreateError(path, error);
      return { ok: false, message: option ? `${option} ${message}` : message };
    }
  }

  /** Adds a line (without its newline). */
  writeLine(line: string): void {
    if (this.failure !== undefined || this.closed) return;
    this.pending.push(line);
    this.pendingChars += line.length + 1;
    if (this.pendingChars > flushChars) this.flush();
  }

  /** Writes bytes at once (after any pending lines). */
  writeBytes(bytes: Uint8Array): void {
    this.flush();
    if (this.failure === undefined) this.writeAll(bytes);
  }

  /** Writes what is pending, closes the file, and returns the failure if any. */
  close(): string | undefined {
    if (!this.closed) {
      this.flush();
      this.closed = true;
      try {
        closeSync(this.fd);
      } catch (error) {
        this.failure ??= `${this.path}: ${describeFileError(error)}`;
      }
    }
    return this.failure;
  }

  private flush(): void {
    if (this.pending.length === 0 || this.failure !== undefined) return;
    const text = `${this.pending.join("\n")}\n`;
    this.pending = [];
    this.pendingChars = 0;
    this.writeAll(Buffer.from(text));
  }

  private writeAll(bytes: Uint8Array): void {
    try {
      let offset = 0;
      while (offset < bytes.length) offset += writeSync(this.fd, bytes, offset);
    } catch (error) {
      this.failure = `${this.path}: write failed: ${describeFileError(error)}`;
    }
  }
}

/** Writes a whole file; returns `PATH: reason` when it cannot. */
export function writeOutputFile(path: string, bytes: Uint8Array): string | undefined {
  const opened = OutputFile.open(path);
  if (!opened.ok) return opened.message;
  opened.file.writeBytes(bytes);
  return opened.file.close();
}

/**
 * Why `path` cannot be created, found without creating it (its folder is missing, or it is
 * a folder), so a command can refuse before it starts; undefined when it looks writable.
 */
export function outputPathProblem(path: string): string | undefined {
  if (path === "") return "an output file name is empty";
  const folder = dirname(path);
  try {
    if (!statSync(folder).isDirectory()) return `${path}: cannot create: ${folder} is not a folder`;
  } catch {
    return `${path}: cannot create: folder ${folder} does not exist`;
  }
  try {
    if (statSync(path).isDirectory()) return `${path}: cannot create: is a directory`;
  } catch {
    // Not there yet: it will be created.
  }
  return undefined;
}
