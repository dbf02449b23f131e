// The shared memory between the coordinator and one worker thread: a control word array
// (quantum generation, command, completion, lengths) used with Atomics as the barrier, and
// one inbound and one outbound byte buffer for the quantum's batches (quantum-codec.ts).

/** Control words (Int32Array indices). The inbound batch is self-delimiting (quantum-codec.ts). */
export const enum Control {
  /** Incremented by the coordinator to start a command. */
  Generation = 0,
  Command = 1,
  /** Set to the generation by the worker when the command is done. */
  Done = 2,
  OutboundBytes = 4,
  /** 1 when the command failed: the outbound buffer holds the error text. */
  Failed = 5,
  Words = 8,
}

export const enum Command {
  Step = 1,
  Stop = 2,
}

/** Bytes of each exchange buffer: far above what one quantum of bounded NIC queues makes. */
export const exchangeBufferBytes = 32 * 1024 * 1024;

export interface ExchangeBuffers {
  control: SharedArrayBuffer;
  inbound: SharedArrayBuffer;
  outbound: SharedArrayBuffer;
}

export function createExchangeBuffers(): ExchangeBuffers {
  return {
    control: new SharedArrayBuffer(Control.Words * 4),
    inbound: new SharedArrayBuffer(exchangeBufferBytes),
    outbound: new SharedArrayBuffer(exchangeBufferBytes),
  };
}
