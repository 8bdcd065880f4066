/**
 * The list-valued fields of rules and signatures: zones, addresses, applications, services.
 * Each is `any` (key left out, `any`, or `[any]`) or a list of entries; `any` mixed with entries is an
 * error, as in PAN-OS.
 */
import type { Cidr, Service } from './types.js'
import type { Ctx, Entry, Item } from './yamlctx.js'
import { parseCidr } from './cidr.js'
import { parseService } from './service.js'
import { didYouMean } from './suggest.js'
import { APPS, UNDECIDED_APPS } from './apps.js'

/** `any`, or a list that is either `[any]` or names only; 'any' mixed with names is an error as in PAN-OS. */
function anyOrList (ctx: Ctx, e: Entry | undefined): Item[] | 'any' | undefined {
  if (e === undefined) return 'any'
  const items = ctx.list(e)
  if (items === undefined) return undefined
  if (items.some(i => i.text === 'any')) {
    if (items.length === 1) return 'any'
    const i = items.find(x => x.text === 'any')!
    ctx.error(i.node, i.path, `'${e.key}' mixes 'any' with other entries; use either any or a list of entries`)
    return undefined
  }
  return items
}

/** `from`/`to`: `any` or names of zones defined under `zones`. */
export function zoneList (ctx: Ctx, e: Entry | undefined, zoneNames: readonly string[],
  zoneSet: ReadonlySet<string> = new Set(zoneNames)): string[] | 'any' | undefined {
  const items = anyOrList(ctx, e)
  if (items === undefined || items === 'any') return items
  let ok = true
  for (const it of items) {
    if (!zoneSet.has(it.text)) {
      ctx.error(it.node, it.path, `unknown zone '${it.text}'${didYouMean(it.text, zoneNames)}; defined zones: ` +
        `${zoneNames.length === 0 ? '(none — add a zones: section)' : zoneNames.join(', ')}`)
      ok = false
    }
  }
  if (!ok) return undefined
  // Most rules name the same few zone lists: one shared (read-only) array per distinct list.
  const key = items.length === 1 ? items[0]!.text : [...new Set(items.map(i => i.text))].join('\n')
  let list = ctx.shared.get(key)
  if (list === undefined) { list = key.split('\n'); ctx.shared.set(key, list) }
  return list
}

/** `source`/`destination`: `any` or IPv4/IPv6 addresses and prefixes. */
export function addressList (ctx: Ctx, e: Entry | undefined): Cidr[] | 'any' | undefined {
  const items = anyOrList(ctx, e)
  if (items === undefined || items === 'any') return items
  const out: Cidr[] = []
  let ok = true
  for (const it of items) {
    const c = parseCidr(it.text)
    if (typeof c === 'string') { ctx.error(it.node, it.path, c); ok = false } else out.push(c)
  }
  // slice: an array grown by push keeps room for 16 entries; a rule's lists stay in memory as long as the policy.
  return ok ? out.slice() : undefined
}

/** `application`: `any` or names from the App-ID table; undecided names (`unknown-tcp`, …) are refused. */
export function appList (ctx: Ctx, e: Entry | undefined): string[] | 'any' | undefined {
  const items = anyOrList(ctx, e)
  if (items === undefined || items === 'any') return items
  let ok = true
  for (const it of items) {
    if (APP_NAMES.has(it.text)) continue
    const known = APPS.map(a => a.name)
    if ((UNDECIDED_APPS as readonly string[]).includes(it.text)) {
      ctx.error(it.node, it.path, `'${it.text}' is what App-ID reports when it cannot decide; rules cannot name it. ` +
        `Known applications: ${known.join(', ')}`)
      ok = false
    } else if (!known.includes(it.text)) {
      ctx.error(it.node, it.path, `unknown application '${it.text}'${didYouMean(it.text, known)}; known applications: any, ${known.join(', ')}`)
      ok = false
    }
  }
  return ok ? [...new Set(items.map(i => i.text))] : undefined
}

const APP_NAMES: ReadonlySet<string> = new Set(APPS.map(a => a.name))

/** Services of a rule or a signature (signatures have no applications, so no `application-default`). */
export function serviceList (ctx: Ctx, e: Entry | undefined, application: string[] | 'any' | undefined,
  owner: 'rule' | 'signature'): Service[] | undefined {
  const items = anyOrList(ctx, e)
  if (items === undefined) return undefined
  if (items === 'any') return [{ kind: 'any' }]
  const out: Service[] = []
  let ok = true
  for (const it of items) {
    const s = parseService(it.text)
    if (typeof s === 'string') { ctx.error(it.node, it.path, s); ok = false; continue }
    if (s.kind === 'application-default') {
      if (owner === 'signature') {
        ctx.error(it.node, it.path, 'application-default is only for rules that name applications; give tcp/PORT or udp/PORT')
        ok = false; continue
      }
      if (application === 'any') {
        ctx.error(it.node, it.path, 'service application-default needs named applications (application: any has no ' +
          'standard ports); name applications or use service: any')
        ok = false; continue
      }
    }
    out.push(s)
  }
  return ok ? out.slice() : undefined
}

