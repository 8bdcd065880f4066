import type { CommandModule } from 'yargs'
import { RstlabError } from '../../errors.js'

// Placeholder until its issue lands; replaced by the real command.
export const decodeCommand: CommandModule = {
  command: 'decode',
  describe: '(not built yet)',
  handler: () => { throw new RstlabError('RSTLAB_ERR_USAGE', '`rstlab decode` is not built yet') },
}
