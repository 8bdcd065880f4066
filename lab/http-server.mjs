// The lab server: a tiny HTTP server on every port named on the command line (default 80), answering every
// request with one line naming the port. Used by lab/compose.yaml's `server` container.
import http from 'node:http'

const ports = process.argv.slice(2).map(Number)
for (const port of ports.length > 0 ? ports : [80]) {
  http.createServer((req, res) => {
    res.setHeader('content-type', 'text/plain')
    res.end(`hello from the lab server on port ${port}\n`)
  }).listen(port, () => { process.stdout.write(`listening on ${port}\n`) })
}
process.on('SIGTERM', () => process.exit(0))
