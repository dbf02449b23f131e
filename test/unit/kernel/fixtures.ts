// Loads the kernel tests' programs and what qemu-i386 recorded for them (see fixtures/record.sh).

import { readFileSync } from "node:fs";

const fixtureDirectory = new URL("./fixtures/", import.meta.url);

export interface RecordedRun {
  argv: string[];
  stdin: string;
  stdout: string;
  stderr: string;
  status: number;
}

export function fixtureImage(name: string): Uint8Array {
  return new Uint8Array(readFileSync(new URL(`${name}.elf`, fixtureDirectory)));
}

export function fixturePath(name: string): string {
  return new URL(`${name}.elf`, fixtureDirectory).pathname;
}

export function recordedRun(name: string): RecordedRun {
  return JSON.parse(readFileSync(new URL(`${name}.expected.json`, fixtureDirectory), "latin1"));
}

export function latin1(text: string): Uint8Array {
  return Uint8Array.from(text, (c) => c.charCodeAt(0));
}

export function text(bytes: Uint8Array): string {
  return String.fromCharCode(...bytes);
}
