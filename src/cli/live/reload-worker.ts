/**
 * Loading a policy off the packet thread, for a reload of a running bridge (SIGHUP).
 *
 * A worker thread reads, parses, compiles and checks the file exactly as `loadPolicyFile` does, builds the
 * rule indexes of the zone pairs the running policy has in use, and posts back a `PackedPolicy`: typed
 * arrays (transferred, not copied), the rules as one JSON text, the small sections as they are
 * (structured clone). `CompiledPolicy.fromPacked` takes that in without work that grows with the rule
 * count, so the packet thread forwards with the old policy until the new one is complete and then swaps
 * in one step. A failure of any kind — a bad file, a file over the limits, the worker running out of its
 * memory budget — is an error here and changes nothing.
 */
import { Worker, isMainThread, parentPort, workerData } from 'node:worker_threads'
import { setPriority } from 'node:os'
import path from 'node:path'
import { fileURLToPath, pathToFileURL } from 'node:url'
import { PACKAGE_ROOT } from '../../paths.js'
import { RstlabError, type ErrorCode } from '../../errors.js'
import { PolicyError, loadPolicyFile } from '../../policy/load.js'
import { CompiledPolicy, packedTransferList, type PackedPolicy } from '../../policy/match.js'
import type { Policy, PolicyDiagnostic } from '../../policy/types.js'

/** Heap budget of the worker: far above what the file-size and rule-count limits allow a policy to need. */
export const RELOAD_HEAP_MB = 2048

type Pairs = Array<[string | undefined, string | undefined]>

interface Job { rstlabPolicyReload: true, path: string, pairs: Pairs, ports: string[] | undefined }

type Reply =
  | { ok: true, packed: PackedPolicy, loadMs: number }
  | { ok: false, kind: 'policy', source: string, diagnostics: PolicyDiagnostic[] }
  | { ok: false, kind: 'rstlab', code: ErrorCode, message: string, hint: string | undefined }
  | { ok: false, kind: 'other', message: string }

/** A load in progress. */
export interface WorkerLoad {
  /** The new policy, or the reason it was refused (RstlabError; PolicyError for a bad file). */
  promise: Promise<{ policy: Policy, loadMs: number }>
  /** Stop the worker now (SIGTERM during a reload); the promise then rejects. */
  cancel: () => void
}

/**
 * Load `path` in a worker thread. `current` is the running policy: the rule indexes of the zone pairs it
 * has built are built for the new policy too, in the worker, and so are those of a bridge between
 * `ports` (`CompiledPolicy.portPairs`), so that a session never builds one on the packet thread.
 */
/**
 * The module the worker runs: this one, compiled. When this code runs from the CLI bundle
 * (build/rstlab.cjs), `import.meta.url` is the bundle's, whose top level is the CLI: the worker
 * then runs the separate compiled module, which the build always writes beside the bundle.
 */
const WORKER_MODULE = path.basename(fileURLToPath(import.meta.url)) === 'reload-worker.js'
  ? new URL(import.meta.url)
  : pathToFileURL(path.join(PACKAGE_ROOT, 'build', 'src', 'cli', 'live', 'reload-worker.js'))

/** The smallest heap budget a worker is started with (see loadPolicyInWorker). */
export const MIN_HEAP_MB = 16

export function loadPolicyInWorker (path: string, current?: Policy, heapMb = RELOAD_HEAP_MB, ports?: string[]): WorkerLoad {
  const pairs: Pairs = current instanceof CompiledPolicy ? current.builtPairs() : []
  const job: Job = { rstlabPolicyReload: true, path, pairs, ports }
  // execArgv: none of the parent's flags (a test runner's loader hooks made each worker start take seconds).
  // With a budget of 1 MB Node 24 cannot even deserialize the worker's startup snapshot, and that aborts the
  // whole process (SIGILL) instead of failing the worker; at 8 MB loading the yaml module itself can fail.
  // So never ask for less than MIN_HEAP_MB.
  const budgetMb = Math.max(MIN_HEAP_MB, heapMb)
  const worker = new Worker(WORKER_MODULE, { workerData: job, resourceLimits: { maxOldGenerationSizeMb: budgetMb }, execArgv: [] })
  let settled = false
  let cancelled = false
  const promise = new Promise<{ policy: Policy, loadMs: number }>((resolve, reject) => {
    worker.once('message', (r: Reply) => {
      settled = true
      if (r.ok) resolve({ policy: CompiledPolicy.fromPacked(r.packed), loadMs: r.loadMs })
      else if (r.kind === 'policy') reject(new PolicyError(r.source, r.diagnostics))
      else if (r.kind === 'rstlab') reject(new RstlabError(r.code, r.message, r.hint))
      else reject(new RstlabError('RSTLAB_ERR_IO', `cannot load policy file ${path}: ${r.message}`))
      void worker.terminate()
    })
    worker.once('error', (e: Error & { code?: string }) => {
      if (settled) return
      settled = true
      if (e.code === 'ERR_WORKER_OUT_OF_MEMORY') {
        reject(new RstlabError('RSTLAB_ERR_LIMIT', `loading policy file ${path} needed more than ${budgetMb} MB`,
          'the policy is too large or too complex to load; split it or remove what is not needed'))
      } else reject(new RstlabError('RSTLAB_ERR_IO', `cannot load policy file ${path}: ${e.message}`))
    })
    worker.once('exit', code => {
      if (settled) return
      settled = true
      reject(new RstlabError('RSTLAB_ERR_IO', cancelled ? `loading policy file ${path} was cancelled`
        : `loading policy file ${path} stopped (worker exit code ${code})`))
    })
  })
  return { promise, cancel: () => { cancelled = true; void worker.terminate() } }
}

function runJob (job: Job): void {
  // Below the packet thread when they compete for a core (on Linux this lowers this thread only).
  try { setPriority(10) } catch { /* not permitted: run at normal priority */ }
  let reply: Reply
  let transfer: ArrayBuffer[] = []
  try {
    const t0 = performance.now()
    const p = loadPolicyFile(job.path)
    if (!(p instanceof CompiledPolicy)) throw new Error('the loader returned an uncompiled policy')
    p.buildPairs([...job.pairs, ...p.portPairs(job.ports)]) // `ports`: the bridge's zone pairs under the NEW policy's zones
    const packed = p.pack()
    transfer = packedTransferList(packed)
    reply = { ok: true, packed, loadMs: performance.now() - t0 }
  } catch (e) {
    if (e instanceof PolicyError) reply = { ok: false, kind: 'policy', source: e.source, diagnostics: e.diagnostics }
    else if (e instanceof RstlabError) reply = { ok: false, kind: 'rstlab', code: e.code, message: e.message, hint: e.hint }
    else reply = { ok: false, kind: 'other', message: e instanceof Error ? e.message : String(e) }
  }
  parentPort!.postMessage(reply, transfer)
}

if (!isMainThread && (workerData as Partial<Job> | null)?.rstlabPolicyReload === true) runJob(workerData as Job)
