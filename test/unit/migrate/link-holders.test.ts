// The home's list of forwarding-link holders and a node's bound on the links it holds
// (kernel/migrate/forwarding-links.ts, docs/migration.md "Delivery methods"), on ForwardingLinks
// itself with a stand-in for its node (no CLI run can make 4096 links): a node past its bound
// evicts its oldest link and tells the process's home (LinkDropped), which strikes the node
// from the list unless a later move left a link there again; a home past its bound of listed
// holders reports the one it cannot list and leaves it out.

import { describe, expect, it } from "vitest";
import { ForwardingLinks } from "../../../kernel/migrate/forwarding-links.ts";
import {
  type MigrationMessage,
  MigrationMessageKind,
} from "../../../kernel/migrate/migration-messages.ts";
import {
  type MigrationService,
  zeroMigrationCounters,
} from "../../../kernel/migrate/migration-service.ts";
import { makePid, type Pid } from "../../../kernel/process/pid.ts";

interface StandIn {
  links: ForwardingLinks;
  sent: { node: number; message: MigrationMessage }[];
  reports: string[];
  /** The `links` trace lines, as "pid:nodes". */
  lists: string[];
}

/** ForwardingLinks of node `own` with the bounds given, on a stand-in for its service. */
function linksOn(own: number, heldMax: number, holdersKnownMax: number): StandIn {
  const standIn: Omit<StandIn, "links"> = { sent: [], reports: [], lists: [] };
  const service = {
    kernel: {
      homeNode: own,
      nowNs: () => 0,
      report: (line: string) => standIn.reports.push(line),
      traceEvent: (event: string, fields: Record<string, unknown>) => {
        if (event === "links") standIn.lists.push(`${fields.pid}:${fields.nodes}`);
      },
    },
    counters: zeroMigrationCounters(),
    network: { transport: { hasFailed: () => false }, nodeOf: () => own },
    send: (node: number, message: MigrationMessage) => {
      standIn.sent.push({ node, message });
      return 1;
    },
    notifyLocation: () => 1,
  } as unknown as MigrationService;
  return { ...standIn, links: new ForwardingLinks(service, { heldMax, holdersKnownMax }) };
}

const pidOf = (node: number, local: number): Pid => makePid(node, local);

describe("forwarding links' bounds", () => {
  it("a holder past its bound evicts its oldest link and tells the home", () => {
    const holder = linksOn(1, 2, 64);
    holder.links.hold(pidOf(0, 5), 2, 1, 2);
    holder.links.hold(pidOf(3, 6), 2, 2, 4);
    expect(holder.sent).toEqual([]);
    holder.links.hold(pidOf(0, 7), 2, 3, 2);
    expect(holder.sent).toEqual([
      {
        node: 0,
        message: { kind: MigrationMessageKind.LinkDropped, pid: pidOf(0, 5), version: 2 },
      },
    ]);
  });

  it("the home strikes an evicted holder, unless a later move left a link there", () => {
    const home = linksOn(0, 8, 64);
    const pid = pidOf(0, 5);
    home.links.noteMove(pid, 0, 1, 2);
    home.links.noteMove(pid, 1, 2, 4);
    home.links.noteMove(pid, 2, 1, 6);
    expect(home.lists.at(-1)).toBe("0.5:0,2");
    expect([...home.links.holderNodes()]).toEqual([2]);
    home.links.onLinkDropped(pid, 2, 6);
    expect(home.lists.at(-1)).toBe("0.5:0");
    // Node 1's link of move 2 (version 4) is made again by move 4 (1 -> 3, version 8): the
    // eviction of the old one, crossing the move's notice, leaves the new one listed.
    home.links.noteMove(pid, 1, 3, 8);
    home.links.onLinkDropped(pid, 1, 4);
    expect(home.lists.at(-1)).toBe("0.5:0,1");
    home.links.onLinkDropped(pid, 1, 8);
    expect(home.lists.at(-1)).toBe("0.5:0");
  });

  it("a home past its bound of listed holders reports the one it leaves out", () => {
    const home = linksOn(0, 8, 2);
    home.links.noteMove(pidOf(0, 5), 1, 2, 2);
    home.links.noteMove(pidOf(0, 6), 1, 3, 2);
    home.links.noteMove(pidOf(0, 5), 2, 3, 4);
    expect(home.reports).toHaveLength(1);
    expect(home.reports[0]).toMatch(
      /lists 2 forwarding-link holders already: node 2's link for process 0\.5 is not listed/,
    );
    expect(home.lists).toEqual(["0.5:1", "0.6:1"]);
    // Once a process ends, its holders leave the list, and room is made.
    home.links.onProcessEnded(pidOf(0, 6));
    home.links.noteMove(pidOf(0, 5), 3, 2, 6);
    expect(home.lists.at(-1)).toBe("0.5:1,3");
  });
});
