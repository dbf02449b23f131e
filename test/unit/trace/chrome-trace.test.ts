// `sterna trace FILE --chrome OUT.json`: a trace becomes Chrome's trace-event format, with a
// track per node, each process's CPU turns as slices, messages as flows from send to
// receive; a malformed or overlong line is one error naming its number and field, exit 2; an
// output it cannot write (a full disk) is one line, exit 1; what it keeps between lines is
// bounded.

import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import {
  ChromeTraceBuilder,
  openSlicesMax,
  TraceLineError,
} from "../../../tools/trace/chrome-trace.ts";
import { sterna } from "../../support/run-cli.ts";

const lines = [
  { t: 0, node: 0, event: "boot", nodes: 2, seed: 1 },
  { t: 1000, node: 0, event: "run", pid: "0.1" },
  { t: 3000, node: 0, event: "send", from: "0.1", to: "1.1", seq: 0, bytes: 4, remote: true },
  { t: 4000, node: 0, event: "stop", pid: "0.1", state: "remote" },
  { t: 9000, node: 1, event: "receive", pid: "1.1", from: "0.1", seq: 0 },
].map((record) => JSON.stringify(record));

describe("the Chrome trace export", () => {
  it("names a track per node, makes CPU turns slices and messages flows", () => {
    const builder = new ChromeTraceBuilder();
    const events = lines.flatMap((line, index) => builder.convert(line, index + 1));
    const names = events.filter((event) => event.name === "process_name");
    expect(names.map((event) => event.args?.name)).toEqual(["node 0", "node 1"]);
    const slice = events.find((event) => event.ph === "X")!;
    expect(slice).toMatchObject({ name: "pid 0.1", ts: 1, dur: 3, pid: 1 });
    const start = events.find((event) => event.ph === "s")!;
    const finish = events.find((event) => event.ph === "f")!;
    expect(start.id).toBe(finish.id);
    expect([start.pid, finish.pid]).toEqual([1, 2]);
  });

  it("gives a flow both ends or neither: no end without its send, no start without its receive", () => {
    const builder = new ChromeTraceBuilder();
    const records = [
      // The kernel's message to a Starter: received, never traced as a send.
      { t: 1000, node: 1, event: "receive", pid: "1.1", from: "1.1048575", seq: 0 },
      // Sent to a process that ended before receiving it.
      { t: 2000, node: 0, event: "send", from: "0.1", to: "0.2", seq: 0, bytes: 4 },
      { t: 3000, node: 0, event: "send", from: "0.1", to: "1.1", seq: 0, bytes: 4 },
      { t: 5000, node: 1, event: "receive", pid: "1.1", from: "0.1", seq: 0 },
    ];
    const events = records.flatMap((record, index) =>
      builder.convert(JSON.stringify(record), index + 1),
    );
    const flows = events.filter((event) => event.ph === "s" || event.ph === "f");
    expect(flows.map((event) => [event.ph, event.id, event.ts])).toEqual([
      ["s", "0.1>1.1#0", 3],
      ["f", "0.1>1.1#0", 5],
    ]);
    expect(events.filter((event) => event.name === "receive")).toHaveLength(2);
    expect(events.filter((event) => event.name === "send")).toHaveLength(2);
  });

  it("pairs every flow of a cluster run's trace, Starters' kernel messages included", async () => {
    const directory = mkdtempSync(join(tmpdir(), "sterna-trace-"));
    const tracePath = join(directory, "run.jsonl");
    const chromePath = join(directory, "run.json");
    const ping = new URL("../cluster/fixtures/remote-ping.asm", import.meta.url).pathname;
    const boot = await sterna(["boot", "--nodes", "3", "--run", `${ping} 2`, "--trace", tracePath]);
    expect(boot.status, boot.stderr).toBe(0);
    const converted = await sterna(["trace", tracePath, "--chrome", chromePath]);
    expect(converted.status, converted.stderr).toBe(0);
    const { traceEvents } = JSON.parse(readFileSync(chromePath, "utf8")) as {
      traceEvents: { ph: string; id?: string }[];
    };
    const ends = new Map<string, string[]>();
    for (const event of traceEvents) {
      if (event.ph !== "s" && event.ph !== "f") continue;
      ends.set(event.id!, [...(ends.get(event.id!) ?? []), event.ph]);
    }
    expect(ends.size).toBeGreaterThan(0);
    const unpaired = [...ends].filter(([, phases]) => phases.join() !== "s,f");
    expect(unpaired).toEqual([]);
    // The Starters' messages from the kernel are received but have no traced send.
    const receives = readFileSync(tracePath, "utf8")
      .trimEnd()
      .split("\n")
      .filter((line) => JSON.parse(line).event === "receive");
    expect(receives.length).toBeGreaterThan(ends.size);
  });

  it("names the line and the field of a malformed record", () => {
    const builder = new ChromeTraceBuilder();
    expect(() => builder.convert("{not json", 7)).toThrow(new TraceLineError("line 7: not JSON"));
    for (const notObject of ["null", "5", "[1,2]", '"run"']) {
      expect(() => builder.convert(notObject, 3)).toThrow(
        new TraceLineError("line 3: not a JSON object"),
      );
    }
    expect(() => builder.convert('{"t":"x","node":0,"event":"run"}', 8)).toThrow(
      /line 8: field "t"/,
    );
  });

  it("writes a file Perfetto reads, and refuses a bad trace with one line, exit 2", async () => {
    const directory = mkdtempSync(join(tmpdir(), "sterna-trace-"));
    const input = join(directory, "run.jsonl");
    const output = join(directory, "run.json");
    writeFileSync(input, `${lines.join("\n")}\n`);
    const good = await sterna(["trace", input, "--chrome", output]);
    expect(good.status).toBe(0);
    const written = JSON.parse(readFileSync(output, "utf8")) as { traceEvents: unknown[] };
    expect(written.traceEvents.length).toBeGreaterThan(lines.length);
    writeFileSync(input, `${lines[0]}\nnot json\n`);
    const bad = await sterna(["trace", input, "--chrome", output]);
    expect(bad.status).toBe(2);
    expect(bad.stderr.trim().split("\n")).toEqual([`sterna: trace: ${input}: line 2: not JSON`]);
  });

  it("refuses to write over the trace it reads (the input stays whole)", async () => {
    const directory = mkdtempSync(join(tmpdir(), "sterna-trace-"));
    const input = join(directory, "run.jsonl");
    const text = `${lines.join("\n")}\n`;
    writeFileSync(input, text);
    const same = await sterna(["trace", input, "--chrome", join(directory, ".", "run.jsonl")]);
    expect(same.status).toBe(2);
    expect(same.stderr).toMatch(/--chrome .*run\.jsonl: is the trace being read/);
    expect(readFileSync(input, "utf8")).toBe(text);
  });

  it("bounds what it keeps between lines: nodes within 0..2047, open slices", () => {
    const builder = new ChromeTraceBuilder();
    expect(() => builder.convert('{"t":1,"node":2048,"event":"boot"}', 3)).toThrow(
      /line 3: field "node" must be an integer from 0 to 2047/,
    );
    expect(() => builder.convert('{"t":1,"node":-1,"event":"boot"}', 4)).toThrow(/field "node"/);
    for (let index = 0; index < openSlicesMax; index++) {
      builder.convert(`{"t":1,"node":0,"event":"run","pid":"p${index}"}`, index + 1);
    }
    expect(() => builder.convert('{"t":2,"node":0,"event":"run","pid":"one more"}', 99)).toThrow(
      /line 99: more than 65536 processes running at once/,
    );
  });

  it("refuses an overlong line, an empty name; a full disk is one line and exit 1", async () => {
    const directory = mkdtempSync(join(tmpdir(), "sterna-trace-"));
    const input = join(directory, "run.jsonl");
    const output = join(directory, "run.json");
    // A line far past any trace's, which a line reader without a bound would hold whole.
    writeFileSync(input, `${lines[0]}\n${"x".repeat(3 * 1024 * 1024)}\n`);
    const overlong = await sterna(["trace", input, "--chrome", output]);
    expect(overlong.status).toBe(2);
    expect(overlong.stderr.trim().split("\n")).toEqual([
      `sterna: trace: ${input}: line 2: longer than 1048576 bytes`,
    ]);
    writeFileSync(input, `${lines.join("\n")}\n`);
    const full = await sterna(["trace", input, "--chrome", "/dev/full"]);
    expect(full.status).toBe(1);
    expect(full.stderr.trim().split("\n")).toEqual([
      "sterna: trace: --chrome /dev/full: write failed: no space left on device",
    ]);
    const emptyOutput = await sterna(["trace", input, "--chrome", ""]);
    expect(emptyOutput.status).toBe(2);
    expect(emptyOutput.stderr).toBe("sterna: trace: --chrome: an output file name is empty\n");
    const emptyInput = await sterna(["trace", "", "--chrome", output]);
    expect(emptyInput.status).toBe(2);
    expect(emptyInput.stderr).toBe("sterna: trace: an input file name is empty\n");
  });
});
