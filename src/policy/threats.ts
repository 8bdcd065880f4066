/**
 * The `threats:` section (issue #6): custom content signatures and the profiles that group them.
 *
 * ```yaml
 * threats:
 *   signatures:
 *     - { name: evil-get, content: "GET /evil", offset: 0, depth: 200, direction: c2s, service: [tcp/80],
 *         severity: high, action: reset-both }
 *     - { name: bad-bytes, hex: "de ad be ef", action: drop }
 *   profiles:
 *     strict: [evil-get, bad-bytes]
 * ```
 * Defaults: direction both, service any, severity medium, action alert (log only, as a PAN-OS custom
 * signature whose action is left at "alert").
 */
import type { Severity, ThreatAction, ThreatConfig, ThreatSignature } from './types.js'
import type { Ctx, Entry } from './yamlctx.js'
import { serviceList } from './lists.js'
import { didYouMean } from './suggest.js'

export const THREAT_ACTIONS: readonly ThreatAction[] = ['alert', 'allow', 'drop', 'reset-client', 'reset-server', 'reset-both']
export const SEVERITIES: readonly Severity[] = ['informational', 'low', 'medium', 'high', 'critical']
const DIRECTIONS = ['c2s', 's2c', 'both'] as const
const SIG_KEYS = ['name', 'description', 'content', 'hex', 'offset', 'depth', 'direction', 'service', 'severity', 'action']
const NAME_RE = /^[A-Za-z0-9][A-Za-z0-9_.-]{0,62}$/
/** Stream offsets are counted in bytes; 16 MiB is far beyond what a lab flow inspects. */
const MAX_STREAM = 16 * 1024 * 1024

export function compileThreats (ctx: Ctx, e: Entry): ThreatConfig {
  const out: ThreatConfig = { signatures: [], profiles: new Map() }
  const f = ctx.fields(e.value, e.path, ['signatures', 'profiles'], 'threats')
  if (f === undefined) return out
  const sigsE = f.get('signatures')
  const seen = new Map<string, unknown>()
  for (const { node, path } of (sigsE === undefined ? [] : ctx.seq(sigsE, 'signatures (each a map with name, content or hex, …)') ?? [])) {
    const sig = compileSignature(ctx, node, path, seen)
    if (sig !== undefined) out.signatures.push(sig)
  }
  const profE = f.get('profiles')
  if (profE !== undefined) {
    const names = [...seen.keys()]
    const pf = ctx.fields(profE.value, profE.path, [], 'threats.profiles', true)
    for (const [pname, pe] of pf ?? []) {
      if (!NAME_RE.test(pname)) {
        ctx.error(pe.keyNode, pe.path, `profile name '${pname}' must start with a letter or digit and hold only letters, digits, '.', '_' or '-'`)
        continue
      }
      // A profile with errors is still entered (with its good names), so rules using it are not blamed too;
      // the errors already stop the policy from loading.
      const items = ctx.list(pe) ?? []
      const good = items.filter(it => {
        if (seen.has(it.text)) return true
        ctx.error(it.node, it.path, `profile '${pname}' names signature '${it.text}', which is not defined under threats.signatures` +
          `${didYouMean(it.text, names)}; defined signatures: ${names.length === 0 ? '(none)' : names.join(', ')}`)
        return false
      })
      out.profiles.set(pname, [...new Set(good.map(i => i.text))])
    }
  }
  return out
}

function compileSignature (ctx: Ctx, node: unknown, path: string, seen: Map<string, unknown>): ThreatSignature | undefined {
  const f = ctx.fields(node, path, SIG_KEYS, 'a signature')
  if (f === undefined) return undefined
  const before = ctx.errorCount
  const nameE = f.get('name')
  let name: string | undefined
  if (nameE === undefined) ctx.error(node, path, 'signature has no name; add name: SOME-NAME')
  else {
    name = ctx.string(nameE)
    if (name !== undefined && !NAME_RE.test(name)) {
      ctx.error(ctx.at(nameE), nameE.path, `signature name '${name}' must start with a letter or digit and hold only letters, digits, '.', '_' or '-'`)
    } else if (name !== undefined && seen.has(name)) {
      ctx.error(ctx.at(nameE), nameE.path, `duplicate signature name '${name}' (first used at ${ctx.lineOf(seen.get(name), path)})`)
    } else if (name !== undefined) seen.set(name, ctx.at(nameE))
  }
  const label = name === undefined ? path : `signature '${name}'`
  const contentE = f.get('content')
  const hexE = f.get('hex')
  let content: Buffer | undefined
  if ((contentE === undefined) === (hexE === undefined)) {
    ctx.error(hexE === undefined ? node : ctx.at(hexE), path, `${label} needs exactly one of content: "text" or hex: "de ad be ef"`)
  } else if (contentE !== undefined) {
    const text = ctx.string(contentE)
    if (text !== undefined) content = Buffer.from(text, 'utf8')
  } else if (hexE !== undefined) {
    const text = ctx.string(hexE)
    if (text !== undefined) {
      const digits = text.replace(/[\s:]/g, '')
      if (!/^([0-9a-fA-F]{2})+$/.test(digits)) {
        ctx.error(ctx.at(hexE), hexE.path, `hex '${text}' must be pairs of hex digits, optionally separated by spaces or ':'`)
      } else content = Buffer.from(digits, 'hex')
    }
  }
  const offE = f.get('offset')
  const depE = f.get('depth')
  const offset = offE === undefined ? undefined : ctx.int(offE, 0, MAX_STREAM)
  const depth = depE === undefined ? undefined : ctx.int(depE, 1, MAX_STREAM)
  if (depE !== undefined && depth !== undefined && content !== undefined && (offset ?? 0) + content.length > depth) {
    ctx.error(ctx.at(depE), depE.path, `${label} can never match: content of ${content.length} bytes at offset ${offset ?? 0} ` +
      `does not fit within depth ${depth}`)
  }
  const dirE = f.get('direction')
  const direction = dirE === undefined ? 'both' : ctx.enumOf(dirE, DIRECTIONS)
  const service = serviceList(ctx, f.get('service'), 'any', 'signature')
  const sevE = f.get('severity')
  const severity = sevE === undefined ? 'medium' : ctx.enumOf(sevE, SEVERITIES)
  const actE = f.get('action')
  const action = actE === undefined ? 'alert' : ctx.enumOf(actE, THREAT_ACTIONS)
  if (f.has('description')) ctx.string(f.get('description')!)
  if (ctx.errorCount > before || name === undefined || content === undefined || direction === undefined ||
      service === undefined || severity === undefined || action === undefined) return undefined
  const sig: ThreatSignature = { name, content, direction, service, severity, action, where: ctx.where(node, path) }
  if (offset !== undefined) sig.offset = offset
  if (depth !== undefined) sig.depth = depth
  return sig
}
