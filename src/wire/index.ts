/**
 * rstlab wire layer: packet codecs, checksums, sequence arithmetic, frame decode / build / format.
 * No I/O, no clocks, no logging (docs/architecture.md).
 *
 * Two ways in:
 *  - `decodeFrame(frame, linkType, summary)` — the hot path. Untrusted bytes in, one reusable
 *    `FrameSummary` out; it never throws, never reads outside the frame and allocates nothing.
 *    Problems become a typed `DecodeCode` in `summary.error`.
 *  - Per-header codecs (`EthernetFrame`, `Ipv4Packet`, `Ipv6Packet`, `TcpPacket`, `UdpPacket`,
 *    `Icmpv4Packet`, `Icmpv6Packet`, `ArpPacket`): a zero-copy view over a Buffer, a plain `Repr`,
 *    `parseX(view)` and `emitX(repr, view)`, `xHeaderLen(repr)`.
 *
 * Checked versus unchecked (after smoltcp's wire module): if `XPacket.checked(buf)` returned, no
 * accessor or setter of that view reads or writes outside `buf`. When parsing untrusted input it is
 * *necessary* to use `checked` (it throws `RstlabError` RSTLAB_ERR_TRUNCATED / RSTLAB_ERR_MALFORMED).
 * `XPacket.unchecked(buf)` skips validation and is only for buffers you sized yourself with
 * `xHeaderLen(repr)` (plus payload) before `emitX` — never for bytes from the network or a file.
 */
export * from './summary.js'
export { decodeFrame, decodeFrameAt, readSackBlock, summaryAddr, wirePayloadLen, LINKTYPE_LOOP, LINKTYPE_IPV4, LINKTYPE_IPV6 } from './decode.js'
export * from './seq.js'
export * from './addr.js'
export * from './checksum.js'
export * from './ethernet.js'
export * from './arp.js'
export * from './ipv4.js'
export * from './ipv6.js'
export * from './tcp.js'
export * from './udp.js'
export * from './icmpv4.js'
export * from './icmpv6.js'
export { buildFrame, buildIcmpErrorQuote, addressingFrom, parseTcpFlags, formatTcpFlags } from './build.js'
export type { FrameSpec, TcpSpec, UdpSpec, IcmpSpec, IcmpErrorSpec, TcpOptionsSpec, Addressing } from './build.js'
export { formatSummary, formatTcpOptions, formatTimeUs } from './format.js'
