import t from 'tap'
import path from 'node:path'
import { REPO_ROOT } from '../helpers/shared.js'
import { renderLadder, wrap, formatTime, timeDecimals, type LadderEvent } from '../../src/scenario/ladder.js'
import { runFile } from '../../src/scenario/files.js'
import { engineFactory } from '../../src/scenario/engine-factory.js'

t.test('arrows: forwarded crosses, dropped stops at ✕, forged starts at ◆', async t => {
  const ev: LadderEvent[] = [
    { kind: 'packet', timeUs: 0, from: 'client', to: 'server', fate: 'forwarded', label: 'S seq 0' },
    { kind: 'packet', timeUs: 1000, from: 'server', to: 'client', fate: 'forwarded', label: 'S. seq 0 ack 1' },
    { kind: 'packet', timeUs: 2000, from: 'client', to: 'firewall', fate: 'dropped', label: '. seq 1 ack 1' },
    { kind: 'packet', timeUs: 2000, from: 'server', to: 'firewall', fate: 'dropped', label: 'R seq 1' },
    { kind: 'packet', timeUs: 2000, from: 'firewall', to: 'client', fate: 'forged', label: 'R. seq =0 ack 1' },
    { kind: 'packet', timeUs: 2000, from: 'firewall', to: 'server', fate: 'forged', label: 'R. seq 1 ack 1' },
  ]
  const lines = renderLadder(ev, { width: 80 })
  t.match(lines[1], /0\.000 +│─+┼─+▶│  S seq 0$/)
  t.match(lines[2], /0\.001 +│◀─+┼─+│  S\. seq 0 ack 1$/)
  t.match(lines[3], /0\.002 +│─+▶✕ +│  \. seq 1 ack 1$/)
  t.match(lines[4], /^ +│ +✕◀─+│  R seq 1$/)
  t.match(lines[5], /^ +│◀═+◆ +│  R\. seq =0 ack 1$/)
  t.match(lines[6], /^ +│ +◆═+▶│  R\. seq 1 ack 1$/)
  for (const l of lines) t.ok([...l].length <= 80, `fits 80 columns: ${l}`)
})

t.test('no colour unless asked; colour uses ANSI', async t => {
  const ev: LadderEvent[] = [{ kind: 'packet', timeUs: 0, from: 'client', to: 'firewall', fate: 'dropped', label: 'x' }]
  t.notMatch(renderLadder(ev).join('\n'), /\x1b\[/)
  t.match(renderLadder(ev, { colour: true }).join('\n'), /\x1b\[31m/)
})

t.test('clock gaps, notes after the gap, timers, failures', async t => {
  const ev: LadderEvent[] = [
    { kind: 'packet', timeUs: 0, from: 'client', to: 'server', fate: 'forwarded', label: 'S' },
    { kind: 'note', timeUs: 0, style: 'note', text: 'an hour later' },
    { kind: 'note', timeUs: 3_600_000_000, style: 'timer', text: 'session 1 aged out' },
    { kind: 'note', timeUs: 3_600_000_000, style: 'fail', text: 'line 3: boom' },
  ]
  const lines = renderLadder(ev)
  t.match(lines[2], /┊.*… 3600 s later/)
  t.match(lines[3], /── an hour later$/)
  t.match(lines[4], /3600\.000 +│ +○ +│  session 1 aged out/)
  t.match(lines[5], /✗ line 3: boom/)
})

t.test('helpers', async t => {
  t.same(wrap('aaa bbb ccc', 7), ['aaa bbb', '  ccc'])
  t.same(wrap('S seq 0 <mss 1460,sackOK> ttl 64', 20), ['S seq 0', '  <mss 1460,sackOK>', '  ttl 64'])
  t.ok(wrap('S seq 0 <mss 1460,sackOK> ttl 64', 20).some(l => l.includes('<mss 1460,sackOK>')), 'option lists stay whole')
  t.equal(formatTime(1_500_000), '1.500')
  t.equal(formatTime(1_000_400, 4), '1.0004')
  t.equal(timeDecimals([{ kind: 'note', timeUs: 400, style: 'note', text: '' }]), 4)
  t.equal(timeDecimals([{ kind: 'note', timeUs: 1, style: 'note', text: '' }]), 6)
})

for (const lesson of ['02-who-sent-this-rst', '04-challenge-ack-hang']) {
  t.test(`ladder snapshot: ${lesson}`, async t => {
    const o = runFile(path.join(REPO_ROOT, 'scenarios', 'lessons', `${lesson}.scn`), engineFactory)
    t.ok(o.result?.passed, 'lesson passes')
    const lines = renderLadder(o.result!.ladder, { width: 80, colour: false, hostNames: o.result!.multiHost })
    for (const l of lines) t.ok([...l].length <= 80, 'fits 80 columns')
    t.matchSnapshot(lines.join('\n'), 'ladder')
  })
}

t.test('lesson 12: zone protection shows in the ladder — the flood alarm, the cookie SYN-ACK forged by the firewall, the session opened by the ACK', async t => {
  const o = runFile(path.join(REPO_ROOT, 'scenarios', 'lessons', '12-syn-cookies.scn'), engineFactory)
  t.ok(o.result?.passed, 'lesson passes')
  const text = renderLadder(o.result!.ladder, { width: 200, colour: false, hostNames: o.result!.multiHost }).join('\n')
  t.match(text, /TCP Flood\(8501\) in zone trust \(profile edge\): 3\/s, alarm-rate 2, activate-rate 3, maximal-rate 1000: syn-cookie \(threat log\)/)
  t.match(text, /SYN answered with a SYN cookie: not forwarded \(flow_dos_syncookie_sent\)/)
  t.match(text, /│◀═+◆ +│  client: 80>40000 S\. .*\(forged: syn-cookies\)/, "the client's SYN-ACK starts at the firewall (◆), not at the server")
  t.match(text, /ACK acknowledges a valid SYN cookie \(MSS 1460\): the session is set up now/)
})
