/**
 * Loading policies: YAML text or file → `Policy`, with every problem reported as `file:line:col: message`.
 *
 * - `checkPolicyText` never throws: it returns the policy (when there is no error) and all diagnostics.
 * - `loadPolicyText` / `loadPolicyFile` / `compilePolicy` throw a `PolicyError` (code RSTLAB_ERR_POLICY)
 *   whose message is the first error and whose `diagnostics` hold them all.
 * - `withOverrides` derives a NEW policy with some settings changed (kebab-case keys as in YAML).
 * Nothing is half-loaded: either a full `Policy` or an error.
 */
import { readInputFile } from '../input-file.js'
import { Document, LineCounter, parseDocument } from 'yaml'
import { RstlabError } from '../errors.js'
import { shippedPath } from '../paths.js'
import type { Policy, PolicyDiagnostic, Settings } from './types.js'
import { Ctx } from './yamlctx.js'
import { fastParse } from './fastyaml.js'
import { applySettings, compileDocument } from './compile.js'
import { CompiledPolicy } from './match.js'
import { isPanosPath, loadPanosPolicyFile } from './import/index.js'

export { defaultSettings, effectiveTimeWait } from './settings.js'
export type Diagnostic = PolicyDiagnostic

/** A policy that failed to load. `message` is the first error as `file:line:col: message`. */
export class PolicyError extends RstlabError {
  readonly diagnostics: PolicyDiagnostic[]
  /** Just the errors (warnings left out), first first. */
  readonly errors: PolicyDiagnostic[]
  readonly source: string

  constructor (source: string, diagnostics: PolicyDiagnostic[]) {
    const errors = diagnostics.filter(d => d.severity === 'error')
    const first = errors[0]
    const more = errors.length - 1
    super('RSTLAB_ERR_POLICY',
      first === undefined ? `${source}: invalid policy` : `${formatLocation(source, first)}: ${first.message}`,
      more > 0
        ? `${more} more error${more > 1 ? 's' : ''}: run \`rstlab policy check ${source}\` to list every problem`
        : 'fix the policy and load it again (`rstlab policy check FILE` checks a file)')
    this.name = 'PolicyError'
    this.diagnostics = diagnostics
    this.errors = errors
    this.source = source
  }
}

/** `file:line:col`, or `file:path` when the policy had no text (an inline object). */
export function formatLocation (source: string, d: PolicyDiagnostic): string {
  return d.line === 0 ? `${source}:${d.path === '' ? '(top)' : d.path}` : `${source}:${d.line}:${d.col}`
}

/** `file:line:col: error|warning: message`, as `rstlab policy check` prints it. */
export function formatDiagnostic (source: string, d: PolicyDiagnostic): string {
  return `${formatLocation(source, d)}: ${d.severity}: ${d.message}`
}

function sortDiagnostics (ds: PolicyDiagnostic[]): PolicyDiagnostic[] {
  // Stable: inline objects (all line 0) keep discovery order.
  return ds.slice().sort((a, b) => a.line - b.line || a.col - b.col)
}

/** Compile YAML text; never throws. `policy` is set only when there is no error. */
export function checkPolicyText (text: string, sourceName: string,
  reader: 'auto' | 'yaml' = 'auto'): { policy?: Policy, diagnostics: PolicyDiagnostic[] } {
  // The plain subset policies are written in takes the fast reader (src/policy/fastyaml.ts); anything else
  // (and every YAML syntax error) goes through the `yaml` package, whose messages and positions are the
  // reference. `reader: 'yaml'` forces the reference path (tests compare the two).
  const fast = reader === 'auto' ? fastParse(text) : undefined
  if (fast !== undefined) {
    const ctx = new Ctx(sourceName, undefined, fast.lineCounter)
    const policy = compileDocument(ctx, fast.root)
    const diagnostics = sortDiagnostics(ctx.diagnostics)
    return policy === undefined ? { diagnostics } : { policy, diagnostics }
  }
  const lineCounter = new LineCounter()
  const doc = parseDocument(text, { lineCounter, prettyErrors: false, uniqueKeys: true })
  const syntax: PolicyDiagnostic[] = []
  for (const e of doc.errors) {
    const p = lineCounter.linePos(e.pos[0])
    syntax.push({ severity: 'error', line: p.line, col: p.col, message: `YAML: ${e.message}`, path: '' })
  }
  if (syntax.length > 0) return { diagnostics: sortDiagnostics(syntax) }
  const ctx = new Ctx(sourceName, doc, lineCounter)
  for (const w of doc.warnings) {
    const p = lineCounter.linePos(w.pos[0])
    ctx.diagnostics.push({ severity: 'warning', line: p.line, col: p.col, message: `YAML: ${w.message}`, path: '' })
  }
  const policy = compileDocument(ctx, doc.contents)
  const diagnostics = sortDiagnostics(ctx.diagnostics)
  return policy === undefined ? { diagnostics } : { policy, diagnostics }
}

/** Compile YAML text; throws `PolicyError` on the first error (all errors in `.diagnostics`). */
export function loadPolicyText (text: string, sourceName: string): Policy {
  const r = checkPolicyText(text, sourceName)
  if (r.policy === undefined) throw new PolicyError(sourceName, r.diagnostics)
  return r.policy
}

/**
 * Read and compile a policy file; RSTLAB_ERR_IO when it cannot be read, PolicyError when invalid.
 * A PAN-OS configuration (`.xml`, `.set`, `.conf`) is imported instead (policy/import/, RSTLAB_ERR_IMPORT).
 */
export function loadPolicyFile (path: string): Policy {
  if (isPanosPath(path)) return loadPanosPolicyFile(path)
  return loadPolicyText(readPolicyFile(path), path)
}

/** Largest policy file read (checked before reading). */
export const MAX_POLICY_BYTES = 32 << 20

/**
 * The text of a policy file: RSTLAB_ERR_IO when it cannot be read or is not a regular file (a directory,
 * /dev/zero, a FIFO), RSTLAB_ERR_LIMIT when it is over MAX_POLICY_BYTES. Every policy format goes through here.
 */
export function readPolicyFile (path: string): string {
  return readInputFile(path, 'policy file', MAX_POLICY_BYTES,
    `check the path; shipped policies live in ${shippedPath('policies')} (e.g. ${shippedPath('policies/allow-all.yaml')})`)
}

/**
 * Compile a plain JS object shaped like the YAML (kebab-case keys), e.g. from tests or a scenario file's
 * inline policy. Diagnostics locate problems by path (`<inline>:rules[0].service[1]`); throws PolicyError.
 */
export function compilePolicy (obj: unknown, sourceName = '<inline>'): Policy {
  const r = checkPolicyObject(obj, sourceName)
  if (r.policy === undefined) throw new PolicyError(sourceName, r.diagnostics)
  return r.policy
}

/** Like `checkPolicyText` for a plain object; never throws. */
export function checkPolicyObject (obj: unknown, sourceName = '<inline>'): { policy?: Policy, diagnostics: PolicyDiagnostic[] } {
  const doc = new Document(obj ?? {})
  const ctx = new Ctx(sourceName, doc)
  const policy = compileDocument(ctx, doc.contents)
  return policy === undefined ? { diagnostics: ctx.diagnostics } : { policy, diagnostics: ctx.diagnostics }
}

/** Settings overrides, kebab-case keys as in the YAML `settings:` section. */
export interface SettingsOverrides {
  session?: Record<string, unknown>
  tcp?: Record<string, unknown>
  emulator?: Record<string, unknown>
}

/**
 * A NEW policy equal to `policy` but with some settings changed, validated exactly like the YAML
 * `settings:` section (e.g. `{ session: { 'timeout-tcp': 5 }, tcp: { 'allow-challenge-ack': 'yes' } }`).
 * `emulator.addresses`, when given, replaces the whole map. Throws PolicyError; `policy` is never modified.
 */
export function withOverrides (policy: Policy, overrides: SettingsOverrides, sourceName = '<overrides>'): Policy {
  const doc = new Document(overrides ?? {})
  const ctx = new Ctx(sourceName, doc)
  const settings = cloneSettings(policy.settings)
  const f = ctx.fields(doc.contents, 'settings', ['session', 'tcp', 'emulator'], 'settings overrides')
  if (f !== undefined) applySettings(ctx, f, settings, policy.zones)
  if (ctx.errorCount > 0) throw new PolicyError(sourceName, ctx.diagnostics)
  // A compiled policy shares its compiled rules: `rstlab set` on a large policy compiles nothing again.
  if (policy instanceof CompiledPolicy) return policy.withSettings(settings)
  return new CompiledPolicy(policy.source, settings, policy.zones, policy.rules, policy.threats, policy.warnings ?? [],
    policy.zoneProtection, policy.defaultRules)
}

function cloneSettings (s: Settings): Settings {
  return {
    session: { ...s.session },
    tcp: { ...s.tcp },
    emulator: { ...s.emulator, addresses: new Map([...s.emulator.addresses].map(([k, v]) => [k, [...v]])) },
  }
}
