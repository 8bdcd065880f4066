/* IMPORTANT
 * This snapshot file is auto-generated, but designed for humans.
 * It should be checked into source control and tracked carefully.
 * Re-generate by setting TAP_SNAPSHOT=1 and running tests.
 * Make sure to inspect the output below.  Do not ignore changes!
 */
'use strict'
exports[`build/test/scenario/ladder.test.js > TAP > ladder snapshot: 02-who-sent-this-rst > ladder 1`] = `
    time  client    firewall    server
  ── a normal connection to port 22: the server answers from 10 hops away
    0.000    │──────────┼─────────▶│  S seq 0 win 64240 <mss 1460> ttl 64
             │          │          │  session 1, zone trust → untrust: rule
             │          │          │    allow-out allows; syn-sent
             │          │          │    (timeout-tcpinit 5s)
    0.020    │◀─────────┼──────────│  S. seq 0 ack 1 win 65160 <mss 1460> ttl 54
             │          │          │  SYN-ACK: session 1 waits for the final ACK
             │          │          │    (timeout-tcphandshake)
    0.021    │──────────┼─────────▶│  . seq 1 ack 1 win 65535 ttl 64
             │          │          │  handshake complete: session 1 established
             │          │          │    (timeout-tcp)
             ┊          ┊          ┊  … 1 s later
  ── the server closes with a real RST: TTL 54
    1.021    │◀─────────┼──────────│  R. seq 1 ack 1 win 65535 ttl 54
             │          │          │  RST from server with the exact sequence:
             │          │          │    forwarded, session 1 in time-wait
             ┊          ┊          ┊  … 1 s later
  ── now port 21, where rule block-ftp says reset-client
    2.021    │─────────▶✕          │  S seq 0 win 64240 <mss 1460> ttl 64
             │          │          │  session 2, zone trust → untrust: rule
             │          │          │    block-ftp action reset-client
             │          │          │  session 2 DISCARD (timeout-discard-tcp):
             │          │          │    dropped (flow_policy_deny)
             │◀═════════◆          │  R. seq =0 ack 1 win 0 ttl 64 (forged:
             │          │          │    reset-client, rule block-ftp)
`

exports[`build/test/scenario/ladder.test.js > TAP > ladder snapshot: 04-challenge-ack-hang > ladder 1`] = `
    time  client    firewall    server
   0.0000    │──────────┼─────────▶│  S seq 0 win 64240
             │          │          │    <mss 1460,sackOK,wscale 7> ttl 64
             │          │          │  session 1, zone trust → untrust: rule
             │          │          │    allow-out allows; syn-sent
             │          │          │    (timeout-tcpinit 5s)
   0.0004    │◀─────────┼──────────│  . seq 57000 ack =2399007385 win 502 ttl 54
             │          │          │  ACK without SYN answering the SYN
             │          │          │    (challenge ACK, ack 2399007385):
             │          │          │    forwarded, ack number remembered
   0.0005    │─────────▶✕          │  R seq =2399007385 win 0 ttl 64
             │          │          │  Drop invalid RST or FIN packet (session 1,
             │          │          │    its seq is the challenge ACK number,
             │          │          │    outside the new session
             │          │          │    (allow-challenge-ack no)): dropped
             │          │          │    (tcp_drop_out_of_wnd)
             ┊          ┊          ┊  … 1 s later
  ── 1 s later the SYN is retransmitted: same answer, same drop
   1.0005    │──────────┼─────────▶│  S seq 0 win 64240
             │          │          │    <mss 1460,sackOK,wscale 7> ttl 64
   1.0009    │◀─────────┼──────────│  . seq 57000 ack =2399007385 win 502 ttl 54
             │          │          │  ACK without SYN answering the SYN
             │          │          │    (challenge ACK, ack 2399007385):
             │          │          │    forwarded, ack number remembered
   1.0010    │─────────▶✕          │  R seq =2399007385 win 0 ttl 64
             │          │          │  Drop invalid RST or FIN packet (session 1,
             │          │          │    its seq is the challenge ACK number,
             │          │          │    outside the new session
             │          │          │    (allow-challenge-ack no)): dropped
             │          │          │    (tcp_drop_out_of_wnd)
             ┊          ┊          ┊  … 2 s later
  ── and again after 2 s
   3.0010    │──────────┼─────────▶│  S seq 0 win 64240
             │          │          │    <mss 1460,sackOK,wscale 7> ttl 64
   3.0014    │◀─────────┼──────────│  . seq 57000 ack =2399007385 win 502 ttl 54
             │          │          │  ACK without SYN answering the SYN
             │          │          │    (challenge ACK, ack 2399007385):
             │          │          │    forwarded, ack number remembered
   3.0015    │─────────▶✕          │  R seq =2399007385 win 0 ttl 64
             │          │          │  Drop invalid RST or FIN packet (session 1,
             │          │          │    its seq is the challenge ACK number,
             │          │          │    outside the new session
             │          │          │    (allow-challenge-ack no)): dropped
             │          │          │    (tcp_drop_out_of_wnd)
`
