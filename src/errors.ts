/**
 * One registry of typed errors with stable codes (in the spirit of fastify's `errors.js`).
 * Every code here is documented in `docs/errors.md`; a test keeps the two in step.
 * Tests match on `code`, never on message text.
 */
export const ERROR_CODES = {
  RSTLAB_ERR_TRUNCATED: 'input ended before a complete structure',
  RSTLAB_ERR_BAD_CAPTURE: 'capture file is not pcap/pcapng or is damaged',
  RSTLAB_ERR_POLICY: 'policy file is invalid',
  RSTLAB_ERR_SCRIPT_SYNTAX: 'scenario file has a syntax error',
  RSTLAB_ERR_SCRIPT_EXPECT: 'a scenario expectation did not hold',
  RSTLAB_ERR_USAGE: 'bad command-line arguments',
  RSTLAB_ERR_IO: 'a file could not be read or written',
  RSTLAB_ERR_NATIVE_MISSING: 'an optional native package (cap, raw-socket) is not installed or did not build',
  RSTLAB_ERR_PERMISSION: 'the operation needs privileges this process does not have',
  RSTLAB_ERR_NO_INTERFACE: 'a network interface does not exist or is down',
  RSTLAB_ERR_OFFLOAD: 'interface offloads would break forwarding',
  RSTLAB_ERR_INJECT: 'a packet could not be sent',
  RSTLAB_ERR_CONTROL: 'the control socket could not be reached or answered badly',
  RSTLAB_ERR_MALFORMED: 'a packet header is malformed (fields contradict each other or the bytes present)',
  RSTLAB_ERR_FRAME_SPEC: 'a frame to build is specified wrongly (bad address, port, flag letter, option)',
  RSTLAB_ERR_LIMIT: 'an input is larger than rstlab accepts (file size, rule, zone or step count)',
  RSTLAB_ERR_IMPORT: 'a PAN-OS configuration (XML or set commands) is malformed or cannot be imported',
} as const

export type ErrorCode = keyof typeof ERROR_CODES

export class RstlabError extends Error {
  readonly code: ErrorCode
  /** What the user should do about it, printed after the message by the CLI. */
  readonly hint: string | undefined
  constructor (code: ErrorCode, message: string, hint?: string) {
    super(message)
    this.name = 'RstlabError'
    this.code = code
    this.hint = hint
  }
}

export function isRstlabError (e: unknown): e is RstlabError {
  return e instanceof RstlabError
}
