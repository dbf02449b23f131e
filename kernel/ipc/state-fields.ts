// Readers for IPC state that arrives from elsewhere: a process's mailbox and pair sequence
// numbers travel in frames when it migrates, so setState treats its input as untrusted. Each
// reader names the field's path, so a malformed state fails with one line saying where.

import { isPid, type Pid } from "../process/pid.ts";

export class IpcStateError extends Error {
  override name = "IpcStateError";
}

export function readRecord(value: unknown, where: string): Record<string, unknown> {
  if (typeof value !== "object" || value === null || Array.isArray(value)) {
    throw new IpcStateError(`${where}: expected an object`);
  }
  return value as Record<string, unknown>;
}

export function readInteger(value: unknown, where: string, min: number, max: number): number {
  if (typeof value !== "number" || !Number.isInteger(value) || value < min || value > max) {
    throw new IpcStateError(`${where}: expected an integer ${min}..${max}, got ${String(value)}`);
  }
  return value;
}

export function readPid(value: unknown, where: string): Pid {
  if (typeof value !== "number" || !isPid(value)) {
    throw new IpcStateError(`${where}: expected a PID, got ${String(value)}`);
  }
  return value;
}

export function readArray(value: unknown, where: string, lengthMax: number): unknown[] {
  if (!Array.isArray(value)) throw new IpcStateError(`${where}: expected an array`);
  if (value.length > lengthMax) {
    throw new IpcStateError(`${where}: ${value.length} entries, at most ${lengthMax} allowed`);
  }
  return value;
}

const hexPattern = /^(?:[0-9a-f]{2})*$/;

/** Lower-case hex, two digits a byte: plain text that survives JSON unchanged. */
export function bytesToHex(bytes: Uint8Array): string {
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString("hex");
}

export function readHexBytes(value: unknown, where: string, bytesMax: number): Uint8Array {
  if (typeof value !== "string" || !hexPattern.test(value)) {
    throw new IpcStateError(`${where}: expected lower-case hex, two digits a byte`);
  }
  if (value.length / 2 > bytesMax) {
    throw new IpcStateError(`${where}: ${value.length / 2} bytes, at most ${bytesMax} allowed`);
  }
  return new Uint8Array(Buffer.from(value, "hex"));
}
