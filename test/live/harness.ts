/**
 * Live test harness: a per-test namespace lab, `rstlab bridge` as a real process in `fw`, endpoint
 * agents (real sockets) in `client` / `server`, tcpdump captures, and the control socket.
 * Everything a test creates is torn down by `t.teardown`, also when the test fails.
 */
import { spawn, execFileSync, type ChildProcess } from 'node:child_process'
import { mkdtempSync, readFileSync, rmSync, writeFileSync, existsSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import readline from 'node:readline'
import { Lab, liveUnavailable, type LabNames } from '../lab/netns.js'
import { REPO_ROOT } from '../helpers/shared.js'
import { controlRequest } from '../../src/control/client.js'
import type { ControlCommand, ControlReplies } from '../../src/control/protocol.js'

/** Minimal view of a tap test object (avoids depending on tap's internal types). */
export interface T {
  teardown (fn: () => void | Promise<void>): void
}

const BIN = path.join(REPO_ROOT, 'bin', 'rstlab.js')

/**
 * Environment for processes the live tests start: without tap's NODE_OPTIONS (its --import hooks
 * would instrument every bridge and agent, and write under .tap/ — which fails for a non-root child).
 */
export function childEnv (): NodeJS.ProcessEnv {
  const env = { ...process.env }
  delete env.NODE_OPTIONS
  for (const k of Object.keys(env)) if (k.startsWith('_TAPJS') || k.startsWith('TAP_')) delete env[k]
  return env
}
let labCounter = 0

/**
 * Bound on waiting for a process to be ready (bridge control socket answering, agent, tcpdump, a reload).
 * Readiness is detected by the event itself; the bound only turns a hang into a failure, so it is generous:
 * on a loaded 2-core machine (load average 12) a bridge took over 15 s to come up.
 */
export const READY_MS = Number(process.env.RSTLAB_LIVE_READY_MS ?? 120_000)
/** Lower bound for Agent.expect (see there). */
export const EXPECT_MIN_MS = Number(process.env.RSTLAB_LIVE_EXPECT_MS ?? 30_000)

/**
 * Returns a reason to skip, or undefined to run. Never skips in CI (CI=true): there a missing
 * prerequisite is a failure, so live tests cannot silently vanish.
 */
export function liveSkipReason (): string | undefined {
  const why = liveUnavailable()
  if (why === undefined) return undefined
  if (process.env.CI !== undefined && process.env.CI !== '' && process.env.CI !== 'false') {
    throw new Error(`live tests are required in CI but cannot run: ${why} (run as root with iproute2, ethtool, tcpdump)`)
  }
  return `live tests need root, ip, ethtool and tcpdump: ${why}`
}

/**
 * A skip reason when `tool` (a command a live test runs, e.g. hping3) is not on PATH, else undefined.
 * As liveSkipReason: in CI a missing tool is a failure (.ci/install-system installs them), not a skip.
 */
export function toolSkipReason (tool: string, why: string): string | undefined {
  try { execFileSync('sh', ['-c', `command -v ${tool}`], { stdio: 'ignore' }); return undefined } catch { /* missing */ }
  if (process.env.CI !== undefined && process.env.CI !== '' && process.env.CI !== 'false') {
    throw new Error(`live tests are required in CI but cannot run: ${tool} is missing (.ci/install-system installs it)`)
  }
  return `${tool} not found: ${why}`
}

/**
 * Remove labs left by live-test processes that no longer exist (names `rl<pid>x<n>-*`, pid dead),
 * e.g. after a test process was killed before its teardown ran. Only our own naming is touched.
 */
export function sweepStaleLabs (): void {
  let names: string[]
  try { names = execFileSync('ip', ['netns', 'list'], { encoding: 'utf8' }).split('\n').map(l => l.split(' ')[0]!).filter(Boolean) } catch { return }
  for (const n of names) {
    const m = /^rl(\d+)x\d+-(client|fw|server)$/.exec(n)
    if (m === null) continue
    try { process.kill(Number(m[1]), 0); continue } catch { /* dead: sweep */ }
    try { execFileSync('ip', ['netns', 'del', n], { stdio: 'ignore' }) } catch { /* raced */ }
  }
}

export function makeLab (t: T, opts: { kernelBridge?: boolean } = {}): Lab {
  sweepStaleLabs()
  const lab = new Lab({ prefix: `rl${process.pid}x${++labCounter}`, ...opts })
  t.teardown(() => lab.down())
  lab.up()
  return lab
}

export function tempDir (t: T): string {
  const dir = mkdtempSync(path.join(tmpdir(), 'rstlab-live-'))
  t.teardown(() => rmSync(dir, { recursive: true, force: true }))
  return dir
}

export interface AgentEvent { ev: string, id?: string, code?: string, bytes?: number, sha256?: string, ms?: number, t: number, [k: string]: unknown }

/** An endpoint agent in a namespace (see agent.ts). */
export class Agent {
  readonly events: AgentEvent[] = []
  private readonly proc: ChildProcess
  private waiters: Array<() => void> = []

  constructor (t: T, lab: Lab, ns: keyof LabNames) {
    this.proc = spawn(lab.exec(ns)[0]!, [...lab.exec(ns).slice(1), process.execPath, path.join(REPO_ROOT, 'build', 'test', 'live', 'agent.js')],
      { stdio: ['pipe', 'pipe', 'inherit'], env: childEnv() })
    readline.createInterface({ input: this.proc.stdout! }).on('line', line => {
      try { this.events.push(JSON.parse(line) as AgentEvent) } catch { return }
      const w = this.waiters; this.waiters = []; for (const f of w) f()
    })
    t.teardown(() => { this.proc.kill('SIGKILL') })
  }

  send (cmd: Record<string, unknown>): void {
    this.proc.stdin!.write(JSON.stringify(cmd) + '\n')
  }

  /** First event (already seen or future) matching `pred`, or undefined after `timeoutMs`. */
  async wait (pred: (e: AgentEvent) => boolean, timeoutMs: number): Promise<AgentEvent | undefined> {
    const deadline = Date.now() + timeoutMs
    for (;;) {
      const hit = this.events.find(pred)
      if (hit !== undefined) return hit
      const left = deadline - Date.now()
      if (left <= 0) return undefined
      await new Promise<void>(resolve => {
        const timer = setTimeout(resolve, left)
        this.waiters.push(() => { clearTimeout(timer); resolve() })
      })
    }
  }

  /**
   * Like wait() but throws a readable error on timeout. For an event that must happen, so the bound is
   * at least EXPECT_MIN_MS whatever the caller says: it returns as soon as the event arrives, and a loaded
   * machine must not turn a slow event into a failure. (Tests that check something does NOT happen use
   * wait() with their own bound.)
   */
  async expect (pred: (e: AgentEvent) => boolean, timeoutMs: number, what: string): Promise<AgentEvent> {
    timeoutMs = Math.max(timeoutMs, EXPECT_MIN_MS)
    const e = await this.wait(pred, timeoutMs)
    if (e === undefined) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}; events: ${JSON.stringify(this.events.slice(-8))}`)
    return e
  }

  async ready (): Promise<void> { await this.expect(e => e.ev === 'ready', READY_MS, 'agent ready') }
}

export interface BridgeOptions {
  rematch?: boolean
  args?: string[]
  /** Run `rstlab tap IF` instead of `rstlab bridge fwc fws`. */
  tap?: string
  /** Without `--log FILE`: traffic logs then go to stderr. */
  noLog?: boolean
}

/** `rstlab bridge fwc fws` running in the lab's fw namespace. */
export class Bridge {
  readonly policyPath: string
  readonly controlPath: string
  readonly logPath: string
  stderr = ''
  stdout = ''
  private readonly proc: ChildProcess
  private readonly exited: Promise<number | null>

  constructor (t: T, lab: Lab, dir: string, policy: string, opts: BridgeOptions = {}) {
    this.policyPath = path.join(dir, 'policy.yaml')
    this.controlPath = path.join(dir, 'control.sock')
    this.logPath = path.join(dir, 'traffic.log')
    writeFileSync(this.policyPath, policy)
    const cmd = opts.tap !== undefined ? ['tap', opts.tap] : ['bridge', 'fwc', 'fws']
    const args = [...lab.exec('fw'), process.execPath, BIN, ...cmd, '--policy', this.policyPath,
      '--control', this.controlPath, ...(opts.noLog === true ? [] : ['--log', this.logPath]),
      ...(opts.rematch === true ? ['--rematch'] : []), ...(opts.args ?? [])]
    this.proc = spawn(args[0]!, args.slice(1), { stdio: ['ignore', 'pipe', 'pipe'], env: childEnv() })
    this.proc.stdout!.setEncoding('utf8')
    this.proc.stdout!.on('data', (d: string) => { this.stdout += d })
    this.proc.stderr!.setEncoding('utf8')
    this.proc.stderr!.on('data', (d: string) => { this.stderr += d })
    this.exited = new Promise(resolve => this.proc.once('exit', code => resolve(code)))
    t.teardown(async () => {
      if (this.proc.exitCode === null) { this.proc.kill('SIGKILL'); await this.exited }
    })
  }

  /** Wait until the control socket answers (the bridge is capturing). */
  async ready (): Promise<void> {
    const deadline = Date.now() + READY_MS
    while (Date.now() < deadline) {
      if (this.proc.exitCode !== null) throw new Error(`rstlab bridge exited with ${this.proc.exitCode}: ${this.stderr}`)
      if (existsSync(this.controlPath)) {
        try { await controlRequest(this.controlPath, { cmd: 'info' }, 1000); return } catch { /* not yet */ }
      }
      await new Promise(resolve => setTimeout(resolve, 50))
    }
    throw new Error(`rstlab bridge did not come up within ${READY_MS} ms: ${this.stderr}`)
  }

  request<C extends ControlCommand> (cmd: C): Promise<ControlReplies[C['cmd']]> {
    return controlRequest(this.controlPath, cmd)
  }

  /** A global counter's current value (0 when absent). */
  async counter (name: string): Promise<number> {
    const r = await this.request({ cmd: 'counters' })
    return r.counters.find(c => c.name === name)?.value ?? 0
  }

  /**
   * Wait until the bridge has read what is left in its capture rings: `pkt_recv` stops moving between
   * two reads 100 ms apart (at most `tries` reads).
   */
  async settled (tries: number): Promise<void> {
    let last = -1
    for (let i = 0; i < tries; i++) {
      const now = await this.counter('pkt_recv')
      if (now === last) return
      last = now
      await sleep(100)
    }
  }

  /** Run the real CLI (`rstlab show ...`) against this bridge; returns stdout. */
  cli (...args: string[]): string {
    return execFileSync(process.execPath, [BIN, ...args, '--control', this.controlPath], { encoding: 'utf8', env: childEnv() })
  }

  /** Replace the policy file and SIGHUP the bridge; resolves once the reload was reported. */
  async reload (policy: string): Promise<void> {
    writeFileSync(this.policyPath, policy)
    const before = this.stderr.length
    this.proc.kill('SIGHUP')
    const deadline = Date.now() + READY_MS
    while (Date.now() < deadline) {
      const tail = this.stderr.slice(before)
      if (/policy reloaded/.test(tail)) return
      if (/reload refused/.test(tail)) throw new Error(`reload refused: ${tail}`)
      await new Promise(resolve => setTimeout(resolve, 20))
    }
    throw new Error('bridge did not report the reload')
  }

  signal (sig: NodeJS.Signals): void { this.proc.kill(sig) }

  /** Wait for the process to exit on its own (null when it did not within `timeoutMs`). */
  async exit (timeoutMs: number): Promise<number | null> {
    return await Promise.race([this.exited, new Promise<null>(resolve => setTimeout(() => resolve(null), timeoutMs))])
  }

  /** SIGTERM and wait for the exit code. */
  async stop (): Promise<number | null> {
    this.proc.kill('SIGTERM')
    return await this.exited
  }

  /** Parsed traffic-log lines written so far. */
  logRecords (): Array<Record<string, unknown>> {
    if (!existsSync(this.logPath)) return []
    return readFileSync(this.logPath, 'utf8').split('\n').filter(l => l.trim() !== '').map(l => JSON.parse(l) as Record<string, unknown>)
  }
}

/** tcpdump in a namespace, writing a pcap; `stop()` returns `tcpdump -nn -v -r` text lines. */
export class Capture {
  private readonly proc: ChildProcess
  /** The pcap being written. */
  readonly file: string
  private readonly exited: Promise<void>
  private err = ''

  constructor (t: T, lab: Lab, dir: string, ns: keyof LabNames, iface: string, filter: string) {
    this.file = path.join(dir, `${ns}-${iface}-${Date.now()}.pcap`)
    const args = [...lab.exec(ns), 'tcpdump', '-i', iface, '-nn', '-U', '--immediate-mode', '-w', this.file, filter]
    this.proc = spawn(args[0]!, args.slice(1), { stdio: ['ignore', 'ignore', 'pipe'] })
    this.proc.stderr!.setEncoding('utf8')
    this.proc.stderr!.on('data', (d: string) => { this.err += d })
    this.exited = new Promise(resolve => this.proc.once('exit', () => resolve()))
    t.teardown(async () => { if (this.proc.exitCode === null) { this.proc.kill('SIGKILL'); await this.exited } })
  }

  async ready (): Promise<void> {
    const deadline = Date.now() + READY_MS
    while (!/listening on/.test(this.err)) {
      if (Date.now() > deadline || this.proc.exitCode !== null) throw new Error(`tcpdump did not start: ${this.err}`)
      await new Promise(resolve => setTimeout(resolve, 20))
    }
  }

  async stop (): Promise<string[]> {
    await new Promise(resolve => setTimeout(resolve, 100))
    this.proc.kill('SIGINT')
    await this.exited
    const text = execFileSync('tcpdump', ['-nn', '-v', '-r', this.file], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] })
    // -v prints the IP header line, then the transport on the next (indented) line: join them.
    const out: string[] = []
    for (const line of text.split('\n')) {
      if (/^\s/.test(line) && out.length > 0) out[out.length - 1] += ' ' + line.trim()
      else if (line.trim() !== '') out.push(line)
    }
    return out
  }
}

export const sleep = (ms: number): Promise<void> => new Promise(resolve => setTimeout(resolve, ms))

/** The lab's zones and the usual allow rule, with extra rules in front and settings merged in. */
export function policy (opts: { rules?: string, settings?: string, allowAll?: boolean } = {}): string {
  return `# generated by test/live/harness.ts
settings:
${opts.settings ?? '  session: {}'}
zones:
  trust:
    interfaces: [fwc]
  untrust:
    interfaces: [fws]
rules:
${opts.rules ?? ''}
${opts.allowAll === false ? '' : `  - name: allow-all
    from: any
    to: any
    source: any
    destination: any
    application: any
    service: any
    action: allow
`}`
}

/** Run `rstlab ARGS` in a lab namespace to completion; returns exit code and stderr. */
export function rstlabIn (lab: Lab, ns: keyof LabNames, args: string[], timeoutMs = 15000): Promise<{ code: number | null, stderr: string }> {
  return new Promise(resolve => {
    const argv = [...lab.exec(ns), process.execPath, BIN, ...args]
    const p = spawn(argv[0]!, argv.slice(1), { stdio: ['ignore', 'ignore', 'pipe'], env: childEnv() })
    let stderr = ''
    p.stderr!.setEncoding('utf8')
    p.stderr!.on('data', (d: string) => { stderr += d })
    const timer = setTimeout(() => p.kill('SIGKILL'), timeoutMs)
    p.once('exit', code => { clearTimeout(timer); resolve({ code, stderr }) })
  })
}
