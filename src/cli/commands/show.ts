import type { CommandModule } from 'yargs'
import { RstlabError } from '../../errors.js'

// Placeholder until the bridge issue lands.
export const showCommand: CommandModule = {
  command: 'show',
  describe: '(not built yet)',
  handler: () => { throw new RstlabError('RSTLAB_ERR_USAGE', '`rstlab show` is not built yet') },
}
export const clearCommand: CommandModule = {
  command: 'clear',
  describe: '(not built yet)',
  handler: () => { throw new RstlabError('RSTLAB_ERR_USAGE', '`rstlab clear` is not built yet') },
}
