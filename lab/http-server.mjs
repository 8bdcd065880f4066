// The lab server: a tiny HTTP server on every port named on the command line (default 80), answering every
// request with one line naming the port. Used by lab/compose.yaml's `server` container and lab/app-compose.yaml.
// Idle keep-alive connections are kept open (Node closes them after 5 s by default), as a database or an
// HTTP backend behind a connection pool would: the lesson in docs/fixture.md depends on it.
import http from 'node:http'

const ports = process.argv.slice(2).map(Number)
for (const port of ports.length > 0 ? ports : [80]) {
  const srv = http.createServer((req, res) => {
    res.setHeader('content-type', 'text/plain')
    res.end(`hello from the lab server on port ${port}\n`)
  })
  srv.keepAliveTimeout = 0
  srv.listen(port, () => { process.stdout.write(`listening on ${port}\n`) })
}
process.on('SIGTERM', () => process.exit(0))
