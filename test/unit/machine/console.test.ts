// The console: two independent buffered output channels, bounded, drained by the host.

import { describe, expect, it } from "vitest";
import { Console, ConsoleChannel, consoleBufferBytesMax } from "../../../vm/devices/console.ts";

const bytes = (text: string) => new TextEncoder().encode(text);

describe("Console", () => {
  it("keeps out and err apart and hands each over in order", () => {
    const console = new Console();
    console.write(ConsoleChannel.Out, bytes("hel"));
    console.write(ConsoleChannel.Err, bytes("oops"));
    console.write(ConsoleChannel.Out, bytes("lo"));
    expect(console.pendingBytes(ConsoleChannel.Out)).toBe(5);
    expect(new TextDecoder().decode(console.drain(ConsoleChannel.Out))).toBe("hello");
    expect(console.pendingBytes(ConsoleChannel.Out)).toBe(0);
    expect(new TextDecoder().decode(console.drain(ConsoleChannel.Err))).toBe("oops");
  });

  it("takes no more than its buffer holds and says how much it took", () => {
    const console = new Console();
    expect(console.write(ConsoleChannel.Out, new Uint8Array(consoleBufferBytesMax - 3))).toBe(
      consoleBufferBytesMax - 3,
    );
    expect(console.write(ConsoleChannel.Out, bytes("abcdef"))).toBe(3);
    expect(console.write(ConsoleChannel.Out, bytes("x"))).toBe(0);
    const drained = console.drain(ConsoleChannel.Out);
    expect(drained.length).toBe(consoleBufferBytesMax);
    expect(drained.subarray(-3)).toEqual(bytes("abc"));
    expect(console.write(ConsoleChannel.Out, bytes("x"))).toBe(1);
  });

  it("restores pending output from its state", () => {
    const console = new Console();
    console.write(ConsoleChannel.Err, bytes("pending"));
    const copy = new Console();
    copy.write(ConsoleChannel.Out, bytes("stale"));
    copy.setState(console.getState());
    expect(copy.pendingBytes(ConsoleChannel.Out)).toBe(0);
    expect(new TextDecoder().decode(copy.drain(ConsoleChannel.Err))).toBe("pending");
  });
});
