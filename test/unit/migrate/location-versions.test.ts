// Location notices carry versions (issue 10 review, item 6): notices from different nodes travel
// on different pairs and may cross, and before, an older one ("P at C", from move 1) arriving
// after a newer one ("P at E", move 2) set a node's hint back, so that node, holding P's parent,
// took P for lost when C later failed. Move k says "at the destination" with 2k and "back at
// the source" with 2k + 1, an end outranks every move; a node ignores a notice older than the
// one its entry came from. The move count travels in MigrateRequest; LinkUpdate carries the
// version (its ack echoes it).

import { describe, expect, it } from "vitest";
import { MigrationFormatError } from "../../../kernel/migrate/byte-codec.ts";
import {
  decodeMigrationMessage,
  encodeMigrationMessage,
  type MigrationMessage,
  MigrationMessageKind,
} from "../../../kernel/migrate/migration-messages.ts";
import {
  LocationTable,
  locationVersionBack,
  locationVersionEnded,
  locationVersionMoved,
} from "../../../kernel/net/location-table.ts";

const ownNode = 0;
const pid = (2 << 20) | 1;

describe("location versions", () => {
  it("orders the notices of successive moves, a failed move's return and the end", () => {
    expect(locationVersionMoved(1)).toBeLessThan(locationVersionBack(1));
    expect(locationVersionBack(1)).toBeLessThan(locationVersionMoved(2));
    expect(locationVersionBack(0x7fff_fffe)).toBeLessThan(locationVersionEnded);
  });

  it("ignores a notice older than the one the entry came from", () => {
    const table = new LocationTable(ownNode);
    // Move 2 (to node 4) is heard before move 1 (to node 3): the late one changes nothing.
    expect(table.learn(pid, 4, locationVersionMoved(2))).toBe(true);
    expect(table.learn(pid, 3, locationVersionMoved(1))).toBe(false);
    expect(table.get(pid)).toBe(4);
    // Move 2 failed: the process is back at node 3, its source; then move 3 takes it to node 1.
    expect(table.learn(pid, 3, locationVersionBack(2))).toBe(true);
    expect(table.learn(pid, 4, locationVersionMoved(2))).toBe(false);
    expect(table.learn(pid, 1, locationVersionMoved(3))).toBe(true);
    expect(table.get(pid)).toBe(1);
    // The same notice twice is harmless.
    expect(table.learn(pid, 1, locationVersionMoved(3))).toBe(true);
    // An entry without a notice (a hint from an answer) keeps the version it had.
    table.set(pid, 2);
    expect(table.learn(pid, 3, locationVersionBack(2))).toBe(false);
    expect(table.get(pid)).toBe(2);
    // A forgotten entry takes whatever comes next.
    table.delete(pid);
    expect(table.learn(pid, 3, locationVersionMoved(1))).toBe(true);
    expect(table.get(pid)).toBe(3);
  });

  it("carries the version in LinkUpdate and its ack, and the move count in MigrateRequest", () => {
    const messages: MigrationMessage[] = [
      {
        kind: MigrationMessageKind.LinkUpdate,
        requestId: 0,
        pid,
        node: 4,
        version: locationVersionMoved(2),
      },
      {
        kind: MigrationMessageKind.LinkUpdateAck,
        requestId: 9,
        pid,
        node: 3,
        version: locationVersionBack(1),
      },
      {
        kind: MigrationMessageKind.MigrateRequest,
        requestId: 9,
        pid,
        pageCount: 3,
        memoryBytes: 16384,
        cpuNs: 1000,
        ageNs: 2000,
        moves: 5,
        links: [1 << 20, 2 << 20],
      },
    ];
    for (const message of messages) {
      expect(decodeMigrationMessage(encodeMigrationMessage(message))).toEqual(message);
    }
    // A LinkUpdate without its version is refused, naming the field.
    const bytes = encodeMigrationMessage(messages[0]!);
    expect(() => decodeMigrationMessage(bytes.subarray(0, bytes.length - 4))).toThrow(
      MigrationFormatError,
    );
    expect(() => decodeMigrationMessage(bytes.subarray(0, bytes.length - 4))).toThrow(/version/);
  });
});
