import t from 'tap'
import { compilePolicy, loadPolicyText } from '../../src/policy/load.js'
import { diags, onlyError } from './helpers.js'

t.test('defaults: an empty profile has PAN-OS defaults, floods off, syn/synack-with-data discarded', async t => {
  const p = loadPolicyText('zone-protection-profiles:\n  edge: {}\nzones:\n  u: { networks: [any], zone-protection-profile: edge }\n', 'x.yaml')
  const z = p.zoneProtection!.get('edge')!
  t.equal(p.zones[0]!.zoneProtectionProfile, 'edge')
  t.same(z.flood['tcp-syn'], { enable: false, action: 'red', alarmRate: 10000, activateRate: 10000, maximalRate: 40000 })
  t.same(z.flood.udp, { enable: false, action: 'red', alarmRate: 10000, activateRate: 10000, maximalRate: 40000 })
  t.equal(z.discardTcpSynWithData, true)
  t.equal(z.discardTcpSynackWithData, true)
  t.equal(z.discardIpSpoof, false)
  t.equal(z.tcpRejectNonSyn, 'global')
  t.equal(z.asymmetricPath, 'global')
  t.equal(z.stripMptcpOption, 'global')
})

t.test('syn-cookies take their own defaults (activate 0, maximal 1000000); the PAN-OS tree maps key for key', async t => {
  const p = compilePolicy({
    'zone-protection-profiles': {
      edge: {
        flood: {
          'tcp-syn': { enable: 'yes', 'syn-cookies': { 'alarm-rate': 50 } },
          icmp: { enable: true, red: { 'alarm-rate': 5, 'activate-rate': 10, 'maximal-rate': 20 } },
        },
        'discard-ip-frag': 'yes',
        'tcp-reject-non-syn': 'no',
        'asymmetric-path': 'bypass',
        'strip-mptcp-option': 'yes',
        'discard-tcp-syn-with-data': 'no',
      },
    },
  })
  const z = p.zoneProtection!.get('edge')!
  t.same(z.flood['tcp-syn'], { enable: true, action: 'syn-cookies', alarmRate: 50, activateRate: 0, maximalRate: 1_000_000 })
  t.same(z.flood.icmp, { enable: true, action: 'red', alarmRate: 5, activateRate: 10, maximalRate: 20 })
  t.equal(z.discardIpFrag, true)
  t.equal(z.tcpRejectNonSyn, 'no')
  t.equal(z.asymmetricPath, 'bypass')
  t.equal(z.stripMptcpOption, 'yes')
  t.equal(z.discardTcpSynWithData, false)
})

const P = 'zone-protection-profiles:\n  edge:\n'
const CASES: Array<[string, string, number, string, RegExp]> = [
  ['unknown option', P + '    discard-ip-frg: yes\n', 3, 'discard-ip-frg', /did you mean 'discard-ip-frag'/],
  ['unknown flood type', P + '    flood: { tcp-sin: {} }\n', 3, 'tcp-sin', /did you mean 'tcp-syn'/],
  ['syn-cookies outside tcp-syn', P + '    flood: { udp: { syn-cookies: {} } }\n', 3, 'syn-cookies', /unknown key 'syn-cookies' in flood udp/],
  ['both actions', P + '    flood: { tcp-syn: { red: {}, syn-cookies: {} } }\n', 3, 'syn-cookies', /both 'red' and 'syn-cookies'/],
  ['RED activate 0', P + '    flood: { udp: { red: { activate-rate: 0 } } }\n', 3, '0 }', /outside its range 1–2000000/],
  ['rate too high', P + '    flood: { icmp: { red: { maximal-rate: 2000001 } } }\n', 3, '2000001', /outside its range 1–2000000/],
  ['activate above maximal', P + '    flood: { udp: { red: { activate-rate: 500, maximal-rate: 100 } } }\n', 3, '500', /activate-rate 500 is above maximal-rate 100/],
  ['bad enum', P + '    tcp-reject-non-syn: maybe\n', 3, 'maybe', /must be one of global, yes, no/],
  ['bad bool', P + '    discard-ip-spoof: 3\n', 3, '3', /must be yes or no/],
  ['unknown scan id', P + '    scan: { 8004: {} }\n', 3, '8004', /scan entry '8004'.*not a reconnaissance protection threat ID; use one of 8001 \(TCP Port Scan\)/],
  ['scan threshold too low', P + '    scan: { 8001: { threshold: 1 } }\n', 3, '1 }', /'threshold' is 1, outside its range 2–65535/],
  ['scan interval too high', P + '    scan: { 8002: { interval: 70000 } }\n', 3, '70000', /'interval' is 70000, outside its range 2–65535/],
  ['bad scan action', P + '    scan: { 8001: { action: drop } }\n', 3, 'drop', /'action' must be one of allow, alert, block, block-ip, not "drop"/],
  ['block-ip as a word', P + '    scan: { 8001: { action: block-ip } }\n', 3, 'block-ip', /block-ip needs track-by and duration; write action: \{ block-ip: \{ track-by: source, duration: 60 \} \}/],
  ['block-ip without duration', P + '    scan: { 8001: { action: { block-ip: { track-by: source } } } }\n', 3, '{ track-by', /block-ip needs both track-by.*missing duration/],
  ['block-ip duration 0', P + '    scan: { 8001: { action: { block-ip: { track-by: source, duration: 0 } } } }\n', 3, '0 }', /'duration' is 0, outside its range 1–3600/],
  ['block-ip bad track-by', P + '    scan: { 8001: { action: { block-ip: { track-by: dest, duration: 5 } } } }\n', 3, 'dest', /'track-by' must be one of source, source-and-destination/],
  ['two actions', P + '    scan: { 8001: { action: { alert: {}, block: {} } } }\n', 3, '{ alert', /exactly one of allow, alert, block, block-ip \(it names alert and block\)/],
  ['white-list bad address', P + '    scan-white-list: { a: { ipv4: 198.18.0.300 } }\n', 3, '198.18.0.300', /scan-white-list entry 'a'.*'198.18.0.300' is not an IPv4 or IPv6 address/],
  ['white-list wrong family', P + '    scan-white-list: { a: { ipv4: "2001:db8::1" } }\n', 3, '"2001', /IPv6 address under ipv4; put it under ipv6/],
  ['white-list both', P + '    scan-white-list: { a: { ipv4: 198.18.0.1, ipv6: "::1" } }\n', 3, '{ ipv4', /exactly one of ipv4 or ipv6 \(it has both\)/],
  ['bad profile name', 'zone-protection-profiles:\n  "bad name": {}\n', 2, '"bad', /must start with a letter or digit/],
  ['undefined profile', P + '    {}\nzones:\n  u: { networks: [any], zone-protection-profile: edg }\n', 5, 'edg }', /'edg', which is not defined.*did you mean 'edge'/],
]

for (const [what, yaml, line, token, re] of CASES) {
  t.test(`error: ${what}`, async t => {
    const d = onlyError(yaml)
    t.equal(d.line, line, 'line')
    const text = yaml.split('\n')[line - 1]!
    t.equal(d.col, text.indexOf(token) + 1, 'column')
    t.match(d.message, re)
  })
}

t.test('PAN-OS keys rstlab does not model load with a warning, not an error', async t => {
  const ds = diags(P + '    ipv6: { anycast-source: yes }\n    flood: { sctp-init: { enable: yes } }\n')
  t.same(ds.map(d => [d.severity, d.line]), [['warning', 3], ['warning', 4]])
  t.match(ds[0]!.message, /'ipv6'.*does not model/)
  t.match(ds[1]!.message, /sctp-init.*does not model/)
})

t.test('scan: PAN-OS defaults per threat ID, actions as words or the PAN-OS one-key map, block-ip, the white list', async t => {
  const p = loadPolicyText(`zone-protection-profiles:
  edge:
    scan:
      8001: {}
      8002: { action: block, threshold: 20 }
      "8003": { action: { block-ip: { track-by: source-and-destination, duration: 60 } }, interval: 5 }
      8006: { action: { allow: {} } }
    scan-white-list:
      scanner: { ipv4: 198.18.0.9 }
      lab6: { ipv6: "2001:db8::/64" }
`, 'x.yaml')
  const z = p.zoneProtection!.get('edge')!
  t.same(z.scan, [
    { id: 8001, action: 'alert', interval: 2, threshold: 100 },
    { id: 8002, action: 'block', interval: 10, threshold: 20 },
    { id: 8003, action: 'block-ip', interval: 5, threshold: 100, trackBy: 'source-and-destination', duration: 60 },
    { id: 8006, action: 'allow', interval: 2, threshold: 100 },
  ])
  t.same(z.scanWhiteList.map(w => [w.name, w.cidr.text, w.cidr.prefix]), [['scanner', '198.18.0.9', 32], ['lab6', '2001:db8::/64', 64]])
  t.same(loadPolicyText('zone-protection-profiles: { e: {} }\n', 'y.yaml').zoneProtection!.get('e')!.scan, [], 'no entries: nothing configured')
  const many = Object.fromEntries(Array.from({ length: 21 }, (_, i) => [`h${i}`, { ipv4: `198.18.0.${i + 1}` }]))
  const d = onlyError(`zone-protection-profiles:\n  e:\n    scan-white-list: ${JSON.stringify(many)}\n`)
  t.match(d.message, /has 21 entries; PAN-OS allows at most 20/)
})
