// The statistics message a kernel sends its Starter after handshake start (docs/abi.md,
// "statistics"): a header, the node's load record (nodeinfo's), one fixed-size entry per
// process of the node (the Starter's own included, by pid), then one per other node whose load
// this kernel has heard (by node number), all within one message's 4096 bytes. What does not
// fit is left out, processes before nodes, and the truncated flag says so.

import type { Kernel } from "../kernel.ts";
import { messageBytesMax } from "../limits.ts";
import { encodeNodeinfoRecord } from "../load/nodeinfo-record.ts";
import { type Process, ProcessState } from "../process/process.ts";
import {
  clampU32,
  NodeEntryOffset,
  nodeEntryBytes,
  ProcessEntryOffset,
  processEntryBytes,
  StarterMessageType,
  StarterProcessState,
  StatisticsOffset,
  setU64,
  statisticsHeaderBytes,
  statisticsTruncatedFlag,
} from "./starter-messages.ts";

/** Builds the statistics of `kernel`'s node as it is now. */
export function encodeStatistics(kernel: Kernel): Uint8Array {
  const nowNs = kernel.nowNs();
  const processes = [...kernel.processes.all()]
    .filter((process) => process.isAlive)
    .sort((a, b) => a.pid - b.pid);
  const heard = kernel.net?.loads.entries() ?? [];
  const room = messageBytesMax - statisticsHeaderBytes;
  const processCount = Math.min(processes.length, Math.floor(room / processEntryBytes));
  const nodeCount = Math.min(
    heard.length,
    Math.floor((room - processCount * processEntryBytes) / nodeEntryBytes),
  );
  const truncated = processCount < processes.length || nodeCount < heard.length;
  const bytes = new Uint8Array(
    statisticsHeaderBytes + processCount * processEntryBytes + nodeCount * nodeEntryBytes,
  );
  const view = new DataView(bytes.buffer);
  view.setUint32(StatisticsOffset.type, StarterMessageType.statistics, true);
  view.setUint32(StatisticsOffset.node, kernel.homeNode, true);
  setU64(view, StatisticsOffset.timeNs, nowNs);
  view.setUint16(StatisticsOffset.processEntries, processCount, true);
  view.setUint16(StatisticsOffset.nodeEntries, nodeCount, true);
  view.setUint32(StatisticsOffset.flags, truncated ? statisticsTruncatedFlag : 0, true);
  bytes.set(
    encodeNodeinfoRecord(kernel.homeNode, kernel.nodeCount, kernel.loadSnapshot()),
    StatisticsOffset.load,
  );
  let offset = statisticsHeaderBytes;
  for (const process of processes.slice(0, processCount)) {
    writeProcessEntry(kernel, process, view, offset, nowNs);
    offset += processEntryBytes;
  }
  for (const load of heard.slice(0, nodeCount)) {
    view.setUint32(offset + NodeEntryOffset.node, load.node, true);
    view.setUint32(offset + NodeEntryOffset.loadPermille, load.loadPermille, true);
    view.setUint16(
      offset + NodeEntryOffset.runQueueLength,
      Math.min(load.runQueueLength, 0xffff),
      true,
    );
    view.setUint16(
      offset + NodeEntryOffset.processCount,
      Math.min(load.processCount, 0xffff),
      true,
    );
    view.setUint32(offset + NodeEntryOffset.ageUs, clampU32((nowNs - load.heardAtNs) / 1000), true);
    offset += nodeEntryBytes;
  }
  return bytes;
}

function writeProcessEntry(
  kernel: Kernel,
  process: Process,
  view: DataView,
  offset: number,
  nowNs: number,
): void {
  const cpuNs = (kernel.cpuCyclesOf(process) * 1e9) / kernel.machine.clockHz;
  let sent = 0;
  for (const [, nextSeq] of process.sendSeqs.getState().entries) sent += nextSeq;
  const mailbox = process.mailbox.stats;
  view.setUint32(offset + ProcessEntryOffset.pid, process.pid, true);
  view.setUint8(offset + ProcessEntryOffset.state, reportedState(kernel, process));
  view.setUint8(offset + ProcessEntryOffset.priority, process.priority);
  setU64(view, offset + ProcessEntryOffset.ageUs, (nowNs - process.bornAtNs) / 1000);
  setU64(view, offset + ProcessEntryOffset.cpuUs, cpuNs / 1000);
  view.setUint32(offset + ProcessEntryOffset.memoryBytes, clampU32(process.committedBytes()), true);
  view.setUint32(offset + ProcessEntryOffset.messagesSent, clampU32(sent), true);
  view.setUint32(offset + ProcessEntryOffset.messagesReceived, clampU32(mailbox.taken), true);
  view.setUint32(offset + ProcessEntryOffset.messagesQueued, process.mailbox.length, true);
}

function reportedState(kernel: Kernel, process: Process): number {
  if (
    process.state === ProcessState.Frozen ||
    kernel.net?.migration.source.isMigrating(process.pid)
  ) {
    return StarterProcessState.migrating;
  }
  return process.state === ProcessState.Ready || process.state === ProcessState.Running
    ? StarterProcessState.runnable
    : StarterProcessState.blocked;
}
