/**
 * Reading an input file the user named (a policy, a scenario): only a regular file, only up to a size
 * limit, decided before reading. `/dev/zero`, a FIFO or a directory would otherwise hang or exhaust
 * memory; a FIFO is opened non-blocking so that even the check cannot wait for a writer.
 */
import { closeSync, constants, fstatSync, openSync, readFileSync, type Stats } from 'node:fs'
import { RstlabError } from './errors.js'

function kind (st: Stats): string {
  if (st.isDirectory()) return 'a directory'
  if (st.isCharacterDevice()) return 'a character device'
  if (st.isBlockDevice()) return 'a block device'
  if (st.isFIFO()) return 'a FIFO (named pipe)'
  if (st.isSocket()) return 'a socket'
  return 'not a regular file'
}

/**
 * The UTF-8 text of `path`. RSTLAB_ERR_IO when it cannot be opened or is not a regular file,
 * RSTLAB_ERR_LIMIT when it is larger than `maxBytes`. `what` names it in messages ("policy file").
 */
export function readInputFile (path: string, what: string, maxBytes: number, hint?: string): string {
  let fd: number
  try {
    fd = openSync(path, constants.O_RDONLY | constants.O_NONBLOCK)
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code
    throw new RstlabError('RSTLAB_ERR_IO', `cannot read ${what} ${path}: ${code === 'ENOENT' ? 'no such file' : (err as Error).message}`, hint)
  }
  try {
    const st = fstatSync(fd)
    if (!st.isFile()) {
      throw new RstlabError('RSTLAB_ERR_IO', `${what} ${path} is ${kind(st)}, not a regular file`, `name a ${what} (a regular file)`)
    }
    if (st.size > maxBytes) {
      throw new RstlabError('RSTLAB_ERR_LIMIT', `${what} ${path} is ${mb(st.size)}; rstlab reads ${what}s of at most ${mb(maxBytes)}`,
        `split it or remove what is not needed (the limits are in docs/errors.md)`)
    }
    const buf = readFileSync(fd)
    if (buf.length > maxBytes) { // it grew while we looked
      throw new RstlabError('RSTLAB_ERR_LIMIT', `${what} ${path} grew past ${mb(maxBytes)} while being read`)
    }
    return buf.toString('utf8')
  } catch (err) {
    if (err instanceof RstlabError) throw err
    throw new RstlabError('RSTLAB_ERR_IO', `cannot read ${what} ${path}: ${(err as Error).message}`, hint)
  } finally {
    closeSync(fd)
  }
}

function mb (n: number): string {
  return n >= 1 << 20 ? `${(n / (1 << 20)).toFixed(1)} MB` : `${n} bytes`
}
