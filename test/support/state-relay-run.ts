// The state-relay run the migration tests share (userland/programs/state-relay.asm: a process
// and its partner on another node exchange a message every round): the boot on 10 Mbit/s
// Ethernet and the three moves by pid (0.1 to node 2; later its partner 1.1 to node 3 and 0.1
// again, to node 1), so messages stream to each moving process from another node.

import { join } from "node:path";
import { programsDirectory } from "../unit/node/boot-guests.ts";

export const relayOnEthernet = [
  "boot",
  "--fabric",
  "ethernet",
  "--run",
  `${join(programsDirectory, "state-relay.asm")} 1`,
];

export const relayThreeMoves = [
  "--migrate",
  "20ms:0.1:2",
  "--migrate",
  "50ms:1.1:3",
  "--migrate",
  "50ms:0.1:1",
];
