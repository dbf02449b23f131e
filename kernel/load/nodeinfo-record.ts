// The record nodeinfo (1006) writes when given a buffer: eight little-endian 32-bit words,
// 32 bytes, the node's load snapshot as docs/abi.md ("nodeinfo record") and sterna.inc
// (NODEINFO_*) lay it out. Figures in thousandths are integers, as the load sampler keeps them.

import type { LoadSnapshot } from "./load-sampler.ts";

export const nodeinfoRecordBytes = 32;

export const NodeinfoOffset = {
  node: 0,
  nodeCount: 4,
  loadPermille: 8,
  runQueueLength: 12,
  processCount: 16,
  runQueueLengthAvgMilli: 20,
  processCountAvgMilli: 24,
  samples: 28,
} as const;

export function encodeNodeinfoRecord(
  node: number,
  nodeCount: number,
  load: LoadSnapshot,
): Uint8Array {
  const bytes = new Uint8Array(nodeinfoRecordBytes);
  const view = new DataView(bytes.buffer);
  view.setUint32(NodeinfoOffset.node, node, true);
  view.setUint32(NodeinfoOffset.nodeCount, nodeCount, true);
  view.setUint32(NodeinfoOffset.loadPermille, load.loadPermille, true);
  view.setUint32(NodeinfoOffset.runQueueLength, load.runQueueLength, true);
  view.setUint32(NodeinfoOffset.processCount, load.processCount, true);
  view.setUint32(NodeinfoOffset.runQueueLengthAvgMilli, load.runQueueLengthAvgMilli, true);
  view.setUint32(NodeinfoOffset.processCountAvgMilli, load.processCountAvgMilli, true);
  view.setUint32(NodeinfoOffset.samples, load.samples, true);
  return bytes;
}
