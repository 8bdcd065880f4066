/**
 * The fast YAML reader against the `yaml` package: for every document it accepts, the node tree (kinds,
 * scalar values, start offsets) must equal `parseDocument`'s, and policy diagnostics must be the same
 * through either reader. Documents outside its subset must be refused (then the `yaml` package reads them).
 */
import t, { type Test } from 'tap'
import { readFileSync, readdirSync } from 'node:fs'
import { join } from 'node:path'
import { isMap, isScalar, isSeq, parseDocument } from 'yaml'
import { FMap, FScalar, FSeq, fastParse } from '../../src/policy/fastyaml.js'
import { checkPolicyText } from '../../src/policy/load.js'
import { mulberry32, seedRounds } from '../helpers/prng.js'

type Shape = null | { k: 'scalar', v: unknown, at: number } | { k: 'map', at: number, items: Array<[Shape, Shape]> } | { k: 'seq', at: number, items: Shape[] }

function shapeOfYaml (n: unknown): Shape {
  if (n === null || n === undefined) return null
  if (isScalar(n)) return { k: 'scalar', v: n.value, at: n.range![0] }
  if (isMap(n)) return { k: 'map', at: n.range![0], items: n.items.map(p => [shapeOfYaml(p.key), shapeOfYaml(p.value)]) }
  if (isSeq(n)) return { k: 'seq', at: n.range![0], items: n.items.map(shapeOfYaml) }
  throw new Error('unexpected node')
}

/** `lazy`: items of a lazy sequence (fastParse's lazyRules) are read again with `reparse`. */
function shapeOfFast (n: unknown, lazy = false): Shape {
  if (n === null || n === undefined) return null
  if (n instanceof FScalar) return { k: 'scalar', v: n.value, at: n.start }
  if (n instanceof FMap) return { k: 'map', at: n.start, items: n.items.map(p => [shapeOfFast(p.key, lazy), shapeOfFast(p.value, lazy)]) }
  if (n instanceof FSeq) return { k: 'seq', at: n.start, items: n.items.map((x, i) => shapeOfFast(x ?? (lazy ? n.reparse?.(i) : undefined), lazy)) }
  throw new Error('unexpected node')
}

/** Compare both readers on one text; returns whether the fast reader accepted it. */
function same (t: Test, text: string, label: string): boolean {
  const fast = fastParse(text)
  const doc = parseDocument(text, { uniqueKeys: true })
  if (fast === undefined) return false
  t.equal(doc.errors.length, 0, `${label}: the fast reader accepts only documents yaml accepts`)
  t.same(shapeOfFast(fast.root), shapeOfYaml(doc.contents), `${label}: same tree`)
  // Rules read again one by one (how policies are compiled) give the same nodes, in any order of asking.
  const lazy = fastParse(text, { lazyRules: true })!
  t.same(shapeOfFast(lazy.root, true), shapeOfFast(fast.root), `${label}: lazily read rules, same tree`)
  const a = checkPolicyText(text, 'x.yaml')
  const b = checkPolicyText(text, 'x.yaml', 'yaml')
  t.same(a.diagnostics, b.diagnostics, `${label}: same diagnostics`)
  t.same(a.policy?.rules.map(r => [r.name, r.where]), b.policy?.rules.map(r => [r.name, r.where]), `${label}: same rules`)
  return true
}

t.test('every shipped policy file: fast reader accepts it and agrees with yaml', async t => {
  const dirs = ['policies', 'lab/policies', 'scenarios/lessons/policies']
  let n = 0
  for (const d of dirs) {
    for (const f of readdirSync(d).filter(x => x.endsWith('.yaml'))) {
      const fast = same(t, readFileSync(join(d, f), 'utf8'), join(d, f))
      // These two write signatures as flow maps spread over several lines, which the `yaml` package reads.
      if (f !== 'threats.yaml' && f !== 'app-threats.yaml') t.ok(fast, `${join(d, f)} is in the fast subset`)
      n++
    }
  }
  t.ok(n >= 8, `${n} files`)
})

const ACCEPTED: Record<string, string> = {
  comments: '# top\nzones:   # trailing\n  # inside\n  trust:\n    interfaces: [eth0]  # c\n\nrules: []\n',
  'null values and same-indent lists': 'zones:\n  a:\n    interfaces:\n    - eth0\n    - eth1\n    description:\nrules:\n- name: r\n  action: allow\n  from:\n  - a\n',
  'quoted scalars': "rules:\n  - name: 'it''s'\n    description: \"plain # not a comment\"\n    action: \"allow\"\n    'service': ['tcp/80', \"udp/53\"]\n",
  'core schema values': 'settings:\n  session:\n    timeout-tcp: 0x10\n    timeout-udp: 0o17\n    timeout-icmp: +5\n    x: 1.50\n    y: .inf\n    z: ~\n    w: Null\n    v: TRUE\n    u: yes\n    s: 1e3\n    r: -.5\n',
  ipv6: 'zones:\n  t:\n    networks: [2001:db8::/32, "2001:db8:1::/48", 2001:db8:2::1]\n    interfaces:\n      - 2001:db8::1\n',
  'nested blocks': 'a:\n  b:\n    c:\n      - d: 1\n        e: [x, y,]\n      -\n        f: 2\n      - g\n  h: {}\n  i: []\n',
  'values with colons and hashes': 'a: http://x/y#z\nb: c:d\nc: "a: b"\nd: x# not a comment\n',
  'errors keep their positions': 'zones:\n  trust:\n    interfaces: [eth0]\n    netwroks: [198.18.0.0/16]\nrules:\n  - name: a\n    action: alow\n    service: [tcp/99999]\n  - name: a\n    from: nowhere\n    action: allow\n',
  'zone type not modelled': 'zones:\n  v: { type: layer2, interfaces: [e1] }\n',
  'shadow warnings': 'rules:\n  - name: all\n    action: allow\n  - name: web\n    service: tcp/80\n    action: deny\n',
}

t.test('crafted documents: same tree, values and diagnostics', async t => {
  for (const [label, text] of Object.entries(ACCEPTED)) t.ok(same(t, text, label), `${label}: accepted`)
})

const REFUSED: Record<string, string> = {
  anchor: 'a: &x 1\nb: *x\n',
  tag: 'a: !!str 1\n',
  'block scalar': 'a: |\n  text\n',
  'multi-line plain': 'a: one\n  two\n',
  'multi-line flow': 'a: [b,\n  c]\n',
  'nested flow map': 'a: {b: {c: 1}}\n',
  'flow map in a list': 'a: [{b: 1}]\n',
  'duplicate key': 'a: 1\na: 2\n',
  tab: 'a:\t1\n',
  crlf: 'a: 1\r\n',
  'document marker': '---\na: 1\n',
  'bad indentation': 'a:\n  b: 1\n   c: 2\n',
  'compact nested map': 'a: b: c\n',
  'escape in double quotes': 'a: "x\\ty"\n',
  'unclosed quote': "a: 'x\n",
}

t.test('documents outside the subset are refused (and yaml reads them)', async t => {
  for (const [label, text] of Object.entries(REFUSED)) t.equal(fastParse(text), undefined, label)
})

t.test('generated block documents agree with yaml (seeded)', async t => {
  const { base, rounds } = seedRounds(300)
  t.comment(`seed base ${base}`)
  const words = ['name', 'from', 'to', 'any', 'trust', 'a b', 'x:y', '-1', '0x1f', '1.0', 'true', 'null', '~', '', 'é', "'q'", '"d"', '2001:db8::/32', 'tcp/80', '#', 'a #b', '- x', '[x]', '{}', '[]', ':', 'k: v', '?x', '&a', '*a', 'a,b']
  let accepted = 0
  for (let r = 0; r < rounds; r++) {
    const rnd = mulberry32(base + r)
    const pick = <T>(xs: T[]): T => xs[Math.floor(rnd() * xs.length)]!
    const lines: string[] = []
    const gen = (indent: number, depth: number): void => {
      const n = 1 + Math.floor(rnd() * 3)
      const seq = rnd() < 0.4
      const keys = new Set<string>()
      for (let i = 0; i < n; i++) {
        const pad = ' '.repeat(indent)
        const lead = seq ? `${pad}- ` : pad
        const k = `k${Math.floor(rnd() * 5)}`
        const keyPart = seq ? '' : keys.has(k) ? `${k}x${i}: ` : `${k}: `
        keys.add(k)
        const kind = depth > 2 ? 0 : Math.floor(rnd() * 4)
        if (kind === 0) lines.push(`${lead}${keyPart}${pick(words)}${rnd() < 0.2 ? ' # c' : ''}`)
        else if (kind === 1) lines.push(`${lead}${keyPart}[${Array.from({ length: Math.floor(rnd() * 3) }, () => pick(words)).join(', ')}]`)
        else { lines.push(`${lead}${keyPart}`.trimEnd()); if (rnd() < 0.2) lines.push(''); gen(indent + (seq ? 2 : 2) + (rnd() < 0.3 ? 2 : 0), depth + 1) }
      }
    }
    gen(0, 0)
    const text = lines.join('\n') + '\n'
    const fast = fastParse(text)
    const doc = parseDocument(text, { uniqueKeys: true })
    if (fast === undefined) continue
    accepted++
    if (doc.errors.length > 0) { t.fail(`seed ${base + r}: fast reader accepted what yaml refuses:\n${text}`); continue }
    const a = shapeOfFast(fast.root); const b = shapeOfYaml(doc.contents)
    if (JSON.stringify(a) !== JSON.stringify(b)) t.same(a, b, `seed ${base + r}:\n${text}`)
  }
  t.ok(accepted > rounds / 5, `${accepted} of ${rounds} generated documents took the fast path`)
})
