// `sterna trace FILE --chrome OUT.json`: a trace becomes Chrome's trace-event format, with a
// track per node, each process's CPU turns as slices, messages as flows from send to
// receive; a malformed line is one error naming its number and field, exit 2.

import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { ChromeTraceBuilder, TraceLineError } from "../../../tools/trace/chrome-trace.ts";
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

  it("names the line and the field of a malformed record", () => {
    const builder = new ChromeTraceBuilder();
    expect(() => builder.convert("{not json", 7)).toThrow(new TraceLineError("line 7: not JSON"));
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
});
