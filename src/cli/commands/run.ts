import type { CommandModule } from 'yargs'
import { RstlabError } from '../../errors.js'

// Placeholder until its issue lands; replaced by the real command.
export const runCommand: CommandModule = {
  command: 'run',
  describe: '(not built yet)',
  handler: () => { throw new RstlabError('RSTLAB_ERR_USAGE', '`rstlab run` is not built yet') },
}
