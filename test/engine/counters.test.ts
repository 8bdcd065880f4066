import t from 'tap'
import { Ctr, counterDefs, counterGlobalJson, formatCounterGlobal } from '../../src/engine/counters.js'

t.test('show counter global layout (docs/panos-model.md#counters), zero counters skipped', async t => {
  const text = formatCounterGlobal({ pkt_recv: 263, flow_tcp_non_syn_drop: 12, tcp_drop_packet: 0 }, counterDefs, { elapsedS: 34.999 })
  t.equal(text, [
    'Global counters:',
    'Elapsed time since last sampling: 34.999 seconds',
    '',
    'name                                   value     rate severity  category  aspect    description',
    '-'.repeat(80),
    'pkt_recv                                 263        7 info      packet    pktproc   Packets received',
    'flow_tcp_non_syn_drop                     12        0 drop      flow      session   Packets dropped: non-SYN TCP without session match',
    '-'.repeat(80),
    ' Total counters shown: 2',
    '-'.repeat(80),
    '',
  ].join('\n'))
  const delta = formatCounterGlobal({ pkt_recv: 300 }, counterDefs, { elapsedS: 1, delta: { pkt_recv: 263 }, severity: 'info' })
  t.match(delta, /pkt_recv {34}37 {7}37 info/)
  t.same(counterGlobalJson({ tcp_flag_zero: 2 }, counterDefs, { elapsedS: 2 }).counters.map(c => [c.name, c.value, c.rate, c.severity]), [['tcp_flag_zero', 2, 1, 'drop']])
})

t.test('every counter has PAN-style metadata and a unique name', async t => {
  const names = new Set(counterDefs.map(d => d.name))
  t.equal(names.size, counterDefs.length)
  for (const d of counterDefs) t.ok(d.severity && d.category && d.aspect && d.description, d.name)
  t.equal(counterDefs[Ctr.PKT_RECV]?.name, 'pkt_recv')
  t.ok(names.has('flow_ip_cksm_err') && names.has('flow_parse_ip4_truncated'))
})
