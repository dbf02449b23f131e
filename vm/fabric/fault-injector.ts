// Seeded faults on a medium's deliveries, as a Medium decorator: each Receive event may be
// lost, corrupted (one bit flipped, so the receiver's FCS check fails) or duplicated (a second
// copy `faultDuplicateDelayNs` later), and scheduled partitions lose every frame that crosses
// their cut while they last (each partition's start and heal are incidents too, for the
// trace, and events: an idle cluster stops at them). Each decision is drawn from a generator seeded by the fault seed
// and the delivery's identity (source node, seq, receiving node), so it depends neither on the
// order in which events are asked for nor on the quantum: the same seed and frames give the
// same faults. Transmit-done events pass unchanged (a sender does not learn of a loss).
// Left out: faults on the medium's access (lost tokens, babbling stations), delay jitter,
// reordering other than by duplication, node crashes (the cluster's business).

import { mixSeed, SeededRandom } from "../random/seeded-random.ts";
import {
  type FrameEvent,
  FrameEventKind,
  type FrameSubmission,
  frameEventBefore,
  type Medium,
  type MediumIncident,
  MediumIncidentKind,
  mediumIncidentsMax,
} from "./medium.ts";
import { MinHeap } from "./min-heap.ts";
import { faultDuplicateDelayNs } from "./network-costs.ts";

/** The nodes in `nodes` and the others cannot reach each other during [fromNs, fromNs + durationNs). */
export interface Partition {
  fromNs: number;
  durationNs: number;
  nodes: readonly number[];
}

export interface FaultOptions {
  /** Probability in [0, 1] that a delivery is lost. */
  lossRate?: number;
  /** Probability in [0, 1] that a delivery arrives twice. */
  duplicateRate?: number;
  /** Probability in [0, 1] that a delivery has one bit flipped. */
  corruptRate?: number;
  partitions?: readonly Partition[];
  /** The faults' seed (the cluster derives it from its own). */
  seed: number;
}

export interface FaultCounters {
  framesLost: number;
  framesDuplicated: number;
  framesCorrupted: number;
  /** Deliveries lost because they crossed a partition's cut. */
  partitionDrops: number;
}

function rateOption(value: number | undefined, name: string): number {
  const rate = value ?? 0;
  if (!(rate >= 0 && rate <= 1)) throw new RangeError(`${name} ${rate} is outside [0, 1]`);
  return rate;
}

interface CheckedPartition {
  fromNs: number;
  untilNs: number;
  nodes: Set<number>;
  /** The nodes as "1,3-5", for the trace. */
  spelling: string;
  /** The node its trace lines go to. */
  lowestNode: number;
  /** 0 before its start was reported, 1 before its heal was, 2 after. */
  reported: number;
}

/** "0,2-4": ascending, runs of consecutive nodes as ranges. */
function spellNodes(nodes: Set<number>): string {
  const sorted = [...nodes].sort((a, b) => a - b);
  const parts: string[] = [];
  for (let index = 0; index < sorted.length; ) {
    let end = index;
    while (end + 1 < sorted.length && sorted[end + 1] === sorted[end]! + 1) end++;
    parts.push(end === index ? `${sorted[index]}` : `${sorted[index]}-${sorted[end]}`);
    index = end + 1;
  }
  return parts.join(",");
}

function checkPartition(partition: Partition): CheckedPartition {
  const { fromNs, durationNs, nodes } = partition;
  if (!(Number.isFinite(fromNs) && fromNs >= 0)) {
    throw new RangeError(`partition start ${fromNs} ns must be a time at or after 0`);
  }
  if (!(durationNs > 0))
    throw new RangeError(`partition duration ${durationNs} ns must be positive`);
  for (const node of nodes) {
    if (!Number.isInteger(node) || node < 0) {
      throw new RangeError(`partition node ${node} is not a node number`);
    }
  }
  const set = new Set(nodes);
  return {
    fromNs,
    untilNs: fromNs + durationNs,
    nodes: set,
    spelling: spellNodes(set),
    lowestNode: Math.min(...set),
    reported: 0,
  };
}

export class FaultInjector implements Medium {
  readonly faults: FaultCounters = {
    framesLost: 0,
    framesDuplicated: 0,
    framesCorrupted: 0,
    partitionDrops: 0,
  };
  private readonly lossRate: number;
  private readonly duplicateRate: number;
  private readonly corruptRate: number;
  private readonly partitions: CheckedPartition[];
  private readonly seed: number;
  /** Duplicates due at or after the last horizon asked for. */
  private readonly heldDuplicates = new MinHeap<FrameEvent>(frameEventBefore);
  private incidents: MediumIncident[] = [];

  constructor(
    private readonly inner: Medium,
    options: FaultOptions,
  ) {
    this.lossRate = rateOption(options.lossRate, "loss rate");
    this.duplicateRate = rateOption(options.duplicateRate, "duplication rate");
    this.corruptRate = rateOption(options.corruptRate, "corruption rate");
    this.partitions = (options.partitions ?? []).map(checkPartition);
    this.seed = options.seed >>> 0;
  }

  get name(): string {
    return this.inner.name;
  }

  /** Duplicates come later than their original, never earlier: the inner lookahead holds. */
  get lookaheadNs(): number {
    return this.inner.lookaheadNs;
  }

  get counters() {
    return this.inner.counters;
  }

  submit(frame: FrameSubmission): void {
    this.inner.submit(frame);
  }

  eventsBefore(untilNs: number): readonly FrameEvent[] {
    this.reportPartitions(untilNs);
    const out: FrameEvent[] = [];
    let reordered = false;
    for (const event of this.inner.eventsBefore(untilNs)) {
      if (event.kind !== FrameEventKind.Receive) {
        out.push(event);
        continue;
      }
      if (this.crossesPartition(event)) {
        this.faults.partitionDrops++;
        this.recordIncident(MediumIncidentKind.PartitionDrop, event);
        continue;
      }
      const random = new SeededRandom(
        mixSeed(this.seed, `${event.sourceNode}:${event.seq}:${event.node}`),
      );
      if (random.chance(this.lossRate)) {
        this.faults.framesLost++;
        this.recordIncident(MediumIncidentKind.FaultLoss, event);
        continue;
      }
      const delivered = random.chance(this.corruptRate) ? this.corrupted(event, random) : event;
      out.push(delivered);
      if (random.chance(this.duplicateRate)) {
        this.faults.framesDuplicated++;
        this.recordIncident(MediumIncidentKind.FaultDuplicate, delivered);
        const duplicate = { ...delivered, atNs: delivered.atNs + faultDuplicateDelayNs };
        if (duplicate.atNs < untilNs) {
          out.push(duplicate);
          reordered = true;
        } else {
          this.heldDuplicates.push(duplicate);
        }
      }
    }
    for (;;) {
      const held = this.heldDuplicates.peek();
      if (held === undefined || !(held.atNs < untilNs)) break;
      out.push(this.heldDuplicates.pop()!);
      reordered = true;
    }
    if (reordered)
      out.sort((a, b) => (frameEventBefore(a, b) ? -1 : frameEventBefore(b, a) ? 1 : 0));
    return out;
  }

  nextEventNs(): number {
    let earliest = this.heldDuplicates.peek()?.atNs ?? Number.POSITIVE_INFINITY;
    for (const partition of this.partitions) {
      if (partition.reported === 0) earliest = Math.min(earliest, partition.fromNs);
      else if (partition.reported === 1) earliest = Math.min(earliest, partition.untilNs);
    }
    return Math.min(earliest, this.inner.nextEventNs());
  }

  /** Each partition's start and heal before `untilNs` not yet reported, as incidents. */
  private reportPartitions(untilNs: number): void {
    for (const partition of this.partitions) {
      if (partition.reported === 0 && partition.fromNs < untilNs) {
        partition.reported = 1;
        this.recordPartition(MediumIncidentKind.PartitionStart, partition.fromNs, partition);
      }
      if (partition.reported === 1 && partition.untilNs < untilNs) {
        partition.reported = 2;
        this.recordPartition(MediumIncidentKind.PartitionHeal, partition.untilNs, partition);
      }
    }
  }

  private recordPartition(
    kind: MediumIncidentKind,
    atNs: number,
    partition: CheckedPartition,
  ): void {
    this.incidents.push({
      kind,
      atNs,
      node: partition.lowestNode,
      sourceNode: -1,
      seq: -1,
      nodes: partition.spelling,
    });
  }

  /** The inner medium's incidents, then the faults'. */
  takeIncidents(): MediumIncident[] {
    const inner = this.inner.takeIncidents?.() ?? [];
    const own = this.incidents;
    if (own.length > 0) this.incidents = [];
    return inner.length === 0 ? own : inner.concat(own);
  }

  private recordIncident(kind: MediumIncidentKind, event: FrameEvent): void {
    if (this.incidents.length >= mediumIncidentsMax) {
      const counters = this.inner.counters;
      counters.incidentsLost = (counters.incidentsLost ?? 0) + 1;
      return;
    }
    const { atNs, node, sourceNode, seq } = event;
    this.incidents.push({ kind, atNs, node, sourceNode, seq });
  }

  private crossesPartition(event: FrameEvent): boolean {
    for (const partition of this.partitions) {
      if (event.atNs < partition.fromNs || event.atNs >= partition.untilNs) continue;
      if (partition.nodes.has(event.sourceNode) !== partition.nodes.has(event.node)) return true;
    }
    return false;
  }

  private corrupted(event: FrameEvent, random: SeededRandom): FrameEvent {
    this.faults.framesCorrupted++;
    this.recordIncident(MediumIncidentKind.FaultCorruption, event);
    const bytes = event.bytes.slice();
    if (bytes.length > 0) {
      const bit = random.below(bytes.length * 8);
      bytes[bit >>> 3]! ^= 1 << (bit & 7);
    }
    return { ...event, bytes };
  }
}

/** Whether any fault is asked for (a medium without them needs no decorator). */
export function hasFaults(options: Omit<FaultOptions, "seed">): boolean {
  return (
    (options.lossRate ?? 0) > 0 ||
    (options.duplicateRate ?? 0) > 0 ||
    (options.corruptRate ?? 0) > 0 ||
    (options.partitions?.length ?? 0) > 0
  );
}
