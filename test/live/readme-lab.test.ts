/**
 * The README's lab section, pasted line by line into a shell, as root: the exact lines between
 * `<!-- readme-lab:begin -->` and `<!-- readme-lab:end -->`. Before, the allowed `curl` failed (exit 7)
 * because the README never started a server, so allowed and blocked looked the same.
 *
 * The lines use the lab's fixed names (rstlab-client …) and the default control socket, so the shell runs
 * in a private mount namespace (`unshare --mount`) with its own /run/netns, /run/rstlab and /tmp: its
 * namespaces, socket and log are invisible to anything else on the machine and vanish with it, also when
 * the test fails (every process of that mount namespace is killed in teardown).
 */
import t from 'tap'
import { spawn, execFileSync } from 'node:child_process'
import { readFileSync, readdirSync, readlinkSync } from 'node:fs'
import path from 'node:path'
import { REPO_ROOT } from '../helpers/shared.js'
import { childEnv, liveSkipReason, READY_MS } from './harness.js'

const readme = readFileSync(path.join(REPO_ROOT, 'README.md'), 'utf8')
const block = /<!-- readme-lab:begin -->\n```sh\n([\s\S]*?)```\n<!-- readme-lab:end -->/.exec(readme)?.[1]
const lines = (block ?? '').split('\n').filter(l => l.trim() !== '' && !l.trimStart().startsWith('#'))

function missingTool (): string | undefined {
  for (const tool of ['unshare', 'curl', 'python3']) {
    try { execFileSync('sh', ['-c', `command -v ${tool}`], { stdio: 'ignore' }) } catch { return tool }
  }
  return undefined
}

const skip = liveSkipReason() ?? (missingTool() !== undefined ? `needs ${missingTool()!}` : undefined)
if (skip !== undefined && process.env.CI === 'true') throw new Error(`README lab test required in CI: ${skip}`)

t.test('the README lab works when pasted line by line', { skip, timeout: 900_000 }, async t => {
  t.ok(lines.length >= 8, `found the README's lab lines (${lines.length})`)
  const sh = spawn('unshare', ['--mount', '--propagation', 'private', 'bash', '--norc', '--noprofile', '-s'],
    { cwd: REPO_ROOT, env: { ...childEnv(), PS1: '' }, stdio: ['pipe', 'pipe', 'pipe'], detached: true })
  const mntNs = await new Promise<string>(resolve => setTimeout(() => {
    try { resolve(readlinkSync(`/proc/${sh.pid!}/ns/mnt`)) } catch { resolve('') }
  }, 200))
  t.teardown(() => {
    // Everything in the private mount namespace: the shell, the bridge, the server, sudo.
    for (const p of readdirSync('/proc').filter(d => /^\d+$/.test(d))) {
      try { if (readlinkSync(`/proc/${p}/ns/mnt`) === mntNs && mntNs !== '') process.kill(Number(p), 'SIGKILL') } catch { /* gone */ }
    }
    try { process.kill(-sh.pid!, 'SIGKILL') } catch { /* gone */ }
  })
  let out = ''; let err = ''
  sh.stdout.setEncoding('utf8').on('data', (d: string) => { out += d })
  sh.stderr.setEncoding('utf8').on('data', (d: string) => { err += d })

  let n = 0
  /** Type one line; resolves with what it printed and its exit status. */
  const type = async (line: string): Promise<{ out: string, err: string, rc: number }> => {
    const mark = `__rstlab_readme_${++n}__`
    const o0 = out.length; const e0 = err.length
    sh.stdin.write(`${line}\necho "${mark}=$?"; echo "${mark}" >&2\n`)
    const deadline = Date.now() + READY_MS
    while (!(out.includes(mark) && err.slice(e0).includes(mark))) {
      if (Date.now() > deadline) throw new Error(`line did not finish: ${line}\nstdout: ${out.slice(o0)}\nstderr: ${err.slice(e0)}`)
      if (sh.exitCode !== null) throw new Error(`shell exited (${sh.exitCode}) at: ${line}\n${err}`)
      await new Promise(resolve => setTimeout(resolve, 20))
    }
    const o = out.slice(o0); const rc = Number(new RegExp(`${mark}=(\\d+)`).exec(o)![1])
    return { out: o.slice(0, o.indexOf(mark)), err: err.slice(e0, err.indexOf(mark, e0)), rc }
  }
  const waitFor = async (what: string, check: string): Promise<void> => {
    const r = await type(`for i in $(seq 1 ${Math.ceil(READY_MS / 200)}); do ${check} >/dev/null 2>&1 && break; sleep 0.2; done; ${check} >/dev/null 2>&1`)
    if (r.rc !== 0) throw new Error(`${what} did not come up: ${err}`)
  }

  // This shell's own /run/netns, /run/rstlab and /tmp.
  const setup = await type('mkdir -p /run/netns /run/rstlab && mount -t tmpfs rstlab-readme /run/netns && mount -t tmpfs -o mode=0700 rstlab-readme /run/rstlab && mount -t tmpfs rstlab-readme /tmp')
  t.equal(setup.rc, 0, `private mounts: ${setup.err}`)

  for (const line of lines) {
    const r = await type(line)
    const cmd = line.replace(/\s+#.*$/, '')
    if (/lab -- up/.test(cmd)) {
      t.equal(r.rc, 0, `lab up: ${r.err}`)
    } else if (/ bridge /.test(cmd)) {
      await waitFor('the bridge', 'node bin/rstlab.js show counters')
      t.pass('bridge answers on its control socket')
    } else if (/http\.server/.test(cmd)) {
      await waitFor('the server', "ip netns exec rstlab-server bash -c 'echo > /dev/tcp/198.18.0.2/8080'")
      t.pass('server listening')
    } else if (/:8080\//.test(cmd)) {
      t.equal(r.rc, 0, `allowed request succeeds: ${r.err}`)
      t.equal(r.out.trim(), '200', 'HTTP 200 through the bridge')
    } else if (/:21\//.test(cmd)) {
      t.equal(r.rc, 7, 'curl: could not connect')
      // curl says "Connection refused" or "Couldn't connect to server" depending on its version.
      const ms = Number(/after (\d+) ms/.exec(r.err)?.[1] ?? NaN)
      t.ok(ms < 3000, `refused at once by the forged RST (reset-client), not a timeout: ${r.err.trim()}`)
    } else if (/show sessions/.test(cmd)) {
      t.equal(r.rc, 0, `show sessions: ${r.err}`)
      t.match(r.out, /198\.18\.0\.1/, 'the sessions are listed')
    } else if (/show counters/.test(cmd)) {
      t.equal(r.rc, 0, `show counters: ${r.err}`)
      t.match(r.out, /flow_policy_deny/, 'the denied session is counted')
    } else if (/^kill /.test(cmd)) {
      t.equal(r.rc, 0, 'both jobs stopped')
      const w = await type('wait; cat /tmp/rstlab-lab.log')
      t.match(w.out, /"log":"traffic"/, 'the bridge logged its sessions on the way out')
    } else if (/lab -- down/.test(cmd)) {
      t.equal(r.rc, 0, `lab down: ${r.err}`)
      const left = await type('ip netns list')
      t.equal(left.out.trim(), '', 'no namespaces left')
    } else {
      t.equal(r.rc, 0, `${cmd}: ${r.err}`)
    }
  }
  sh.stdin.end()
  await new Promise(resolve => sh.once('exit', resolve))
})
