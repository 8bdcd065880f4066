/**
 * Every system command the project's code, tests, benchmarks and CI scripts run on the host must come
 * from a Debian package that `.ci/install-system` installs. A machine that already has a tool proves
 * nothing: CI failed on a fresh machine because `test/docker/base-image.sh` called `debootstrap` and no
 * script installed it. This test reads the scripts, not the machine.
 *
 * Two checks:
 *  1. every command started from TypeScript (`spawn('x'`, `execFileSync('x'`, `run(['x'`, an array after
 *     `lab.exec(ns)` …) is a known tool (TOOLS) or node itself — an unknown one fails with what to add;
 *  2. every known tool named as a command anywhere (TypeScript literal or shell command position) has its
 *     package in the install list.
 * Container-side scripts (lab/endpoint.sh, docker/entrypoint.sh) run inside the images, whose Dockerfile
 * installs their tools, so they are not host commands.
 */
import t from 'tap'
import { readFileSync, readdirSync, statSync } from 'node:fs'
import path from 'node:path'
import { REPO_ROOT } from '../helpers/shared.js'

/** Command → Debian package that provides it. `null`: part of every Debian base system (essential). */
const TOOLS: Record<string, string | null> = {
  ip: 'iproute2', tc: 'iproute2', bridge: 'iproute2', ss: 'iproute2',
  ethtool: 'ethtool', tcpdump: 'tcpdump', tshark: 'tshark', iperf3: 'iperf3',
  nft: 'nftables', conntrack: 'conntrack', hping3: 'hping3', curl: 'curl', socat: 'socat',
  tcpreplay: 'tcpreplay', debootstrap: 'debootstrap', docker: 'docker.io', dockerd: 'docker.io',
  'docker-compose': 'docker-compose', python3: 'python3', make: 'make', 'g++': 'g++', sudo: 'sudo',
  sysctl: 'procps', ps: 'procps', pgrep: 'procps', pkill: 'procps', free: 'procps', uptime: 'procps',
  flock: 'util-linux', unshare: 'util-linux', setpriv: 'util-linux', nsenter: 'util-linux', script: 'util-linux',
  modprobe: 'kmod', iptables: 'iptables', 'apt-get': null, dpkg: null, 'dpkg-query': null,
  sh: null, bash: null, env: null, nproc: null, uname: null, cat: null, sleep: null, kill: null, timeout: null,
  mktemp: null, tar: null, gzip: null, grep: null, sed: null, find: null, tee: null, date: null, id: null,
  chroot: null, install: null, readlink: null, dirname: null, true: null, false: null, head: null, tail: null,
  seq: null, mkfifo: null, ls: null, rm: null, mkdir: null, cp: null, mv: null, chmod: null, chown: null, ln: null, stat: null,
  npm: null, npx: null, node: null, git: null, // node/npm come with the machine (and Node 24 from the registry)
}

const SCAN_DIRS = ['src', 'test', 'bench', '.ci']
const SKIP = new Set(['node_modules', 'build', 'tap-snapshots', 'fixtures'])

function files (dir: string, out: string[] = []): string[] {
  for (const name of readdirSync(dir)) {
    if (SKIP.has(name)) continue
    const p = path.join(dir, name)
    if (statSync(p).isDirectory()) files(p, out)
    else if (/\.(ts|sh)$/.test(name) || path.basename(dir) === '.ci') out.push(p)
  }
  return out
}

/** The PACKAGES=( … ) block of .ci/install-system, comments removed. */
function installList (): Set<string> {
  const text = readFileSync(path.join(REPO_ROOT, '.ci', 'install-system'), 'utf8')
  const m = /PACKAGES=\(([\s\S]*?)\n\)/.exec(text)
  if (m === null) throw new Error('.ci/install-system has no PACKAGES=( … ) block')
  return new Set(m[1]!.split('\n').map(l => l.replace(/#.*/, '')).join(' ').split(/\s+/).filter(Boolean))
}

interface Use { tool: string, where: string }

/** Commands started from TypeScript: the first string of the argument list of a process-starting call. */
export function tsCommands (text: string, file: string): Use[] {
  const out: Use[] = []
  const res = [
    /\b(?:spawn|spawnSync|execFile|execFileSync|execFileP|execP)\(\s*['"`]([A-Za-z0-9_.+-]+)['"`]/g,
    // helpers taking an argv array (`run(['ip', …])`, `nsRun(ns, ['ethtool', …])`) or (cmd, args)
    /\b(?:run|runOut)\(\s*\[\s*['"`]([A-Za-z0-9_.+-]+)['"`]/g,
    /\bnsRun\(\s*[\w.]+,\s*\[\s*['"`]([A-Za-z0-9_.+-]+)['"`]/g,
    /\brun\(\s*['"`]([A-Za-z0-9_.+-]+)['"`]\s*,\s*(?:\[|[a-z])/g,
    /\.exec\([^)]*\)\s*,\s*['"`]([A-Za-z0-9_.+-]+)['"`]/g,
  ]
  for (const re of res) {
    for (const m of text.matchAll(re)) {
      const line = text.slice(0, m.index).split('\n').length
      out.push({ tool: m[1]!, where: `${file}:${line}` })
    }
  }
  return out
}

/** Known tools at a command position in a shell script (line start, after | && || ; $( ` or a prefix word). */
export function shCommands (text: string, file: string): Use[] {
  const out: Use[] = []
  text.split('\n').forEach((raw, i) => {
    const line = raw.replace(/(^|\s)#.*$/, '')
    const re = /(?:^|[|;&`({]|\$\(|\bthen\b|\bdo\b|\belse\b)\s*(?:!\s*)?(?:(?:command -v|timeout \d+|exec|sudo|env|nice|ip netns exec [\w$"{}-]+)\s+)*([A-Za-z0-9_.+-]+)/g
    for (const m of line.matchAll(re)) {
      if (m[1]! in TOOLS) out.push({ tool: m[1]!, where: `${file}:${i + 1}` })
    }
  })
  return out
}

t.test('every command the scripts run is installed by .ci/install-system', async t => {
  const installed = installList()
  const uses: Use[] = []
  for (const d of SCAN_DIRS) {
    for (const f of files(path.join(REPO_ROOT, d))) {
      const rel = path.relative(REPO_ROOT, f)
      if (rel === path.join('test', 'ci', 'install-list.test.ts')) continue
      const text = readFileSync(f, 'utf8')
      uses.push(...(f.endsWith('.ts') ? tsCommands(text, rel) : shCommands(text, rel)))
    }
  }
  t.ok(uses.length > 20, `found the scripts' commands (${uses.length})`)
  const unknown = uses.filter(u => !(u.tool in TOOLS))
  t.same(unknown, [], 'every started command is a known tool: add it to TOOLS here with its Debian package, and the package to .ci/install-system')
  const missing = uses.filter(u => u.tool in TOOLS && TOOLS[u.tool] !== null && !installed.has(TOOLS[u.tool]!))
  t.same(missing.map(u => `${u.where}: ${u.tool} (package ${TOOLS[u.tool]!})`), [], 'each tool\'s package is in .ci/install-system')
  // The packages this check exists for: debootstrap was the one missing on a fresh machine.
  for (const p of ['debootstrap', 'tshark', 'tcpdump', 'ethtool', 'iproute2', 'libpcap-dev', 'nftables']) t.ok(installed.has(p), `${p} is installed`)
})

t.test('the scanners find commands in the shapes the scripts use', async t => {
  const ts = tsCommands([
    "execFileSync('tshark', ['-r', f])",
    "spawn(args[0]!, args.slice(1))",
    "const args = [...lab.exec(ns), 'tcpdump', '-i', iface]",
    "nsRun(fw, ['ethtool', '-K', ifn])",
    "run(['ip', 'netns', 'add', ns])",
  ].join('\n'), 'x.ts')
  t.same(ts.map(u => u.tool).sort(), ['ethtool', 'ip', 'tcpdump', 'tshark'])
  const sh = shCommands([
    'command -v debootstrap >/dev/null || exit 1',
    '  debootstrap --variant=minbase bookworm "$root"',
    'x=$(docker image inspect foo) # curl in a comment',
    'timeout 600 docker build .',
    'echo "use ip here"',
  ].join('\n'), 'x.sh')
  t.same(sh.map(u => `${u.tool}@${u.where}`), ['debootstrap@x.sh:1', 'debootstrap@x.sh:2', 'docker@x.sh:3', 'docker@x.sh:4'])
})

t.test('.ci/run installs system packages, Node 24, and runs the suite on both Nodes', async t => {
  const run = readFileSync(path.join(REPO_ROOT, '.ci', 'run'), 'utf8')
  t.match(run, /bash \.ci\/install-system/)
  t.match(run, /bash \.ci\/install-node24/)
  t.equal(run.match(/^suite "/gm)?.length, 2, 'npm test runs twice: machine Node and Node 24')
  const lab = readFileSync(path.join(REPO_ROOT, 'test', 'docker', 'lab-test.sh'), 'utf8')
  t.match(lab, /need_pkgs\+=\(debootstrap\)/, 'the container lab installs debootstrap itself when run alone')
  const docker = readFileSync(path.join(REPO_ROOT, 'Dockerfile'), 'utf8')
  t.match(docker, /^ARG NODE_IMAGE=node:24-/m, 'the image is built on Node 24')
  const pkg = JSON.parse(readFileSync(path.join(REPO_ROOT, 'package.json'), 'utf8')) as { engines: { node: string } }
  t.match(pkg.engines.node, /24/, 'engines names the Node versions CI tests')
})
