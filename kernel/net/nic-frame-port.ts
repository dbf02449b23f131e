// The frame port over the node's NIC (vm/devices/nic.ts): kernel payloads travel in Ethernet
// II frames of sterna's own ethertype; frames of any other type are not the kernel's and are
// dropped (counted by the port). Node numbers map to MAC addresses one to one.

import type { Nic } from "../../vm/devices/nic.ts";
import { payloadBytesMax } from "../../vm/fabric/ethernet-frame.ts";
import { broadcastMac, macForNode, nodeForMac } from "../../vm/fabric/mac-address.ts";
import { type ArrivedPayload, broadcastNode, type FramePort } from "./frame-port.ts";

/** IEEE's local experimental ethertype: kernel-to-kernel traffic. */
export const sternaEtherType = 0x88b5;

export class NicFramePort implements FramePort {
  readonly payloadBytesMax = payloadBytesMax;
  /** Frames of another ethertype, dropped. */
  foreignFrames = 0;

  constructor(
    private readonly nic: Nic,
    private readonly nowNs: () => number,
    /** Traces each frame sent ("frame-out") and taken ("frame-in"). */
    private readonly trace?: (event: string, fields: Record<string, number>) => void,
  ) {}

  sendFrame(destinationNode: number, payload: Uint8Array): boolean {
    const destination =
      destinationNode === broadcastNode ? broadcastMac : macForNode(destinationNode);
    const sent = this.nic.send(destination, sternaEtherType, payload, this.nowNs());
    if (sent) this.trace?.("frame-out", { to: destinationNode, bytes: payload.length });
    return sent;
  }

  receiveFrame(): ArrivedPayload | undefined {
    for (let frame = this.nic.receive(); frame; frame = this.nic.receive()) {
      if (frame.etherType === sternaEtherType) {
        const sourceNode = nodeForMac(frame.sourceMac);
        this.trace?.("frame-in", { from: sourceNode, bytes: frame.payload.length });
        return { sourceNode, payload: frame.payload };
      }
      this.foreignFrames++;
    }
    return undefined;
  }

  acknowledgeInterrupt(): void {
    this.nic.acknowledge();
  }

  receiveDrops(): { fcs: number; overflow: number } {
    return { fcs: this.nic.counters.fcsDrops, overflow: this.nic.counters.rxOverflowDrops };
  }
}
