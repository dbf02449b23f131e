// What the kernel's network layer needs from the node's NIC: send a payload to one node or to
// all, and take the next payload that arrived. The adapter over vm/devices/nic.ts lives in
// nic-frame-port.ts; tests plug two ports into each other without a machine.

/** Frames to this destination reach every other node. */
export const broadcastNode = -1;

export interface ArrivedPayload {
  sourceNode: number;
  payload: Uint8Array;
}

export interface FramePort {
  /** The most payload bytes one frame carries. */
  readonly payloadBytesMax: number;
  /** False when the NIC's transmit queue is full: the caller keeps the frame and retries. */
  sendFrame(destinationNode: number, payload: Uint8Array): boolean;
  receiveFrame(): ArrivedPayload | undefined;
  /** Lowers the NIC's interrupt lines before the kernel looks at what arrived. */
  acknowledgeInterrupt(): void;
  /** Frames the NIC dropped on receive so far (bad FCS, full ring, not for us), for the trace. */
  receiveDrops(): { fcs: number; overflow: number };
}
