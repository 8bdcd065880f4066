/**
 * PAN-OS import/export (src/policy/import/): both readers, the mapping, the report, the round trip, and a
 * real public configuration (iron-skillet, test/fixtures/panos/iron-skillet) whose XML and set forms must
 * import to the same policy.
 */
import t from 'tap'
import type { Test } from 'tap'
import { spawnSync } from 'node:child_process'
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { REPO_ROOT } from '../helpers/shared.js'
import { compilePolicy, loadPolicyFile } from '../../src/policy/load.js'
import { importPolicyFile, importPolicyText } from '../../src/policy/import/index.js'
import { exportSet, exportXml } from '../../src/policy/import/export.js'
import { parseXml } from '../../src/policy/import/xml.js'
import { rangeToCidrs } from '../../src/policy/import/map.js'
import { parseAddr } from '../../src/policy/cidr.js'
import { fingerprint } from './fingerprint.js'
import { key } from './helpers.js'

const FIX = path.join(REPO_ROOT, 'test', 'fixtures', 'panos')
const IS = path.join(FIX, 'iron-skillet')
const BIN = path.join(REPO_ROOT, 'bin', 'rstlab.js')
const run = (...args: string[]): { code: number | null, out: string, err: string } => {
  const r = spawnSync(process.execPath, [BIN, ...args], { cwd: REPO_ROOT, encoding: 'utf8' })
  return { code: r.status, out: r.stdout, err: r.stderr }
}
const set = (text: string, file = 'cfg.set'): ReturnType<typeof importPolicyText> => importPolicyText(text, file, { format: 'set' })
const xml = (text: string, file = 'cfg.xml'): ReturnType<typeof importPolicyText> => importPolicyText(text, file, { format: 'xml' })
const throwsAt = (t: Test, f: () => unknown, where: string, msg: RegExp): void => {
  try { f(); t.fail(`expected an error at ${where}`) } catch (e) {
    t.equal((e as { code?: string }).code, 'RSTLAB_ERR_IMPORT', 'RSTLAB_ERR_IMPORT')
    t.equal((e as Error).message.slice(0, where.length + 1), `${where}:`, `at ${where}`)
    t.match((e as Error).message, msg)
  }
}

// The same configuration written both ways, by hand from the documented formats.
const LAB_SET = `configure
set zone trust network layer3 [ ethernet1/1 ]
set network profiles zone-protection-profile edge flood tcp-syn enable yes
set network profiles zone-protection-profile edge flood tcp-syn syn-cookies activate-rate 100 alarm-rate 50
set network profiles zone-protection-profile edge discard-ip-frag yes
set zone untrust network zone-protection-profile edge
set zone untrust network layer3 ethernet1/2
set zone wire network virtual-wire [ ethernet1/3 ethernet1/4 ]
set network interface ethernet ethernet1/1 layer3 ip 198.18.0.254/24
set network interface ethernet ethernet1/2 layer3 ip 198.18.1.254/24
set address web ip-netmask 198.18.1.2/32
set address "web range" ip-range 198.18.1.10-198.18.1.13
set address-group servers static [ web "web range" ]
set address far fqdn www.example.com
set service tcp-8443 protocol tcp port 8443
set service-group web-ports members [ tcp-8443 service-https ]
set rulebase security rules "block ftp" from trust to untrust source any destination servers application ftp service application-default action reset-client
set rulebase security rules web from trust to untrust destination [ servers far ] application any service web-ports action allow log-setting default
set rulebase security rules web tag Outbound
set rulebase security rules quiet from trust to untrust service service-http action drop icmp-unreachable yes negate-destination yes destination web
set rulebase security rules lan from trust rule-type intrazone action deny
set rulebase security rules old disabled yes action allow
set rulebase security rules users from trust source-user "acme\\\\bob" action allow
set rulebase nat rules snat from trust to untrust
set rulebase default-security-rules rules interzone-default action reset-both
set deviceconfig setting session timeout-tcp 30 timeout-udp 40
set deviceconfig setting session accelerated-aging-enable no
set deviceconfig setting tcp allow-challenge-ack yes
set deviceconfig setting tcp urgent-data oobinline
commit
exit
`
const LAB_XML = `<?xml version="1.0"?>
<config version="10.1.0">
  <devices>
    <entry name="localhost.localdomain">
      <network>
        <profiles><zone-protection-profile><entry name="edge">
          <flood><tcp-syn><enable>yes</enable><syn-cookies><activate-rate>100</activate-rate><alarm-rate>50</alarm-rate></syn-cookies></tcp-syn></flood>
          <discard-ip-frag>yes</discard-ip-frag>
        </entry></zone-protection-profile></profiles>
        <interface><ethernet>
          <entry name="ethernet1/1"><layer3><ip><entry name="198.18.0.254/24"/></ip></layer3></entry>
          <entry name="ethernet1/2"><layer3><ip><entry name="198.18.1.254/24"/></ip></layer3></entry>
        </ethernet></interface>
      </network>
      <deviceconfig><setting>
        <session><timeout-tcp>30</timeout-tcp><timeout-udp>40</timeout-udp><accelerated-aging-enable>no</accelerated-aging-enable></session>
        <tcp><allow-challenge-ack>yes</allow-challenge-ack><urgent-data>oobinline</urgent-data></tcp>
      </setting></deviceconfig>
      <vsys><entry name="vsys1">
        <zone>
          <entry name="trust"><network><layer3><member>ethernet1/1</member></layer3></network></entry>
          <entry name="untrust"><network><layer3><member>ethernet1/2</member></layer3><zone-protection-profile>edge</zone-protection-profile></network></entry>
          <entry name="wire"><network><virtual-wire><member>ethernet1/3</member><member>ethernet1/4</member></virtual-wire></network></entry>
        </zone>
        <address>
          <entry name="web"><ip-netmask>198.18.1.2/32</ip-netmask></entry>
          <entry name="web range"><ip-range>198.18.1.10-198.18.1.13</ip-range></entry>
          <entry name="far"><fqdn>www.example.com</fqdn></entry>
        </address>
        <address-group><entry name="servers"><static><member>web</member><member>web range</member></static></entry></address-group>
        <service><entry name="tcp-8443"><protocol><tcp><port>8443</port></tcp></protocol></entry></service>
        <service-group><entry name="web-ports"><members><member>tcp-8443</member><member>service-https</member></members></entry></service-group>
        <rulebase>
          <security><rules>
            <entry name="block ftp">
              <from><member>trust</member></from><to><member>untrust</member></to>
              <source><member>any</member></source><destination><member>servers</member></destination>
              <application><member>ftp</member></application><service><member>application-default</member></service>
              <action>reset-client</action>
            </entry>
            <entry name="web">
              <from><member>trust</member></from><to><member>untrust</member></to>
              <destination><member>servers</member><member>far</member></destination>
              <application><member>any</member></application><service><member>web-ports</member></service>
              <action>allow</action><log-setting>default</log-setting><tag><member>Outbound</member></tag>
            </entry>
            <entry name="quiet">
              <from><member>trust</member></from><to><member>untrust</member></to>
              <destination><member>web</member></destination><negate-destination>yes</negate-destination>
              <service><member>service-http</member></service><action>drop</action><icmp-unreachable>yes</icmp-unreachable>
            </entry>
            <entry name="lan"><from><member>trust</member></from><rule-type>intrazone</rule-type><action>deny</action></entry>
            <entry name="old"><disabled>yes</disabled><action>allow</action></entry>
            <entry name="users"><from><member>trust</member></from><source-user><member>acme\\bob</member></source-user><action>allow</action></entry>
          </rules></security>
          <nat><rules><entry name="snat"><from><member>trust</member></from><to><member>untrust</member></to></entry></rules></nat>
          <default-security-rules><rules><entry name="interzone-default"><action>reset-both</action></entry></rules></default-security-rules>
        </rulebase>
      </entry></vsys>
    </entry>
  </devices>
</config>
`

t.test('set commands and XML of one configuration import to the same policy', async t => {
  const a = set(LAB_SET)
  const b = xml(LAB_XML)
  t.same(fingerprint(a.policy), fingerprint(b.policy))
  t.same(a.doc, b.doc, 'same policy document')
  const p = a.policy
  t.same(p.zones.map(z => [z.name, z.type, z.interfaces]), [['trust', 'layer3', ['ethernet1/1']], ['untrust', 'layer3', ['ethernet1/2']],
    ['wire', 'virtual-wire', ['ethernet1/3', 'ethernet1/4']]])
  t.same(p.zones[0]!.networks.map(c => c.text), ['198.18.0.0/24'], 'a layer3 interface address gives its zone the connected network')
  t.same(p.settings.emulator.addresses.get('trust')!.map(c => c.text), ['198.18.0.254/24'], "and is the firewall's own address")
  t.equal(p.settings.session.timeoutTcp, 30)
  t.equal(p.zones[1]!.zoneProtectionProfile, 'edge')
  t.same(p.zoneProtection?.get('edge')?.flood['tcp-syn'], { enable: true, action: 'syn-cookies', alarmRate: 50, activateRate: 100, maximalRate: 1_000_000 })
  t.equal(p.zoneProtection?.get('edge')?.discardIpFrag, true)
  t.equal(p.settings.session.timeoutUdp, 40)
  t.equal(p.settings.session.acceleratedAging, false)
  t.equal(p.settings.tcp.allowChallengeAck, true)
  t.same(p.rules.map(r => r.name), ['block ftp', 'web', 'quiet', 'lan', 'old'], 'rules in order; the user-restricted rule is left out')
  const [ftp, web, quiet, lan, old] = p.rules
  t.same(ftp!.destination === 'any' ? [] : ftp!.destination.map(c => c.text), ['198.18.1.2', '198.18.1.10/31', '198.18.1.12/31'],
    'the group resolves to the host and the range as prefixes')
  t.same(ftp!.application, ['ftp'])
  t.same(ftp!.service, [{ kind: 'application-default' }])
  t.equal(ftp!.action, 'reset-client')
  t.same(web!.service.map(s => s.kind === 'port' ? s.text : s.kind), ['tcp/8443', 'tcp/443'], 'service group flattened, service-https = tcp/443')
  t.same(web!.destination === 'any' ? [] : web!.destination.length, 3, 'the FQDN member is left out, the others kept')
  t.same(quiet!.service.map(s => s.kind === 'port' ? s.ranges : s.kind), [[[80, 80], [8080, 8080]]], 'service-http = tcp/80,8080')
  t.equal(quiet!.negateDestination, true)
  t.equal(quiet!.icmpUnreachable, true)
  t.equal(lan!.ruleType, 'intrazone')
  t.equal(old!.disabled, true)
  t.same(p.defaultRules, { intrazone: { action: 'allow', icmpUnreachable: false }, interzone: { action: 'reset-both', icmpUnreachable: false } })
  // The report: every left-out thing with its line, both forms.
  for (const [r, lines] of [[a, LAB_SET], [b, LAB_XML]] as const) {
    const text = lines.split('\n')
    const find = (what: RegExp): { line: number, why: string } | undefined => {
      const x = r.report.find(e => what.test(e.what))
      return x === undefined ? undefined : { line: x.pos.line, why: x.why }
    }
    for (const [what, why, onLine] of [
      [/rulebase nat/, /NAT/, 'snat'],
      [/'web' log-setting/, /logging/, 'log-setting'],
      [/'web' tag/, /tags/, 'Outbound'],
      [/'web' destination 'far'/, /FQDN/, 'far'],
      [/'users' source-user/, /User-ID|user identity/, 'bob'],
      [/urgent-data/, /no equivalent/, 'urgent-data'],
    ] as const) {
      const hit = find(what)
      t.ok(hit, `${r.format}: reported ${what}`)
      if (hit === undefined) continue
      t.match(hit.why, why, `${r.format}: why for ${what}`)
      t.match(text[hit.line - 1], onLine, `${r.format}: ${what} is reported at its line (${hit.line})`)
    }
    t.ok(r.report.some(e => e.what === "rulebase security rules 'users'" && /not imported/.test(e.why)), `${r.format}: the rule itself is reported`)
  }
})

t.test('the imported rules behave as PAN-OS rules do', async t => {
  const p = set(LAB_SET).policy
  t.equal(p.lookup(key('trust', 'untrust', '198.18.0.1', '198.18.1.11', 'tcp', 21, 'ftp')).ruleName, 'block ftp')
  t.equal(p.lookup(key('trust', 'untrust', '198.18.0.1', '198.18.1.2', 'tcp', 80)).ruleName, 'interzone-default', 'negated destination: web itself is not matched')
  t.equal(p.lookup(key('trust', 'untrust', '198.18.0.1', '198.18.1.99', 'tcp', 80)).ruleName, 'quiet', 'any other destination is')
  t.equal(p.lookup(key('trust', 'untrust', '198.18.0.1', '198.18.1.99', 'tcp', 80)).icmpUnreachable, true)
  t.equal(p.lookup(key('trust', 'trust', '198.18.0.1', '198.18.0.2', 'udp', 53)).ruleName, 'lan', 'intrazone rule within trust')
  t.equal(p.lookup(key('trust', 'untrust', '198.18.0.1', '198.18.1.99', 'udp', 53)).ruleName, 'interzone-default', 'intrazone rule not across zones')
  const m = p.lookup(key('untrust', 'trust', '198.18.1.1', '198.18.0.1', 'udp', 53))
  t.same([m.ruleName, m.action], ['interzone-default', 'reset-both'], 'the disabled allow rule never matches; overridden default applies')
})

t.test('set semantics: members add, leaves replace, delete removes, edit prefixes', async t => {
  const base = 'set zone a network layer3 e1\nset zone b network layer3 e2\n'
  const r = set(base + 'set rulebase security rules r from a to b application ftp action allow\n' +
    'set rulebase security rules r application ssh\nset rulebase security rules r application [ ssl ftp ]\n' +
    'set rulebase security rules r action drop\n')
  t.same(r.policy.rules[0]!.application, ['ftp', 'ssh', 'ssl'], 'two set lines on a member list give both; duplicates once')
  t.equal(r.policy.rules[0]!.action, 'drop', 'a second set on a leaf replaces it')
  const d = set(base + 'set rulebase security rules r application [ ftp ssh ] action allow\nset rulebase security rules s action deny\n' +
    'delete rulebase security rules r application ftp\ndelete rulebase security rules s\n')
  t.same(d.policy.rules.map(x => [x.name, x.application]), [['r', ['ssh']]], 'delete removes a member, and a whole rule')
  const e = set('admin@PA-VM# configure\n' + base + 'edit rulebase security rules "my rule"\nset from a to b\nset action reset-server\ntop\n' +
    'admin@PA-VM# set rulebase security rules "x y" action deny description "say \\"hi\\""\n')
  t.same(e.policy.rules.map(x => [x.name, x.action, x.from]), [['my rule', 'reset-server', ['a']], ['x y', 'deny', 'any']], 'edit/top and prompts')
  t.equal(e.policy.rules[1]!.description, 'say "hi"', 'escaped quotes inside a quoted word')
})

t.test('malformed input: file:line:col, RSTLAB_ERR_IMPORT', async t => {
  throwsAt(t, () => set('set zone a network layer3 e1\nset rulebase security rules "open action allow\n'), 'cfg.set:2:29', /quote " is never closed/)
  throwsAt(t, () => set('set zone a network layer3 [ e1 e2\n'), 'cfg.set:1:27', /'\[' opened for 'layer3' is never closed/)
  throwsAt(t, () => set('set zone a network layer3 e1\nshow running\n'), 'cfg.set:2:1', /unknown configure-mode command 'show'/)
  throwsAt(t, () => set('set address h ip-netmask {{ HOST_IP }}\n'), 'cfg.set:1:26', /template placeholder '\{\{ HOST_IP \}\}'/)
  throwsAt(t, () => set('set rulebase security rules r from nowhere action allow\n'), 'cfg.set:1:36', /unknown zone 'nowhere'/)
  throwsAt(t, () => xml('<config>\n  <devices>\n  </device>\n</config>\n'), 'cfg.xml:3:3', /<\/device> does not match <devices> opened at line 2:3/)
  throwsAt(t, () => xml('<config>\n <a b=1/>\n</config>'), 'cfg.xml:2:7', /must be in quotes/)
  throwsAt(t, () => xml('<config>\n  <x>a & b</x></config>'), 'cfg.xml:2:8', /bare '&'/)
  throwsAt(t, () => xml('<config>\n  <shared>'), 'cfg.xml:2:11', /end of file inside <shared>/)
  throwsAt(t, () => xml('<response><result><foo/></result></response>'), 'cfg.xml:1:1', /not <config>/)
})

t.test('vsys selection', async t => {
  const two = '<config><devices><entry name="d"><vsys><entry name="vsys1"><zone><entry name="a"><network><layer3/></network></entry></zone></entry>' +
    '<entry name="vsys2"><zone><entry name="b"><network><tap><member>e9</member></tap></network></entry></zone></entry></vsys></entry></devices></config>'
  t.same(xml(two).policy.zones.map(z => z.name), ['a'], 'vsys1 by default')
  t.ok(xml(two).report.some(r => r.what === "vsys 'vsys2'"), 'the other vsys is reported')
  const v2 = importPolicyText(two, 'two.xml', { vsys: 'vsys2' })
  t.same(v2.policy.zones.map(z => [z.name, z.type]), [['b', 'tap']])
  throwsAt(t, () => importPolicyText(two, 'two.xml', { vsys: 'vsys9' }), 'two.xml:1:1', /no vsys 'vsys9'/)
})

t.test('XML reader: entities, CDATA, comments, positions', async t => {
  const d = parseXml('<?xml version="1.0"?>\n<!-- c -->\n<config a=\'1\'>\n  <x name="a&amp;b">t&lt;&#65;&#x42;<![CDATA[<raw>]]></x>\n</config>\n', 'f.xml')
  const x = d.root.children[0]!
  t.same([x.tag, x.name, x.text, x.pos.line, x.pos.col], ['x', 'a&b', 't<AB<raw>', 4, 3])
  t.same(d.comments.map(c => [c.text, c.pos.line]), [['c', 2]])
})

t.test('ip-range objects become the fewest covering prefixes', async t => {
  const r = (a: string, b: string): string[] => rangeToCidrs(parseAddr(a)!, parseAddr(b)!)
  t.same(r('198.18.0.0', '198.18.0.255'), ['198.18.0.0/24'])
  t.same(r('198.18.0.1', '198.18.0.6'), ['198.18.0.1', '198.18.0.2/31', '198.18.0.4/31', '198.18.0.6'])
  t.same(r('2001:db8::', '2001:db8::ffff'), ['2001:db8::/112'])
})

t.test('iron-skillet: the XML and the set-command day-one configurations import to the same policy', async t => {
  const a = importPolicyFile(path.join(IS, 'iron_skillet_panos_full.xml'))
  const b = importPolicyFile(path.join(IS, 'iron_skillet_panos_full.conf'))
  t.same(fingerprint(a.policy), fingerprint(b.policy))
  // (The documents differ in one place only: the XML spells out the default flood rates, the set form leaves them out.)
  t.same(a.policy.defaultRules, { intrazone: { action: 'allow', icmpUnreachable: false }, interzone: { action: 'drop', icmpUnreachable: false } },
    'its default-rule overrides')
  t.equal(a.policy.settings.tcp.dropZeroFlag, true)
  t.equal(b.policy.rules.length, 0, 'its two block rules match only external dynamic lists, so they are not imported …')
  const edl = b.report.filter(r => /panw-.*-ip-list/.test(r.what))
  t.equal(edl.length, 6, '… and each list is reported (3 per rule)')
  for (const e of edl) t.match(e.why, /external dynamic list/)
  const lines = readFileSync(path.join(IS, 'iron_skillet_panos_full.conf'), 'utf8').split('\n')
  for (const e of b.report) t.ok(lines[e.pos.line - 1]!.length >= e.pos.col, `report position ${e.pos.line}:${e.pos.col} is inside the file`)
  for (const r of [a, b]) {
    const zp = r.policy.zoneProtection?.get('Recommended_Zone_Protection')
    t.ok(zp, `${r.format}: the zone protection profile is imported`)
    t.same([zp?.discardIpSpoof, zp?.discardMalformedOption, zp?.removeTcpTimestamp, zp?.stripMptcpOption], [true, true, true, 'global'])
    t.same(zp?.scan, [
      { id: 8001, action: 'alert', interval: 2, threshold: 100 },
      { id: 8002, action: 'alert', interval: 10, threshold: 100 },
      { id: 8003, action: 'alert', interval: 2, threshold: 100 },
    ], `${r.format}: its reconnaissance protection (scan) entries are imported`)
    t.notOk(r.report.some(x => /scan/.test(x.what)), `${r.format}: and not reported as not imported`)
  }
  for (const [r, want] of [
    [a, /profiles spyware 'Outbound-AS'/], [b, /profiles spyware 'Outbound-AS'/], [a, /rulebase decryption rules 'NO-Decrypt URL Categories'/],
    [b, /mgt-config/], [a, /deviceconfig setting tcp strip-mptcp-option/]] as const) {
    t.ok(r.report.some(x => want.test(x.what)), `${r.format} reports ${want}`)
  }
  throwsAt(t, () => importPolicyFile(path.join(IS, 'template_head.conf')), `${path.join(IS, 'template_head.conf')}:7:34`, /\{\{ FW_NAME \}\}/)
})

t.test('scan entries: set form (a later action replaces the earlier one) and XML (pan-os-php\'s sample entry) import alike', async t => {
  const cfg = `set zone u network layer3 ethernet1/1
set zone u network zone-protection-profile z
set network profiles zone-protection-profile z scan 8001 action alert
set network profiles zone-protection-profile z scan 8001 action block-ip track-by source
set network profiles zone-protection-profile z scan 8001 action block-ip duration 3600
set network profiles zone-protection-profile z scan 8001 interval 2
set network profiles zone-protection-profile z scan 8001 threshold 100
set network profiles zone-protection-profile z scan 8002 action block
set network profiles zone-protection-profile z scan-white-list nessus ipv4 198.18.0.9
`
  const a = set(cfg)
  t.same(a.policy.zoneProtection?.get('z')?.scan, [
    { id: 8001, action: 'block-ip', interval: 2, threshold: 100, trackBy: 'source', duration: 3600 },
    { id: 8002, action: 'block', interval: 10, threshold: 100 },
  ])
  t.same(a.policy.zoneProtection?.get('z')?.scanWhiteList.map(w => [w.name, w.cidr.text]), [['nessus', '198.18.0.9']])
  t.same(a.report.filter(r => /scan/.test(r.what)), [], 'nothing about scans is left out')
  const b = xml(`<config><devices><entry name="localhost.localdomain"><network><profiles><zone-protection-profile><entry name="z"><scan>
<entry name="8001"><action><block-ip><track-by>source</track-by><duration>3600</duration></block-ip></action><interval>2</interval><threshold>100</threshold></entry>
<entry name="8002"><action><block/></action></entry></scan>
<scan-white-list><entry name="nessus"><ipv4>198.18.0.9</ipv4></entry></scan-white-list></entry></zone-protection-profile></profiles></network>
<vsys><entry name="vsys1"><zone><entry name="u"><network><layer3><member>ethernet1/1</member></layer3><zone-protection-profile>z</zone-protection-profile></network></entry></zone></entry></vsys>
</entry></devices></config>`)
  t.same(fingerprint(b.policy), fingerprint(a.policy))
  throwsAt(t, () => set('set network profiles zone-protection-profile z scan 8001 threshold 1\n'), 'cfg.set:1:53', /'threshold' is 1, outside its range 2–65535/)
})

t.test('import(export(p)) is p, for every shipped policy and every imported one', async t => {
  const files = [
    ...readdirSync(path.join(REPO_ROOT, 'policies')).filter(f => f.endsWith('.yaml')).map(f => path.join(REPO_ROOT, 'policies', f)),
    ...readdirSync(path.join(REPO_ROOT, 'lab', 'policies')).filter(f => f.endsWith('.yaml')).map(f => path.join(REPO_ROOT, 'lab', 'policies', f)),
  ]
  t.ok(files.length >= 8)
  const policies = files.map(f => ({ name: path.relative(REPO_ROOT, f), p: loadPolicyFile(f) }))
  policies.push({ name: 'lab set', p: set(LAB_SET).policy }, { name: 'lab xml', p: xml(LAB_XML).policy },
    { name: 'iron-skillet', p: importPolicyFile(path.join(IS, 'iron_skillet_panos_full.xml')).policy },
    { name: 'extensions', p: compilePolicy({
      description: 'every field',
      settings: { session: { 'max-sessions': 100, 'icmp-unreachable-rate': 5, 'accelerated-aging-threshold': 90, 'accelerated-aging-scaling-factor': 4, 'tcp-reject-non-syn': false },
        tcp: { 'asymmetric-path': 'bypass', 'drop-zero-flag': false }, emulator: { 'forged-ttl': 200, 'reset-on-age-out': 'both', addresses: { v: ['198.18.0.1/24'] } } },
      zones: { t: { type: 'tap', networks: ['any'], 'zone-protection-profile': 'edge' }, u: { type: 'virtual-wire', interfaces: ['a b', 'c'], networks: ['2001:db8::/48'] }, v: { networks: ['198.18.0.0/24'] } },
      'zone-protection-profiles': { edge: { flood: { 'tcp-syn': { enable: true, 'syn-cookies': { 'alarm-rate': 5, 'activate-rate': 0, 'maximal-rate': 9 } },
        udp: { enable: true } }, 'discard-ip-frag': true, 'discard-tcp-syn-with-data': false, 'tcp-reject-non-syn': 'no', description: 'edge',
        scan: { 8001: { action: { 'block-ip': { 'track-by': 'source-and-destination', duration: 120 } }, threshold: 20 }, 8002: { action: 'block' },
          8003: { action: 'allow', interval: 9 }, 8006: { threshold: 4 } },
        'scan-white-list': { 'scan ner': { ipv4: '198.18.0.9' }, six: { ipv6: '2001:db8::/64' } } } },
      'default-rules': { 'intrazone-default': { action: 'drop', 'icmp-unreachable': true } },
      threats: { signatures: [{ name: 's--1', content: 'a -- b <&>', offset: 1, depth: 20, direction: 'c2s', service: ['tcp/80'], severity: 'high', action: 'reset-both' }], profiles: { p: ['s--1'] } },
      rules: [
        { name: 'w e b', from: ['t'], to: ['u'], source: ['198.18.0.0/24', '2001:db8::1'], 'negate-source': true, application: ['ssl', 'web-browsing'],
          service: ['application-default', 'tcp/1-1024,8080', 'udp/53'], action: 'allow', profile: 'p', description: 'a "quoted" & <odd> one' },
        { name: 'intra', from: ['u'], 'rule-type': 'intrazone', action: 'reset-both', disabled: true },
        { name: 'inter', 'rule-type': 'interzone', destination: ['198.18.1.0/24'], 'negate-destination': true, action: 'drop', 'icmp-unreachable': true },
      ],
    }, '<all>') })
  for (const { name, p } of policies) {
    const viaSet = set(exportSet(p), `${name}.set`).policy
    const viaXml = xml(exportXml(p), `${name}.xml`).policy
    t.same(fingerprint(viaSet), fingerprint(p), `${name}: via set commands`)
    t.same(fingerprint(viaXml), fingerprint(p), `${name}: via XML`)
  }
})

t.test('CLI: policy import writes YAML, lists what was not imported, --json; bad input exits 2 and writes nothing', async t => {
  const dir = mkdtempSync(path.join(tmpdir(), 'rstlab-import-'))
  t.teardown(() => rmSync(dir, { recursive: true, force: true }))
  const cfg = path.join(dir, 'fw.set')
  writeFileSync(cfg, LAB_SET)
  const out = path.join(dir, 'fw.yaml')
  const r = run('policy', 'import', cfg, '-o', out)
  t.equal(r.code, 0, r.err)
  t.match(r.out, new RegExp(`${cfg}:24:24: not imported: rulebase nat rules 'snat': NAT`))
  t.match(r.out, /imported set commands \(vsys vsys1\): 3 zones, 5 rules; \d+ not imported; wrote/)
  t.same(fingerprint(loadPolicyFile(out)), fingerprint(set(LAB_SET).policy), 'the YAML written loads to the same policy')
  const j = run('policy', 'import', cfg, '--json')
  t.equal(j.code, 0)
  const parsed = JSON.parse(j.out) as { notImported: Array<{ line: number, what: string }>, summary: { rules: number } }
  t.equal(parsed.summary.rules, 5)
  t.ok(parsed.notImported.some(x => x.line === 24 && /snat/.test(x.what)))
  const c = run('policy', 'check', cfg)
  t.equal(c.code, 0)
  t.match(c.out, /ok: 3 zones, 5 rules, 0 signatures; \d+ items not imported/)
  const bad = path.join(dir, 'bad.set')
  writeFileSync(bad, 'set zone a network layer3 e1\nset address x ip-netmask {{ X }}\n')
  const out2 = path.join(dir, 'bad.yaml')
  const b = run('policy', 'import', bad, '-o', out2)
  t.equal(b.code, 2)
  t.match(b.err, new RegExp(`${bad}:2:26: template placeholder`))
  t.notOk(existsSync(out2), 'nothing written')
  const x = run('policy', 'export', 'policies/block-ftp.yaml', '--format', 'xml')
  t.equal(x.code, 0)
  t.match(x.out, /<entry name="block-ftp">/)
})
