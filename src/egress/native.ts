/**
 * Loading the optional native packages `cap` (libpcap) and `raw-socket`. They are optionalDependencies:
 * a machine without libpcap headers still installs rstlab and can replay and run lessons. Only the live
 * commands need them, and they say exactly what is missing.
 */
import { createRequire } from 'node:module'
import { RstlabError } from '../errors.js'

const require = createRequire(import.meta.url)

const FIX = 'apt-get install libpcap-dev && npm rebuild cap raw-socket'

/** The subset of `cap` 0.2.1 rstlab uses (see node_modules/cap/src/binding.cc). */
export interface CapHandle {
  /** Opens a capture; returns the link type name ('ETHERNET', ...). Throws on error (message from libpcap). */
  open (device: string, filter: string, bufSize: number, buffer: Buffer): string
  /** pcap_sendpacket: synchronous; throws with libpcap's message on failure. */
  send (buffer: Buffer, size?: number): void
  close (): boolean
  on (event: 'packet', listener: (nbytes: number, truncated: boolean) => void): this
  removeAllListeners (event?: string): this
}

export interface CapModule {
  Cap: new () => CapHandle
}

export interface RawSocket {
  send (buffer: Buffer, offset: number, length: number, address: string,
    beforeCallback: (() => void) | null, afterCallback: (err: Error | null, bytes: number) => void): RawSocket
  setOption (level: number, option: number, value: number | Buffer, length?: number): void
  close (): RawSocket
  on (event: 'error', listener: (err: Error) => void): RawSocket
  on (event: 'message', listener: (buf: Buffer, source: string) => void): RawSocket
  pauseRecv (): RawSocket
}

export interface RawSocketModule {
  createSocket (options: { protocol?: number, addressFamily?: number, bufferSize?: number }): RawSocket
  AddressFamily: { IPv4: number, IPv6: number }
  SocketLevel: Record<string, number>
  SocketOption: Record<string, number>
}

/** @internal exported for tests: load `name` or throw RSTLAB_ERR_NATIVE_MISSING naming it. */
export function loadNative<T> (name: string): T {
  try {
    return require(name) as T
  } catch (e) {
    const why = e instanceof Error ? e.message.split('\n')[0] : String(e)
    throw new RstlabError('RSTLAB_ERR_NATIVE_MISSING',
      `the optional package \`${name}\` is not installed or did not build (${why ?? ''})`,
      `live capture needs it: ${FIX}`)
  }
}

let capModule: CapModule | undefined
let rawModule: RawSocketModule | undefined

/** @throws RstlabError RSTLAB_ERR_NATIVE_MISSING */
export function loadCap (): CapModule {
  capModule ??= loadNative<CapModule>('cap')
  return capModule
}

/** @throws RstlabError RSTLAB_ERR_NATIVE_MISSING */
export function loadRawSocket (): RawSocketModule {
  rawModule ??= loadNative<RawSocketModule>('raw-socket')
  return rawModule
}
