/**
 * Per-host captures: one pcapng per host holding what that host saw on its wire — what it sent
 * (including packets the firewall then dropped) and what it received (forwarded or forged) — each
 * packet with a comment saying what happened to it, so a lesson can be opened in Wireshark/tshark
 * (`tshark -r x.client.pcapng -T fields -e frame.comment`).
 */
import { mkdirSync, writeFileSync } from 'node:fs'
import path from 'node:path'
import { RstlabError } from '../errors.js'
import { encodePcapng } from '../pcap/writer.js'
import { LinkType } from '../wire/summary.js'
import type { RunResult } from './runner.js'

/** `scenarios/lessons/04-challenge-ack.scn` → `04-challenge-ack`. */
export function captureBase (file: string): string {
  return path.basename(file).replace(/\.[^.]+$/, '')
}

/**
 * Write `<dir>/<scenario>.<host>.pcapng` for every host; returns the paths written.
 * @throws {RstlabError} RSTLAB_ERR_IO when the folder or a file cannot be written.
 */
export function writeHostCaptures (result: RunResult, dir: string): string[] {
  const base = captureBase(result.scenario.file)
  const written: string[] = []
  try {
    mkdirSync(dir, { recursive: true })
    for (const h of result.hosts) {
      const file = path.join(dir, `${base}.${h.decl.name}.pcapng`)
      const bytes = encodePcapng(h.capture.map(r => ({
        tsUs: r.tsUs, linkType: LinkType.ETHERNET, data: r.data, comment: r.comment, interfaceName: h.decl.name,
      })))
      writeFileSync(file, bytes)
      written.push(file)
    }
  } catch (e) {
    throw new RstlabError('RSTLAB_ERR_IO', `cannot write captures to ${dir}: ${e instanceof Error ? e.message : String(e)}`,
      'check that the folder is writable (--pcap-dir DIR)')
  }
  return written
}
