/**
 * Capture files: streaming pcap/pcapng reader (`openCapture`) and writers (`PcapngWriter`, `PcapWriter`).
 * Does no decoding: records carry raw frames plus their link type; `wire/decodeFrame` decodes them.
 */
export { openCapture, CaptureFileReader, readCaptureBuffer, iterateCaptureBuffer, RecordView, plausibleTimeUs, MAX_PLAUSIBLE_US } from './reader.js'
export type { ReadOptions, CaptureContents, CaptureFormat, CaptureRecord, CaptureWarning } from './reader.js'
export {
  PcapngWriter, PcapWriter, PcapngEncoder, PcapEncoder, ChunkOut, encodePcapng, encodePcap, openCaptureWriter,
} from './writer.js'
export type { PacketToWrite, WriterOptions } from './writer.js'
