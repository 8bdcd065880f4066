import t from 'tap'
import path from 'node:path'
import { createReadStream, existsSync, readFileSync, statSync } from 'node:fs'
import { execFileSync } from 'node:child_process'
import {
  PcapWriter, PcapngWriter, openCapture, openCaptureWriter, readCaptureBuffer, type PacketToWrite,
} from '../../src/pcap/index.js'
import { buildFrame, type FrameSpec } from '../../src/wire/build.js'
import { RAW_FIELD_OPTS, requireTshark, tsharkFields } from '../helpers/tshark.js'

const T0 = 1700000000000000

/** Frames of every kind the firewall emits or forwards, built with the wire builder. */
const SPECS: Array<[string, FrameSpec]> = [
  ['v4 SYN', { src: '198.18.0.1', dst: '198.18.1.1', ttl: 64, tcp: { sport: 40000, dport: 443, seq: 1000, flags: 'S', window: 64240, options: { mss: 1460, sackPermitted: true, wscale: 7 } } }],
  ['v4 RST+ACK with data', { src: '198.18.1.1', dst: '198.18.0.1', ttl: 255, tcp: { sport: 443, dport: 40000, seq: 5000, ack: 1001, flags: 'R.', window: 0 }, payload: 'odd' }],
  ['v6 PSH+ACK', { src: '2001:db8::1', dst: '2001:db8::2', ttl: 61, tcp: { sport: 5555, dport: 80, seq: 7, ack: 9, flags: 'P.', window: 512 }, payload: 'GET / HTTP/1.1\r\n\r\n' }],
  ['vlan v4 UDP', { vlans: [100], src: '198.18.0.9', dst: '198.18.0.10', udp: { sport: 5353, dport: 53 }, payload: 'query' }],
  ['QinQ v6 UDP', { vlans: [10, 20], src: '2001:db8::9', dst: '2001:db8::a', udp: { sport: 1000, dport: 2000 }, payload: 33 }],
  ['v4 ICMP echo', { src: '198.18.0.1', dst: '198.18.0.2', icmp: { type: 8, code: 0, id: 1, seqNo: 2 }, payload: 'ping' }],
  ['v6 ICMPv6 unreachable', { src: '2001:db8::fe', dst: '2001:db8::1', icmp: { type: 1, code: 1 }, payload: 48 }],
  ['raw v4 FIN', { link: 'raw', src: '198.18.0.1', dst: '198.18.1.1', tcp: { sport: 1, dport: 2, seq: 0xfffffff0, ack: 0x80000000, flags: 'F.' } }],
]

function packets (): PacketToWrite[] {
  return SPECS.map(([name, spec], i) => ({
    tsUs: T0 + i * 1234567,
    linkType: spec.link === 'raw' ? 101 : 1,
    data: buildFrame(spec),
    comment: i % 2 === 0 ? `rstlab forged: rule=r${i} action=reset-both trigger=${name} ✓` : undefined,
  }))
}

const CHECK_OPTS = ['-o', 'tcp.check_checksum:TRUE', '-o', 'ip.check_checksum:TRUE', '-o', 'udp.check_checksum:TRUE', ...RAW_FIELD_OPTS]
const FIELDS = ['frame.number', 'frame.time_epoch', 'frame.comment', 'frame.len', 'frame.protocols', 'ip.checksum.status',
  'tcp.checksum.status', 'udp.checksum.status', 'icmp.checksum.status', 'icmpv6.checksum.status', 'tcp.seq', 'tcp.ack', 'tcp.flags', 'ieee8021ad.id', 'vlan.id']

t.test('rstlab-written pcapng and pcap read back identically and open in tshark with good checksums', async t => {
  const dir = t.testdir({})
  const pkts = packets()
  const ngPath = path.join(dir, 'out.pcapng')
  const ng = await PcapngWriter.open(ngPath)
  for (const p of pkts) await ng.write(p)
  await ng.close()
  await ng.close() // twice is harmless
  // Classic pcap holds one link type: write the Ethernet frames only.
  const eth = pkts.filter(p => p.linkType === 1)
  const pcPath = path.join(dir, 'out.pcap')
  const pc = await PcapWriter.open(pcPath)
  for (const p of eth) await pc.write(p)
  await pc.close()

  const back = readCaptureBuffer(readFileSync(ngPath))
  t.same(back.warnings, [])
  t.same(back.records.map(r => [r.tsUs, r.linkType, r.comment]), pkts.map(p => [p.tsUs, p.linkType, p.comment]), 'pcapng: timestamps, link types, comments')
  t.ok(back.records.every((r, i) => r.data.equals(pkts[i]!.data)), 'pcapng: bytes')
  const backPc = readCaptureBuffer(readFileSync(pcPath))
  t.equal(backPc.format, 'pcap')
  t.ok(backPc.records.length === eth.length && backPc.records.every((r, i) => r.data.equals(eth[i]!.data) && r.tsUs === eth[i]!.tsUs), 'pcap: bytes and timestamps')

  if (!requireTshark(t)) return
  for (const [file, expect] of [[ngPath, pkts], [pcPath, eth]] as const) {
    const rows = await tsharkFields(file, FIELDS, CHECK_OPTS)
    t.equal(rows.length, expect.length, `${path.basename(file)}: tshark reads every packet`)
    rows.forEach((row, i) => {
      const p = expect[i]!
      const name = `${path.basename(file)} #${i + 1}`
      t.equal(row['frame.time_epoch']![0], `${Math.floor(p.tsUs / 1e6)}.${String(p.tsUs % 1e6).padStart(6, '0')}000`, `${name}: timestamp`)
      t.equal(Number(row['frame.len']![0]), p.data.length, `${name}: length`)
      t.notMatch(row['frame.protocols']![0], /malformed/, `${name}: not malformed (${row['frame.protocols']![0]})`)
      // Checksum status 1 = Good (0 Bad, 2 Unverified). Every present checksum must be good,
      // including those of the IP header quoted inside the ICMP error.
      const statuses = ['ip', 'tcp', 'udp', 'icmp', 'icmpv6'].flatMap(pr => row[`${pr}.checksum.status`]!)
      t.ok(statuses.length > 0 && statuses.every(v => v === '1'), `${name}: checksums good (${statuses.join(',')})`)
      if (file === ngPath) t.same(row['frame.comment']!, p.comment === undefined ? [] : [p.comment], `${name}: comment`)
    })
    const seqs = rows.filter(r => r['tcp.seq']!.length > 0).map(r => [r['tcp.seq']![0], r['tcp.ack']![0]])
    t.ok(seqs.length > 0, 'TCP packets present')
  }
  const rows = await tsharkFields(ngPath, FIELDS, CHECK_OPTS)
  t.same([rows[4]!['ieee8021ad.id'], rows[4]!['vlan.id']], [['10'], ['20']], 'QinQ tags (802.1ad outer, 802.1Q inner)')
  t.same(rows[7]!['tcp.seq'], [String(0xfffffff0)], 'raw-IP FIN seq')
})

t.test('a writer mixing link types opens one pcapng interface per (link type, name)', async t => {
  const dir = t.testdir({})
  const f = path.join(dir, 'mix.pcapng')
  const w = await PcapngWriter.open(f)
  const frame = buildFrame({ src: '198.18.0.1', dst: '198.18.0.2', udp: { sport: 1, dport: 2 } })
  const raw = buildFrame({ link: 'raw', src: '198.18.0.1', dst: '198.18.0.2', udp: { sport: 1, dport: 2 } })
  await w.write({ tsUs: 1, linkType: 1, data: frame, interfaceName: 'a' })
  await w.write({ tsUs: 2, linkType: 1, data: frame, interfaceName: 'b' })
  await w.write({ tsUs: 3, linkType: 101, data: raw })
  await w.write({ tsUs: 4, linkType: 1, data: frame, interfaceName: 'a' })
  await w.close()
  const recs = readCaptureBuffer(readFileSync(f)).records
  t.same(recs.map(r => [r.interfaceId, r.linkType]), [[0, 1], [1, 1], [2, 101], [0, 1]])
  if (!requireTshark(t)) return
  const rows = await tsharkFields(f, ['frame.interface_name', 'frame.protocols'])
  t.same(rows.map(r => r['frame.interface_name']![0]), ['a', 'b', 'unknown', 'a'], 'tshark sees the interface names (none given → unknown)')
})

t.test('writers: backpressure over many packets, empty files, bad paths, link-type mismatch', async t => {
  const dir = t.testdir({})
  const big = path.join(dir, 'big.pcapng')
  const w = await openCaptureWriter(big)
  t.ok(w instanceof PcapngWriter, '.pcapng → PcapngWriter')
  const data = Buffer.alloc(1400, 0xab)
  const n = 20000 // ~28 MB: far beyond the stream's high-water mark, so write() must wait for 'drain'
  for (let i = 0; i < n; i++) await w.write({ tsUs: i, linkType: 1, data })
  await w.close()
  t.ok(statSync(big).size > n * 1400, 'all bytes flushed by close()')
  const reader = await openCapture(big)
  let count = 0
  for await (const r of reader) { if (r.tsUs === count && r.caplen === 1400) count++ }
  t.equal(count, n, 'every packet streamed back in order')

  for (const [name, open] of [['pcap', async (p: string) => await PcapWriter.open(p)], ['pcapng', async (p: string) => await PcapngWriter.open(p)]] as const) {
    const empty = path.join(dir, `empty.${name}`)
    const ew = await open(empty)
    await ew.close()
    const c = readCaptureBuffer(readFileSync(empty))
    t.same([c.format, c.records.length, c.warnings.length], [name, 0, 0], `empty ${name} is a valid capture`)
  }
  await t.rejects(PcapngWriter.open(path.join(dir, 'no', 'such', 'dir.pcapng')), { code: 'RSTLAB_ERR_IO' })
  const pw = await PcapWriter.open(path.join(dir, 'one.pcap'))
  await pw.write({ tsUs: 0, linkType: 1, data })
  await t.rejects(pw.write({ tsUs: 1, linkType: 101, data }), { code: 'RSTLAB_ERR_USAGE' }, 'pcap holds one link type')
  await pw.close()
  await t.rejects(pw.write({ tsUs: 2, linkType: 1, data }), { code: 'RSTLAB_ERR_USAGE' }, 'write after close')
})

t.test('writers: a pipe gets the chunks in order, and a full disk is an error, not a hang', async t => {
  const dir = t.testdir({})
  const fifo = path.join(dir, 'fifo')
  execFileSync('mkfifo', [fifo])
  const got: Buffer[] = []
  const reading = new Promise<void>((resolve, reject) => {
    const rs = createReadStream(fifo)
    rs.on('data', (c) => { got.push(c as Buffer) })
    rs.on('end', () => { resolve() })
    rs.on('error', reject)
  })
  const w = await PcapngWriter.open(fifo)
  const n = 20000 // ~28 MB: many chunks, each must wait its turn on a pipe
  const data = Buffer.alloc(1400, 0xcd)
  for (let i = 0; i < n; i++) if (!w.writeFrame(i, 0, 1, data, 0, data.length, data.length)) await w.drained()
  await w.close()
  await reading
  const back = readCaptureBuffer(Buffer.concat(got)).records
  t.equal(back.length, n, 'every packet came through the pipe')
  t.ok(back.every((r, i) => r.tsUs === i), 'in order')

  if (existsSync('/dev/full')) {
    const full = await PcapngWriter.open('/dev/full')
    let err: unknown
    try {
      for (let i = 0; i < n; i++) if (!full.writeFrame(i, 0, 1, data, 0, data.length, data.length)) await full.drained()
      await full.close()
    } catch (e) { err = e }
    t.match(err, { code: 'RSTLAB_ERR_IO', message: /ENOSPC/ }, 'ENOSPC is reported as RSTLAB_ERR_IO')
    await t.rejects(full.close(), { code: 'RSTLAB_ERR_IO' }, 'close() after the failure reports it again, promptly')
  }
})

t.test('big-endian output reads back (reader byte-order coverage)', async t => {
  const dir = t.testdir({})
  const f = path.join(dir, 'be.pcapng')
  const w = await PcapngWriter.open(f, { bigEndian: true })
  const pk = packets()
  for (const p of pk) await w.write(p)
  await w.close()
  const c = readCaptureBuffer(readFileSync(f))
  t.same(c.records.map(r => [r.tsUs, r.comment]), pk.map(p => [p.tsUs, p.comment]))
  if (!requireTshark(t)) return
  const rows = await tsharkFields(f, ['frame.comment'])
  t.equal(rows.length, pk.length, 'tshark reads the big-endian file')
})
