/**
 * The `settings:` section: PAN-OS defaults and the accepted ranges (see docs/panos-model.md#timers and the TCP sections there), keyed by the
 * YAML (kebab-case) names, which are a contract (issue #3).
 */
import type { EmulatorSettings, SessionSettings, Settings, TcpSettings } from './types.js'

/** One scalar setting: its YAML key, the camelCase property, and what values it takes. */
export type SettingSpec =
  | { key: string, prop: string, kind: 'int', min: number, max: number, note?: string }
  | { key: string, prop: string, kind: 'bool' }
  | { key: string, prop: string, kind: 'enum', values: readonly string[] }

const MAX_TIMEOUT = 15_999_999

/** `settings.session` keys. Ranges are the PAN-OS ones (see docs/panos-model.md#timers); the last three are rstlab extensions. */
export const SESSION_SPECS: readonly SettingSpec[] = [
  { key: 'timeout-tcp', prop: 'timeoutTcp', kind: 'int', min: 1, max: MAX_TIMEOUT },
  { key: 'timeout-tcpinit', prop: 'timeoutTcpinit', kind: 'int', min: 1, max: 60 },
  { key: 'timeout-tcphandshake', prop: 'timeoutTcphandshake', kind: 'int', min: 1, max: 60 },
  { key: 'timeout-tcp-half-closed', prop: 'timeoutTcpHalfClosed', kind: 'int', min: 1, max: 604_800 },
  { key: 'timeout-tcp-time-wait', prop: 'timeoutTcpTimeWait', kind: 'int', min: 1, max: 600 },
  { key: 'timeout-tcp-unverified-rst', prop: 'timeoutTcpUnverifiedRst', kind: 'int', min: 1, max: 600 },
  { key: 'timeout-udp', prop: 'timeoutUdp', kind: 'int', min: 1, max: MAX_TIMEOUT },
  { key: 'timeout-icmp', prop: 'timeoutIcmp', kind: 'int', min: 1, max: MAX_TIMEOUT },
  { key: 'timeout-default', prop: 'timeoutDefault', kind: 'int', min: 1, max: MAX_TIMEOUT },
  { key: 'timeout-discard-tcp', prop: 'timeoutDiscardTcp', kind: 'int', min: 1, max: MAX_TIMEOUT },
  { key: 'timeout-discard-udp', prop: 'timeoutDiscardUdp', kind: 'int', min: 1, max: MAX_TIMEOUT },
  { key: 'timeout-discard-default', prop: 'timeoutDiscardDefault', kind: 'int', min: 1, max: MAX_TIMEOUT },
  { key: 'tcp-reject-non-syn', prop: 'tcpRejectNonSyn', kind: 'bool' },
  // rstlab's table is an in-memory array per session slot; 16 M slots is far beyond any lab.
  { key: 'max-sessions', prop: 'maxSessions', kind: 'int', min: 1, max: 16_777_216 },
  { key: 'accelerated-aging', prop: 'acceleratedAging', kind: 'bool' },
  // PAN-OS GUI ranges: threshold 50–99 %, scaling factor a power of two 2–16 (checked below).
  { key: 'accelerated-aging-threshold', prop: 'acceleratedAgingThreshold', kind: 'int', min: 50, max: 99 },
  { key: 'accelerated-aging-scaling-factor', prop: 'acceleratedAgingScalingFactor', kind: 'int', min: 2, max: 16, note: 'pow2' },
  { key: 'icmp-unreachable-rate', prop: 'icmpUnreachableRate', kind: 'int', min: 1, max: 65_535 },
]

export const TCP_SPECS: readonly SettingSpec[] = [
  { key: 'allow-challenge-ack', prop: 'allowChallengeAck', kind: 'bool' },
  { key: 'asymmetric-path', prop: 'asymmetricPath', kind: 'enum', values: ['drop', 'bypass'] },
  { key: 'drop-zero-flag', prop: 'dropZeroFlag', kind: 'bool' },
]

/** `settings.emulator` scalar keys (`addresses` is a map of zone → prefixes, handled by the compiler). */
export const EMULATOR_SPECS: readonly SettingSpec[] = [
  { key: 'forged-ttl', prop: 'forgedTtl', kind: 'int', min: 1, max: 255 },
  { key: 'forged-hop-limit', prop: 'forgedHopLimit', kind: 'int', min: 1, max: 255 },
  { key: 'reset-before-handshake', prop: 'resetBeforeHandshake', kind: 'bool' },
  { key: 'reset-on-age-out', prop: 'resetOnAgeOut', kind: 'enum', values: ['none', 'client', 'server', 'both'] },
  { key: 'icmp-unreachable-tcp', prop: 'icmpUnreachableTcp', kind: 'bool' },
]

export function defaultSessionSettings (): SessionSettings {
  return {
    timeoutTcp: 3600,
    timeoutTcpinit: 5,
    timeoutTcphandshake: 10,
    timeoutTcpHalfClosed: 120,
    timeoutTcpTimeWait: 15,
    timeoutTcpUnverifiedRst: 30,
    timeoutUdp: 30,
    timeoutIcmp: 6,
    timeoutDefault: 30,
    timeoutDiscardTcp: 90,
    timeoutDiscardUdp: 60,
    timeoutDiscardDefault: 60,
    tcpRejectNonSyn: true,
    maxSessions: 65536,
    acceleratedAging: true,
    acceleratedAgingThreshold: 80,
    acceleratedAgingScalingFactor: 2,
    icmpUnreachableRate: 200,
  }
}

export function defaultTcpSettings (): TcpSettings {
  return { allowChallengeAck: false, asymmetricPath: 'drop', dropZeroFlag: true }
}

export function defaultEmulatorSettings (): EmulatorSettings {
  return { forgedTtl: 64, forgedHopLimit: 64, resetBeforeHandshake: true, resetOnAgeOut: 'none', icmpUnreachableTcp: true, addresses: new Map() }
}

/** Every setting at its PAN-OS default (rstlab's own defaults for the `emulator` section). A fresh object each call. */
export function defaultSettings (): Settings {
  return { session: defaultSessionSettings(), tcp: defaultTcpSettings(), emulator: defaultEmulatorSettings() }
}

/**
 * The time-wait timer the engine should use: PAN-OS accepts a time-wait larger than half-closed but
 * caps it at the half-closed value (see docs/panos-model.md#time-wait). The configured value is kept in
 * `SessionSettings.timeoutTcpTimeWait` so `show` output matches the file.
 */
export function effectiveTimeWait (s: SessionSettings): number {
  return Math.min(s.timeoutTcpTimeWait, s.timeoutTcpHalfClosed)
}
