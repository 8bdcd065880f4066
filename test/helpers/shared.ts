/** Locations of material that lives beside the repository (never copied into it). */
import { existsSync, readdirSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import path from 'node:path'

/** Repository root (tests run from build/test/..., so walk up to the folder holding package.json). */
export const REPO_ROOT = (() => {
  let dir = path.dirname(fileURLToPath(import.meta.url))
  while (!existsSync(path.join(dir, 'package.json'))) dir = path.dirname(dir)
  return dir
})()

/** ../shared beside the repository, or RSTLAB_SHARED if set. */
export const SHARED_DIR = process.env.RSTLAB_SHARED ?? path.resolve(REPO_ROOT, '..', 'shared')
export const PCAP_DIR = path.join(SHARED_DIR, 'pcaps')

/** Every capture in ../shared/pcaps, sorted; empty if the folder is absent. */
export function sharedCaptures (): string[] {
  if (!existsSync(PCAP_DIR)) return []
  return readdirSync(PCAP_DIR).filter(f => /\.pcap(ng)?$/.test(f)).sort().map(f => path.join(PCAP_DIR, f))
}
