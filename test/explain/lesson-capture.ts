/**
 * The capture lesson 13 starts from (scenarios/lessons/13-from-a-capture.pcap), written packet by
 * packet so its truth is known: what a user's laptop (198.18.0.1) recorded while two requests went
 * to a web server 10 hops away (initial TTL 64, arriving with 54). The first request succeeds. The
 * second one — an old IIS directory-traversal URL to cmd.exe — is answered by a RST|ACK that claims
 * the server but was made by a firewall one hop away (TTL 64), right after the request: the
 * firewall's threat signature with action reset-both. The client's ACK after that is its own.
 *
 * `node build/test/explain/lesson-capture.js` rewrites the file; a test checks the shipped bytes
 * equal this output.
 */
import { writeFileSync } from 'node:fs'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { encodePcap } from '../../src/pcap/index.js'
import { buildFrame } from '../../src/wire/build.js'
import type { Sender } from '../../src/explain/index.js'

const CLIENT = '198.18.0.1'
const SERVER = '198.18.1.2'
const CMAC = '02:00:00:00:00:01'
const GWMAC = '02:00:00:00:00:fe'

export const LESSON_CAPTURE = 'scenarios/lessons/13-from-a-capture.pcap'

/** The frames, and the sender of each reset event by frame number. */
export function lessonCapture (): { pcap: Buffer, truth: Map<number, Sender> } {
  let t = 1_764_662_400_000_000 // 2025-12-02 08:00:00 UTC
  const frames: Array<{ tsUs: number, linkType: number, data: Buffer }> = []
  const truth = new Map<number, Sender>()
  let cId = 0x4a10
  let sId = 0x1c20
  const add = (dt: number, fromClient: boolean, flags: string, seq: number, ack: number, o: { payload?: string, ttl?: number, ipId?: number, win?: number, mss?: boolean } = {}): number => {
    t += dt
    frames.push({
      tsUs: t,
      linkType: 1,
      data: buildFrame({
        srcMac: fromClient ? CMAC : GWMAC, dstMac: fromClient ? GWMAC : CMAC,
        src: fromClient ? CLIENT : SERVER, dst: fromClient ? SERVER : CLIENT,
        ttl: o.ttl ?? (fromClient ? 64 : 54), ipId: o.ipId ?? (fromClient ? cId++ : sId++), df: true,
        tcp: {
          sport: fromClient ? cport : 80, dport: fromClient ? 80 : cport, flags, seq: seq >>> 0, ack: ack >>> 0,
          window: o.win ?? (fromClient ? 502 : 509), ...(o.mss === true ? { options: { mss: 1460 } } : {}),
        },
        payload: o.payload ?? 0,
      }),
    })
    return frames.length
  }
  // Request 1: a normal page.
  let cport = 51514
  let c = 0x6e2a91b3
  let s = 0x0f31c2d4
  const get1 = 'GET /index.html HTTP/1.1\r\nHost: intranet.example\r\nUser-Agent: curl/8.5.0\r\n\r\n'
  const ok = 'HTTP/1.1 200 OK\r\nContent-Type: text/html\r\nContent-Length: 22\r\n\r\n<html>it works</html>\n'
  add(0, true, 'S', c, 0, { win: 64240, mss: true })
  add(21_400, false, 'S.', s, c + 1, { win: 65160, mss: true })
  add(90, true, '.', c + 1, s + 1)
  add(160, true, 'P.', c + 1, s + 1, { payload: get1 })
  add(21_800, false, '.', s + 1, c + 1 + get1.length)
  add(950, false, 'P.', s + 1, c + 1 + get1.length, { payload: ok })
  add(70, true, '.', c + 1 + get1.length, s + 1 + ok.length)
  add(1_200, true, 'F.', c + 1 + get1.length, s + 1 + ok.length)
  add(21_500, false, 'F.', s + 1 + ok.length, c + 2 + get1.length)
  add(80, true, '.', c + 2 + get1.length, s + 2 + ok.length)
  // Request 2, four seconds later: the firewall resets it after the request.
  t += 4_000_000
  cport = 51522
  c = 0x9b07d5e1
  s = 0x44a86c10
  const get2 = 'GET /scripts/..%c0%af../winnt/system32/cmd.exe?/c+dir HTTP/1.1\r\nHost: intranet.example\r\nUser-Agent: curl/8.5.0\r\n\r\n'
  add(0, true, 'S', c, 0, { win: 64240, mss: true })
  add(21_300, false, 'S.', s, c + 1, { win: 65160, mss: true })
  add(85, true, '.', c + 1, s + 1)
  add(150, true, 'P.', c + 1, s + 1, { payload: get2 })
  // The forged RST: the firewall's TTL, its own IP ID (0), window 0, the server's next seq, 180 µs
  // after the request (the server's round trip from here is 21 ms).
  truth.set(add(180, false, 'R.', s + 1, c + 1, { ttl: 64, ipId: 0, win: 0 }), 'middlebox')
  return { pcap: encodePcap(frames), truth }
}

if (process.argv[1] !== undefined && fileURLToPath(import.meta.url) === path.resolve(process.argv[1])) {
  const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..', '..')
  writeFileSync(path.join(root, LESSON_CAPTURE), lessonCapture().pcap)
}
