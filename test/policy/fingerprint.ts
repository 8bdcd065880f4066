/**
 * A canonical, comparable form of a compiled policy: everything the engine uses, nothing about where it
 * came from (source file, positions, warnings, the original spelling of an address or service).
 */
import type { Cidr, Policy, Service } from '../../src/policy/types.js'

const cidr = (c: Cidr): string => `${c.version}:${Array.from(c.bytes).join('.')}/${c.prefix}`
const svc = (s: Service): string => s.kind === 'port' ? `${s.proto}:${s.ranges.map(r => r.join('-')).join(',')}` : s.kind

export function fingerprint (p: Policy): unknown {
  return {
    settings: {
      session: p.settings.session,
      tcp: p.settings.tcp,
      emulator: { ...p.settings.emulator, addresses: [...p.settings.emulator.addresses].map(([z, cs]) => [z, cs.map(cidr)]).sort() },
    },
    zones: p.zones.map(z => ({ name: z.name, type: z.type, interfaces: z.interfaces, networks: z.networks.map(cidr), any: z.anyNetwork, zp: z.zoneProtectionProfile })),
    zoneProtection: [...(p.zoneProtection ?? new Map())].map(([n, z]) => [n, { ...z, where: undefined }]),
    rules: p.rules.map(r => ({
      name: r.name, index: r.index, from: r.from, to: r.to,
      source: r.source === 'any' ? 'any' : r.source.map(cidr),
      destination: r.destination === 'any' ? 'any' : r.destination.map(cidr),
      application: r.application, service: r.service.map(svc), action: r.action, icmp: r.icmpUnreachable,
      negSrc: r.negateSource === true, negDst: r.negateDestination === true, type: r.ruleType ?? 'universal',
      disabled: r.disabled === true, profile: r.profile, description: r.description,
    })),
    defaults: p.defaultRules,
    threats: {
      signatures: p.threats.signatures.map(s => ({ ...s, content: s.content.toString('hex'), service: s.service.map(svc), where: undefined })),
      profiles: [...p.threats.profiles],
    },
  }
}
