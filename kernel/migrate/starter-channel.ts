// The kernel's side of its conversation with the node's Starter (docs/migration.md, "The
// Starter's messages"): handshake start registers the Starter, which from then on gets the
// requests of step 5 and the outcome of every migration this node took part in, and
// statistics every period until handshake stop. Every message comes from the kernel's own
// sender pid NODE.0xFFFFF into the Starter's ordinary mailbox, and the kernel never waits:
// when the mailbox is full the oldest statistics make room (newer statistics replace older
// ones); when none is queued the new message is dropped and counted.

import { kernelSenderLocalId, makePid, type Pid, pidNone } from "../process/pid.ts";
import type { Process } from "../process/process.ts";
import type { MigrationService } from "./migration-service.ts";
import { StarterMessageType, starterMessageType } from "./starter-messages.ts";
import { encodeStatistics } from "./statistics.ts";

/** The shortest statistics period: one timer tick (kernel.ts's tickIntervalNs), 10 ms. */
export const statisticsPeriodMinNs = 10_000_000;

export interface StarterChannelCounters {
  statisticsSent: number;
  /** Statistics dropped from a full mailbox to make room for newer messages. */
  statisticsReplaced: number;
  /** Messages not delivered: the mailbox was full of other messages. */
  messagesDropped: number;
}

export class StarterChannel {
  /** The Starter called handshake start: requests and outcomes go to it from then on. */
  registered = false;
  readonly counters: StarterChannelCounters = {
    statisticsSent: 0,
    statisticsReplaced: 0,
    messagesDropped: 0,
  };
  private periodNs = 0;
  private nextStatisticsNs = Number.POSITIVE_INFINITY;
  readonly senderPid: Pid;

  constructor(private readonly service: MigrationService) {
    this.senderPid = makePid(service.kernel.homeNode, kernelSenderLocalId);
  }

  /** The node's live Starter, if it has one. */
  get starter(): Process | undefined {
    const kernel = this.service.kernel;
    return kernel.starterPid === pidNone ? undefined : kernel.processes.live(kernel.starterPid);
  }

  /** Whether requests go to the Starter rather than the built-in acceptor. */
  get takesRequests(): boolean {
    return this.registered && this.starter !== undefined;
  }

  /** handshake(start, periodUs): statistics now and every period (one tick at least), or none. */
  handshake(start: boolean, periodUs: number): void {
    if (!start) {
      this.periodNs = 0;
      this.nextStatisticsNs = Number.POSITIVE_INFINITY;
      return;
    }
    this.registered = true;
    this.periodNs = Math.max(statisticsPeriodMinNs, periodUs * 1000);
    this.sendStatistics(this.service.kernel.nowNs());
  }

  nextTimerNs(): number {
    return this.nextStatisticsNs;
  }

  fireTimers(nowNs: number): void {
    if (nowNs >= this.nextStatisticsNs) this.sendStatistics(nowNs);
  }

  /** The Starter ended: nothing more goes to it, and the built-in acceptor takes over. */
  onStarterEnd(): void {
    this.registered = false;
    this.periodNs = 0;
    this.nextStatisticsNs = Number.POSITIVE_INFINITY;
  }

  /**
   * Puts a kernel message in the Starter's mailbox and wakes it if it waits for one. False
   * when it could not (no Starter, or a mailbox full of other messages).
   */
  deliver(bytes: Uint8Array): boolean {
    const starter = this.starter;
    if (!starter) return false;
    const mailbox = starter.mailbox;
    const senderPid = this.senderPid;
    if (mailbox.length >= mailbox.capacity) {
      const replaced = mailbox.dropOldest(
        (message) =>
          message.senderPid === senderPid &&
          starterMessageType(message.bytes) === StarterMessageType.statistics,
      );
      if (!replaced) {
        this.counters.messagesDropped++;
        return false;
      }
      this.counters.statisticsReplaced++;
    }
    const outcome = mailbox.deliver({
      senderPid,
      receiverPid: starter.pid,
      pairSeq: mailbox.expectedSeq(senderPid),
      bytes,
    });
    if (outcome !== "delivered") {
      this.counters.messagesDropped++;
      return false;
    }
    this.service.kernel.wakeIfReceiving(starter, senderPid);
    return true;
  }

  private sendStatistics(nowNs: number): void {
    if (!this.starter) {
      this.onStarterEnd();
      return;
    }
    this.nextStatisticsNs = nowNs + this.periodNs;
    if (this.deliver(encodeStatistics(this.service.kernel))) this.counters.statisticsSent++;
  }
}
