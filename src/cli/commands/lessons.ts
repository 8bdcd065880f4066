/**
 * `rstlab lessons` lists the lessons in scenarios/lessons/; `rstlab lessons run [NAME…]` runs them
 * (all by default) with their introductions and "what to look at / try next" texts.
 * `npm start` runs them all.
 */
import path from 'node:path'
import type { Argv, CommandModule } from 'yargs'
import { RstlabError } from '../../errors.js'
import { LESSONS_DIR, findScenarios, loadScenario } from '../../scenario/files.js'
import { reportHandlerError, runBatch } from './run.js'

/** Lesson files, sorted; a lesson's name is its file name without `.scn`. Shown relative to the cwd when inside it. */
export function lessonFiles (): string[] {
  return findScenarios([LESSONS_DIR]).filter(f => path.dirname(f) === LESSONS_DIR).map(f => {
    const rel = path.relative(process.cwd(), f)
    return rel.startsWith('..') || path.isAbsolute(rel) ? f : rel
  })
}

export function lessonName (file: string): string {
  return path.basename(file, '.scn')
}

/** Pick lessons by full name, number prefix (`04`) or any part of the name (`challenge`). */
export function selectLessons (names: readonly string[]): string[] {
  const all = lessonFiles()
  if (names.length === 0) return all
  const picked: string[] = []
  for (const n of names) {
    const exact = all.filter(f => lessonName(f) === n)
    const hits = exact.length > 0 ? exact : all.filter(f => lessonName(f).startsWith(n + '-') || lessonName(f).startsWith(n) || lessonName(f).includes(n))
    if (hits.length === 0) {
      throw new RstlabError('RSTLAB_ERR_USAGE', `no lesson matches "${n}"`, 'run `rstlab lessons` to list them')
    }
    for (const h of hits) if (!picked.includes(h)) picked.push(h)
  }
  return picked
}

interface RunArgs { names: string[], 'pcap-dir'?: string, quiet: boolean, json: boolean }

const runLessons: CommandModule<object, RunArgs> = {
  command: 'run [names..]',
  describe: 'run lessons (all, or those named) and print their ladders',
  builder: (y: Argv) => y
    .positional('names', { type: 'string', array: true, default: [], describe: 'lesson names, numbers (04) or name parts (challenge)' })
    .option('pcap-dir', { type: 'string', describe: 'write one pcapng per host into DIR' })
    .option('json', { type: 'boolean', default: false })
    .option('quiet', { type: 'boolean', default: false }) as unknown as Argv<RunArgs>,
  handler: async (argv) => {
    try {
      process.exitCode = await runBatch(selectLessons(argv.names), { pcapDir: argv['pcap-dir'], json: argv.json, quiet: argv.quiet, prose: true })
    } catch (e) { reportHandlerError(e) }
  },
}

const listLessons: CommandModule = {
  command: '$0',
  describe: 'list the lessons',
  handler: () => {
    try { listAll() } catch (e) { reportHandlerError(e) }
  },
}

function listAll (): void {
  const out: string[] = ['Lessons (run one with `rstlab lessons run NAME`, all with `npm start`):', '']
  for (const f of lessonFiles()) {
    const sc = loadScenario(f)
    out.push(`  ${lessonName(f).padEnd(32)} ${sc.title ?? ''}`)
  }
  process.stdout.write(out.join('\n') + '\n')
}

export const lessonsCommand: CommandModule = {
  command: 'lessons',
  describe: 'list the lessons in scenarios/lessons, or run them (`lessons run [NAME…]`)',
  builder: (y: Argv) => y.command(listLessons).command(runLessons as unknown as CommandModule),
  handler: () => {},
}
