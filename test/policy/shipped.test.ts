import t from 'tap'
import { readdirSync } from 'node:fs'
import path from 'node:path'
import { REPO_ROOT } from '../helpers/shared.js'
import { loadPolicyFile } from '../../src/policy/load.js'
import { cidrContains, parseCidr } from '../../src/policy/cidr.js'
import type { Cidr } from '../../src/policy/types.js'

const ALLOWED = ['198.18.0.0/15', '2001:db8::/32'].map(s => parseCidr(s) as Cidr)

t.test('shipped policies use only 198.18.0.0/15 and 2001:db8::/32', async t => {
  const dir = path.join(REPO_ROOT, 'policies')
  for (const f of readdirSync(dir).filter(x => x.endsWith('.yaml'))) {
    const p = loadPolicyFile(path.join(dir, f))
    t.same(p.warnings, [], `${f}: no warnings`)
    const cidrs: Cidr[] = []
    for (const z of p.zones) cidrs.push(...z.networks)
    for (const r of p.rules) {
      if (r.source !== 'any') cidrs.push(...r.source)
      if (r.destination !== 'any') cidrs.push(...r.destination)
    }
    for (const list of p.settings.emulator.addresses.values()) cidrs.push(...list)
    for (const c of cidrs) t.ok(ALLOWED.some(a => cidrContains(a, c)), `${f}: ${c.text} is a lab address`)
  }
})

t.test('the labs are configured as their comments say', async t => {
  const ca = loadPolicyFile(path.join(REPO_ROOT, 'policies', 'challenge-ack.yaml'))
  t.equal(ca.settings.tcp.allowChallengeAck, false)
  t.ok(ca.settings.session.timeoutTcp < 60, 'short timeout-tcp so the session ages')
  const di = loadPolicyFile(path.join(REPO_ROOT, 'policies', 'drop-icmp.yaml'))
  const drop = di.rules.find(r => r.name === 'drop-dns')!
  t.same([drop.action, drop.icmpUnreachable], ['drop', true])
  t.ok(di.settings.emulator.addresses.get('trust')?.some(c => c.version === 4), 'firewall IPv4 address in the client zone')
  t.ok(di.settings.emulator.addresses.get('trust')?.some(c => c.version === 6), 'and IPv6')
  const bf = loadPolicyFile(path.join(REPO_ROOT, 'policies', 'block-ftp.yaml'))
  t.same([bf.rules[0]!.action, bf.rules[0]!.service], ['reset-client', [{ kind: 'port', proto: 'tcp', ranges: [[21, 21]], text: 'tcp/21' }]])
})
