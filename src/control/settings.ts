/**
 * `rstlab get|set SECTION.KEY [VALUE]` on a running bridge: the policy file's `settings:` keys, named
 * `session.timeout-tcp`, `tcp.allow-challenge-ack`, `emulator.reset-on-age-out`, ... A new value is
 * validated by the policy loader itself (`withOverrides`, the code that checks a file's `settings:`
 * section), so `set` accepts exactly what a policy file accepts and reports errors the same way.
 */
import { parse as parseYaml } from 'yaml'
import { RstlabError } from '../errors.js'
import type { Policy } from '../policy/types.js'
import { withOverrides } from '../policy/load.js'
import { EMULATOR_SPECS, SESSION_SPECS, TCP_SPECS, type SettingSpec } from '../policy/settings.js'
import { didYouMean } from '../policy/suggest.js'

const SECTIONS: Record<'session' | 'tcp' | 'emulator', readonly SettingSpec[]> = {
  session: SESSION_SPECS, tcp: TCP_SPECS, emulator: EMULATOR_SPECS,
}

/** Every key `get`/`set` know, in file order: `session.timeout-tcp`, ..., `emulator.addresses`. */
export const SETTING_KEYS: readonly string[] = [
  ...Object.entries(SECTIONS).flatMap(([sec, specs]) => specs.map(s => `${sec}.${s.key}`)),
  'emulator.addresses',
]

function splitKey (key: string): { section: 'session' | 'tcp' | 'emulator', name: string } {
  if (!SETTING_KEYS.includes(key)) {
    throw new RstlabError('RSTLAB_ERR_USAGE', `unknown setting '${key}'${didYouMean(key, SETTING_KEYS)}`,
      'settings are named SECTION.KEY as in the policy file\'s settings: section; `rstlab get` lists them all')
  }
  const dot = key.indexOf('.')
  return { section: key.slice(0, dot) as 'session' | 'tcp' | 'emulator', name: key.slice(dot + 1) }
}

/** A setting's value as a policy file would write it (booleans as yes/no, addresses as zone → prefixes). */
export function getSetting (policy: Policy, key: string): unknown {
  const { section, name } = splitKey(key)
  const values = policy.settings[section] as unknown as Record<string, unknown>
  if (name === 'addresses') {
    return Object.fromEntries([...policy.settings.emulator.addresses].map(([zone, cidrs]) => [zone, cidrs.map(c => c.text)]))
  }
  const spec = SECTIONS[section].find(s => s.key === name)!
  const v = values[spec.prop]
  return spec.kind === 'bool' ? (v === true ? 'yes' : 'no') : v
}

/** Every setting, `{ 'session.timeout-tcp': 3600, ... }`. */
export function allSettings (policy: Policy): Record<string, unknown> {
  return Object.fromEntries(SETTING_KEYS.map(k => [k, getSetting(policy, k)]))
}

/**
 * A NEW policy equal to `policy` with one setting changed. A text value is read as a YAML value (`30`
 * is a number, `yes` a word, `{trust: [198.18.0.254/24]}` a map), as it would be in the file.
 * @throws RstlabError RSTLAB_ERR_USAGE for an unknown key; PolicyError (RSTLAB_ERR_POLICY) for a value the
 *   policy loader refuses. `policy` is never modified.
 */
export function policyWithSetting (policy: Policy, key: string, value: unknown): Policy {
  const { section, name } = splitKey(key)
  let v = value
  if (typeof value === 'string') {
    try { v = parseYaml(value) } catch { v = value }
  }
  return withOverrides(policy, { [section]: { [name]: v } }, `rstlab set ${key}`)
}
