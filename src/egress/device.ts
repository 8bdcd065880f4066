/**
 * What the live runner sends frames through. A bridge port (`ingress/live.ts`, `LivePort`: the same
 * libpcap handle that captures on the interface sends out of it) and the L3 injector (`egress/l3.ts`,
 * raw sockets) are both a `Device`; `egress/output.ts` picks the device for each frame and counts
 * the outcome.
 */

/**
 * How a send went, as a constant (no allocation on the forwarding path): 'ok'; 'too-big' (over the
 * egress MTU); 'down' (interface down); 'gone' (interface removed); 'not-ip' (an L3 device was handed
 * a frame without an IP packet); 'other'.
 */
export type SendOutcome = 'ok' | 'too-big' | 'down' | 'gone' | 'not-ip' | 'other'

export interface Device {
  /** The interface the device sends out of ('' for an L3 injector the kernel routes). */
  readonly name: string
  /** Send the first `len` bytes of the Ethernet frame `frame`. Never throws. */
  send (frame: Buffer, len: number): SendOutcome
  close (): void
}
