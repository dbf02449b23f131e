// Every timing constant of the network in one table (as Nachos keeps its own in stats.h):
// what a NIC costs each frame, and each medium's bit rates, gaps and delays. docs/network.md
// derives each medium's formulas and lookahead from these numbers; change them here only.

/**
 * The NIC's cost per frame, paid by every frame on every medium: 80 µs in all. Sending, the
 * driver's descriptor write, the NIC's descriptor fetch and the DMA of the frame into its
 * transmit buffer before the first bit goes out; receiving, the DMA into the receive ring and
 * the interrupt's delivery, which the transmit-done interrupt pays as well. About 1000 cycles
 * of a 25 MHz workstation of Charlotte's time on each side; it is also what makes the
 * cluster's quantum long enough for its barriers to be cheap.
 */
export const nicTransmitLatencyNs = 40_000;
export const nicReceiveLatencyNs = 40_000;
export const nicLatencyNs = nicTransmitLatencyNs + nicReceiveLatencyNs;

/** Preamble (7) and start-of-frame delimiter (1) sent before every Ethernet frame. */
export const ethernetPreambleBytes = 8;

// Shared 10 Mbit/s Ethernet (IEEE 802.3 10BASE5): 100 ns per bit.
export const ethernetBitNs = 100;
/** 96 bit times of idle carrier a station waits before it transmits. */
export const ethernetInterFrameGapNs = 96 * ethernetBitNs;
/** 512 bit times: the unit of backoff, longer than the worst round trip on a legal network. */
export const ethernetSlotTimeNs = 512 * ethernetBitNs;
/** 32 bit times of jam a station sends once it detects a collision. */
export const ethernetJamNs = 32 * ethernetBitNs;
/** One-way delay between any two stations: a 500 m segment at 0.77 c plus transceivers. */
export const ethernetPropagationNs = 2_500;
/** A station gives a frame up after this many attempts that all collided. */
export const ethernetAttemptsMax = 16;
/** Backoff draws from 0..2^min(collisions, 10) - 1 slots. */
export const ethernetBackoffExponentMax = 10;

// Token ring (IEEE 802.5 style, one token, release when the frame has come back).
export const tokenRingBitRatesMbps = [4, 16, 80] as const;
export const tokenRingDefaultBitRateMbps = 80;
/** Start delimiter, access control, frame control before the MAC frame; end delimiter, frame status after. */
export const tokenRingFrameOverheadBytes = 5;
/** Each station repeats the ring's bits through a buffer of this many bits. */
export const tokenRingStationDelayBits = 4;
/** Cable between two neighbouring stations: 100 m at 5 ns/m. */
export const tokenRingHopPropagationNs = 500;

// Switched full-duplex Ethernet (100BASE-TX, 1000BASE-T) through one store-and-forward switch.
export const switchedBitRatesMbps = [100, 1000] as const;
export const switchedDefaultBitRateMbps = 100;
/** 96 bit times between frames leaving on the same link. */
export const switchedInterFrameGapBits = 96;
/** Cable between a NIC and its switch port: 100 m at 5 ns/m. */
export const switchedLinkPropagationNs = 500;
/** From a frame's last bit in to its forwarding decision (address lookup, queueing). */
export const switchForwardingLatencyNs = 2_000;
/** Frames an output port holds, the one being sent included; an arrival beyond is dropped. */
export const switchPortQueueFrames = 64;

/** A duplicated frame (fault injection) arrives this long after the original. */
export const faultDuplicateDelayNs = 1_000;
