/**
 * On-disk constants of the two capture formats rstlab reads and writes.
 *
 * Classic pcap: draft-ietf-opsawg-pcap (24-byte file header, 16-byte record headers).
 * pcapng: draft-ietf-opsawg-pcapng (blocks of `type, total length, body, total length`).
 */

/** Classic pcap magic, microsecond timestamps, as read with the writer's byte order. */
export const PCAP_MAGIC_US = 0xa1b2c3d4
/** Classic pcap magic, nanosecond timestamps. */
export const PCAP_MAGIC_NS = 0xa1b23c4d
export const PCAP_FILE_HEADER_LEN = 24
export const PCAP_RECORD_HEADER_LEN = 16

/** pcapng block types (draft-ietf-opsawg-pcapng §11.1). */
export const BT_SHB = 0x0a0d0d0a
export const BT_IDB = 0x00000001
/** Obsolete Packet Block (still written by old tools). */
export const BT_PB = 0x00000002
export const BT_SPB = 0x00000003
export const BT_EPB = 0x00000006
/** The Section Header's byte-order magic, as written by the producer. */
export const PCAPNG_BOM = 0x1a2b3c4d

/** Option codes. */
export const OPT_ENDOFOPT = 0
export const OPT_COMMENT = 1
export const IF_NAME = 2
export const IF_TSRESOL = 9
export const IF_TSOFFSET = 14
export const SHB_USERAPPL = 4

/**
 * Largest record / block rstlab accepts. A length beyond this is taken as corruption rather than
 * a reason to allocate gigabytes (libpcap and Wireshark apply similar caps: 256 KiB snaplen, 16 MiB blocks).
 */
export const MAX_RECORD_LEN = 64 * 1024 * 1024

/** Snap length written into headers: libpcap's MAXIMUM_SNAPLEN. */
export const WRITE_SNAPLEN = 262144

/** Pad a length up to the next multiple of 4 (pcapng alignment). */
export function pad4 (n: number): number {
  return (n + 3) & ~3
}
