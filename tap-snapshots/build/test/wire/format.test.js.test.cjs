/* IMPORTANT
 * This snapshot file is auto-generated, but designed for humans.
 * It should be checked into source control and tracked carefully.
 * Re-generate by setting TAP_SNAPSHOT=1 and running tests.
 * Make sure to inspect the output below.  Do not ignore changes!
 */
'use strict'
exports[`build/test/wire/format.test.js > TAP > every shared capture frame formats (snapshot) > formatSummary of every shared capture frame 1`] = `
arkime__tcp_handshake_synthetic.pcap #1 IP (ttl 64, id 1, DF) 192.0.2.10.40001 > 198.51.100.5.8080: Flags [S], seq 1000, win 8192, length 0
arkime__tcp_handshake_synthetic.pcap #2 IP (ttl 64, id 2, DF) 198.51.100.5.8080 > 192.0.2.10.40001: Flags [S.], seq 5000, ack 1001, win 65535, length 0
arkime__tcp_handshake_synthetic.pcap #3 IP (ttl 64, id 3, DF) 192.0.2.10.40001 > 198.51.100.5.8080: Flags [.], seq 1001, ack 5001, win 8192, length 0
arkime__tcp_handshake_synthetic.pcap #4 IP (ttl 64, id 4, DF) 192.0.2.10.40002 > 198.51.100.5.8080: Flags [S], seq 2000, win 8192, length 0
arkime__tcp_handshake_synthetic.pcap #5 IP (ttl 64, id 5, DF) 198.51.100.5.8080 > 192.0.2.10.40002: Flags [S.], seq 6000, ack 2001, win 65535, length 0
arkime__tcp_handshake_synthetic.pcap #6 IP (ttl 64, id 6, DF) 192.0.2.10.40002 > 198.51.100.5.8080: Flags [.], seq 2001, ack 999999, win 8192, length 0
arkime__tcp_handshake_synthetic.pcap #7 IP (ttl 64, id 7, DF) 198.51.100.5.8080 > 192.0.2.10.40002: Flags [S.], seq 6000, ack 2001, win 65535, length 0
arkime__tcp_handshake_synthetic.pcap #8 IP (ttl 64, id 8, DF) 198.51.100.5.8080 > 192.0.2.10.40002: Flags [S.], seq 6000, ack 2001, win 65535, length 0
arkime__tcp_handshake_synthetic.pcap #9 IP (ttl 56, id 9, DF) 192.0.2.10.40003 > 198.51.100.5.8080: Flags [S], seq 3000, win 8192, length 0
arkime__tcp_handshake_synthetic.pcap #10 IP (ttl 64, id 10, DF) 198.51.100.5.8080 > 192.0.2.10.40003: Flags [S.], seq 7000, ack 3001, win 65535, length 0
arkime__tcp_handshake_synthetic.pcap #11 IP (ttl 50, id 11, DF) 192.0.2.10.40003 > 198.51.100.5.8080: Flags [S], seq 7777777, win 8192, length 0
arkime__tcp_handshake_synthetic.pcap #12 IP (ttl 64, id 12, DF) 198.51.100.5.8080 > 192.0.2.10.40003: Flags [.], seq 7001, ack 3001, win 65535, length 0
arkime__tcp_handshake_synthetic.pcap #13 IP (ttl 64, id 13, DF) 198.51.100.5.8080 > 192.0.2.10.40003: Flags [S.], seq 7000, ack 3001, win 65535, length 0
arkime__tcp_handshake_synthetic.pcap #14 IP (ttl 64, id 14, DF) 192.0.2.10.40004 > 198.51.100.5.8080: Flags [S], seq 4000, win 8192, length 0
arkime__tcp_handshake_synthetic.pcap #15 IP (ttl 64, id 15, DF) 198.51.100.5.8080 > 192.0.2.10.40004: Flags [S.], seq 8000, ack 4001, win 65535, length 0
arkime__tcp_handshake_synthetic.pcap #16 IP (ttl 64, id 16, DF) 192.0.2.10.40004 > 198.51.100.5.8080: Flags [.], seq 4001, ack 123456789, win 8192, length 0
arkime__tcp_handshake_synthetic.pcap #17 IP (ttl 64, id 17, DF) 192.0.2.10.40004 > 198.51.100.5.8080: Flags [R], seq 4001, win 8192, length 0
arkime__tcp_handshake_synthetic.pcap #18 IP (ttl 64, id 18, DF) 192.0.2.10.40005 > 198.51.100.5.8080: Flags [S], seq 5000, win 8192, length 0
arkime__tcp_handshake_synthetic.pcap #19 IP (ttl 64, id 19, DF) 198.51.100.5.8080 > 192.0.2.10.40005: Flags [S.], seq 9000, ack 5001, win 65535, length 0
arkime__tcp_handshake_synthetic.pcap #20 IP (ttl 64, id 20, DF) 192.0.2.10.40005 > 198.51.100.5.8080: Flags [S.], seq 424242, ack 5001, win 8192, length 0
arkime__tcp_handshake_synthetic.pcap #21 IP (ttl 64, id 21, DF) 192.0.2.10.40005 > 198.51.100.5.8080: Flags [.], seq 5001, ack 424243, win 8192, length 0
arkime__tcp_handshake_synthetic.pcap #22 IP (ttl 64, id 22, DF) 192.0.2.10.40006 > 198.51.100.5.8080: Flags [S], seq 6000, win 8192, length 0
arkime__tcp_handshake_synthetic.pcap #23 IP (ttl 64, id 23, DF) 198.51.100.5.8080 > 192.0.2.10.40006: Flags [S.], seq 10000, ack 6001, win 65535, length 0
arkime__tcp_handshake_synthetic.pcap #24 IP (ttl 64, id 24, DF) 192.0.2.10.40006 > 198.51.100.5.8080: Flags [.], seq 555555, ack 10001, win 8192, length 0
arkime__tcp_handshake_synthetic.pcap #25 IP (ttl 64, id 25, DF) 198.51.100.5.8080 > 192.0.2.10.40007: Flags [S.], seq 11000, ack 7001, win 65535, length 0
arkime__tcp_handshake_synthetic.pcap #26 IP (ttl 64, id 26, DF) 192.0.2.10.40007 > 198.51.100.5.8080: Flags [.], seq 7001, ack 11001, win 8192, length 0
arkime__tcp_handshake_synthetic.pcap #27 IP (ttl 64, id 27, DF) 192.0.2.10.40008 > 198.51.100.5.8080: Flags [S], seq 12000, win 8192, length 0
arkime__tcp_handshake_synthetic.pcap #28 IP (ttl 64, id 28, DF) 198.51.100.5.8080 > 192.0.2.10.40008: Flags [S.], seq 13000, ack 12001, win 65535, length 0
arkime__tcp_handshake_synthetic.pcap #29 IP (ttl 64, id 29, DF) 198.51.100.5.8080 > 192.0.2.10.40008: Flags [P.], seq 13001:13022, ack 12001, win 65535, length 21
arkime__tcp_handshake_synthetic.pcap #30 IP (ttl 64, id 30, DF) 192.0.2.10.40008 > 198.51.100.5.8080: Flags [.], seq 12001, ack 13022, win 8192, length 0
arkime__tcp_handshake_synthetic.pcap #31 IP (ttl 64, id 31, DF) 192.0.2.10.40008 > 198.51.100.5.8080: Flags [F.], seq 12001, ack 13022, win 8192, length 0
arkime__tcp_handshake_synthetic.pcap #32 IP (ttl 64, id 32, DF) 192.0.2.10.40009 > 198.51.100.5.8080: Flags [S], seq 14000, win 8192, length 0
arkime__tcp_handshake_synthetic.pcap #33 IP (ttl 64, id 33, DF) 198.51.100.5.8080 > 192.0.2.10.40009: Flags [S.], seq 15000, ack 14001, win 65535, length 0
arkime__tcp_handshake_synthetic.pcap #34 IP (ttl 64, id 34, DF) 192.0.2.10.40009 > 198.51.100.5.8080: Flags [P.], seq 14001:14034, ack 15001, win 8192, length 33
arkime__tcp_handshake_synthetic.pcap #35 IP (ttl 64, id 35, DF) 198.51.100.5.8080 > 192.0.2.10.40009: Flags [.], seq 15001, ack 14034, win 65535, length 0
arkime__tcp_handshake_synthetic.pcap #36 IP (ttl 64, id 36, DF) 192.0.2.10.40010 > 198.51.100.5.8080: Flags [S], seq 16000, win 8192, length 0
arkime__tcp_handshake_synthetic.pcap #37 IP (ttl 64, id 37, DF) 198.51.100.5.8080 > 192.0.2.10.40010: Flags [S.], seq 17000, ack 16001, win 65535, length 0
arkime__tcp_handshake_synthetic.pcap #38 IP (ttl 64, id 38, DF) 192.0.2.10.40010 > 198.51.100.5.8080: Flags [.], seq 16001, ack 517000, win 8192, length 0
arkime__tcp_handshake_synthetic.pcap #39 IP (ttl 64, id 39, DF) 192.0.2.10.40011 > 198.51.100.5.8080: Flags [S], seq 18000, win 8192, length 0
arkime__tcp_handshake_synthetic.pcap #40 IP (ttl 64, id 40, DF) 198.51.100.5.8080 > 192.0.2.10.40011: Flags [S.], seq 19000, ack 18001, win 65535, length 0
arkime__tcp_handshake_synthetic.pcap #41 IP (ttl 64, id 41, DF) 192.0.2.10.40011 > 198.51.100.5.8080: Flags [.], seq 18001, ack 4294486296, win 8192, length 0
arkime__tcp_handshake_synthetic.pcap #42 IP (ttl 64, id 1) 198.51.100.5.8080 > 192.0.2.10.40012: Flags [S.], seq 21000, ack 20001, win 65535, length 0
arkime__tcp_handshake_synthetic.pcap #43 IP (ttl 64, id 1) 192.0.2.10.40012 > 198.51.100.5.8080: Flags [S], seq 20000, win 8192, length 0
arkime__tcp_handshake_synthetic.pcap #44 IP (ttl 64, id 1) 192.0.2.10.40012 > 198.51.100.5.8080: Flags [.], seq 20001, ack 21001, win 8192, length 0
arkime__tcp_handshake_synthetic.pcap #45 IP (ttl 64, id 1) 192.0.2.10.40013 > 198.51.100.5.8080: Flags [S], seq 30000, win 8192, length 0
arkime__tcp_handshake_synthetic.pcap #46 IP (ttl 64, id 1) 192.0.2.10.40013 > 198.51.100.5.8080: Flags [S], seq 30500, win 8192, length 0
arkime__tcp_handshake_synthetic.pcap #47 IP (ttl 64, id 1) 192.0.2.10.40013 > 198.51.100.5.8080: Flags [S], seq 30500, win 8192, length 0
arkime__tcp_handshake_synthetic.pcap #48 IP (ttl 64, id 1) 192.0.2.10.40014 > 198.51.100.5.8080: Flags [S], seq 40000, win 8192, length 0
arkime__tcp_handshake_synthetic.pcap #49 IP (ttl 64, id 1) 198.51.100.5.8080 > 192.0.2.10.40014: Flags [S.], seq 4294967295, ack 40001, win 65535, length 0
arkime__tcp_handshake_synthetic.pcap #50 IP (ttl 64, id 1) 192.0.2.10.40014 > 198.51.100.5.8080: Flags [.], seq 40001, ack 0, win 8192, length 0
nDPI__tcp_scan.pcapng #1 ARP, Request who-has 192.168.1.151 tell 192.168.1.2, length 28
nDPI__tcp_scan.pcapng #2 ARP, Request who-has 192.168.1.151 tell 192.168.1.2, length 28
nDPI__tcp_scan.pcapng #3 IP (ttl 255, id 0, DF) 192.168.1.178.56272 > 192.168.1.2.80: Flags [S], seq 439450770, win 65535, options [mss 1460,nop,wscale 5,nop,nop,TS val 120821785 ecr 0,sackOK,eol], length 0
nDPI__tcp_scan.pcapng #4 IP (ttl 255, id 0, DF) 192.168.1.178.56273 > 192.168.1.2.443: Flags [S], seq 2860353583, win 65535, options [mss 1460,nop,wscale 5,nop,nop,TS val 120821785 ecr 0,sackOK,eol], length 0
nDPI__tcp_scan.pcapng #5 IP (ttl 64, id 0, DF) 192.168.1.2.80 > 192.168.1.178.56272: Flags [S.], seq 3222045538, ack 439450771, win 28960, options [mss 1460,sackOK,TS val 4170285 ecr 120821785,nop,wscale 7], length 0
nDPI__tcp_scan.pcapng #6 IP (ttl 255, id 0, DF) 192.168.1.178.56272 > 192.168.1.2.80: Flags [.], seq 439450771, ack 3222045539, win 4117, options [nop,nop,TS val 120821786 ecr 4170285], length 0
nDPI__tcp_scan.pcapng #7 IP (ttl 64, id 0, DF) 192.168.1.2.443 > 192.168.1.178.56273: Flags [S.], seq 3489573943, ack 2860353584, win 28960, options [mss 1460,sackOK,TS val 4170285 ecr 120821785,nop,wscale 7], length 0
nDPI__tcp_scan.pcapng #8 IP (ttl 255, id 0, DF) 192.168.1.178.56273 > 192.168.1.2.443: Flags [.], seq 2860353584, ack 3489573944, win 4117, options [nop,nop,TS val 120821786 ecr 4170285], length 0
nDPI__tcp_scan.pcapng #9 IP (ttl 255, id 0, DF) 192.168.1.178.56272 > 192.168.1.2.80: Flags [R.], seq 439450771, ack 3222045539, win 4117, length 0
nDPI__tcp_scan.pcapng #10 IP (ttl 255, id 0, DF) 192.168.1.178.56273 > 192.168.1.2.443: Flags [R.], seq 2860353584, ack 3489573944, win 4117, length 0
nDPI__tcp_scan.pcapng #11 IP (ttl 255, id 0, DF) 192.168.1.178.56274 > 192.168.1.2.445: Flags [S], seq 763417299, win 65535, options [mss 1460,nop,wscale 5,nop,nop,TS val 120821799 ecr 0,sackOK,eol], length 0
nDPI__tcp_scan.pcapng #12 IP (ttl 64, id 60047, DF) 192.168.1.2.445 > 192.168.1.178.56274: Flags [R.], seq 0, ack 763417300, win 0, length 0
nDPI__tcp_scan.pcapng #13 ARP, Request who-has 192.168.1.178 tell 192.168.1.2, length 28
nDPI__tcp_scan.pcapng #14 ARP, Reply 192.168.1.178 is-at 28:37:37:00:6d:c8, length 28
nDPI__tcp_scan.pcapng #15 ARP, Request who-has 192.168.1.2 tell 192.168.1.178, length 28
nDPI__tcp_scan.pcapng #16 ARP, Reply 192.168.1.2 is-at 00:80:8f:9a:ae:bd, length 28
nDPI__tcp_scan.pcapng #17 IP (ttl 57, id 57309) 192.168.1.178.43067 > 192.168.1.2.3389: Flags [S], seq 4150816406, win 1024, options [mss 1460], length 0
nDPI__tcp_scan.pcapng #18 IP (ttl 64, id 60762, DF) 192.168.1.2.3389 > 192.168.1.178.43067: Flags [R.], seq 0, ack 4150816407, win 0, length 0
nDPI__tcp_scan.pcapng #19 ARP, Request who-has 192.168.1.2 tell 192.168.1.178, length 28
nDPI__tcp_scan.pcapng #20 ARP, Reply 192.168.1.2 is-at 00:80:8f:9a:ae:bd, length 28
nDPI__tcp_scan.pcapng #21 IP (ttl 42, id 51571) 192.168.1.178.62971 > 192.168.1.2.3390: Flags [F], seq 4273590571, win 1024, length 0
nDPI__tcp_scan.pcapng #22 IP (ttl 64, id 61519, DF) 192.168.1.2.3390 > 192.168.1.178.62971: Flags [R.], seq 0, ack 4273590572, win 0, length 0
nDPI__tcp_scan.pcapng #23 ARP, Request who-has 192.168.1.2 tell 192.168.1.178, length 28
nDPI__tcp_scan.pcapng #24 ARP, Reply 192.168.1.2 is-at 00:80:8f:9a:ae:bd, length 28
nDPI__tcp_scan.pcapng #25 IP (ttl 45, id 31570) 192.168.1.178.57916 > 192.168.1.2.3391: Flags [none], seq 3092930907, win 1024, length 0
nDPI__tcp_scan.pcapng #26 IP (ttl 64, id 61623, DF) 192.168.1.2.3391 > 192.168.1.178.57916: Flags [R.], seq 0, ack 3092930907, win 0, length 0
nDPI__tcp_scan.pcapng #27 ARP, Request who-has 192.168.1.2 tell 192.168.1.178, length 28
nDPI__tcp_scan.pcapng #28 ARP, Reply 192.168.1.2 is-at 00:80:8f:9a:ae:bd, length 28
nDPI__tcp_scan.pcapng #29 IP (ttl 51, id 34309) 192.168.1.178.63243 > 192.168.1.2.3392: Flags [FPU], seq 3382815324, win 1024, urg 0, length 0
nDPI__tcp_scan.pcapng #30 IP (ttl 64, id 61641, DF) 192.168.1.2.3392 > 192.168.1.178.63243: Flags [R.], seq 0, ack 3382815325, win 0, length 0
nDPI__tls_1.2_unidirectional_client.pcapng #1 IP (ttl 64, id 37244, DF) 192.168.12.156.43854 > 216.58.209.42.443: Flags [S], seq 1435761998, win 65535, options [mss 1460,sackOK,TS val 1708339215 ecr 0,nop,wscale 9], length 0
nDPI__tls_1.2_unidirectional_client.pcapng #2 IP (ttl 64, id 37245, DF) 192.168.12.156.43854 > 216.58.209.42.443: Flags [.], seq 1435761999, ack 1062405572, win 172, options [nop,nop,TS val 1708339224 ecr 1546285917], length 0
nDPI__tls_1.2_unidirectional_client.pcapng #3 IP (ttl 64, id 37246, DF) 192.168.12.156.43854 > 216.58.209.42.443: Flags [P.], seq 1435761999:1435762179, ack 1062405572, win 172, options [nop,nop,TS val 1708339235 ecr 1546285917], length 180
nDPI__tls_1.2_unidirectional_client.pcapng #4 IP (ttl 64, id 37247, DF) 192.168.12.156.43854 > 216.58.209.42.443: Flags [.], seq 1435762179, ack 1062406990, win 177, options [nop,nop,TS val 1708339259 ecr 1546285952], length 0
nDPI__tls_1.2_unidirectional_client.pcapng #5 IP (ttl 64, id 37248, DF) 192.168.12.156.43854 > 216.58.209.42.443: Flags [.], seq 1435762179, ack 1062408408, win 183, options [nop,nop,TS val 1708339259 ecr 1546285952], length 0
nDPI__tls_1.2_unidirectional_client.pcapng #6 IP (ttl 64, id 37249, DF) 192.168.12.156.43854 > 216.58.209.42.443: Flags [.], seq 1435762179, ack 1062409826, win 188, options [nop,nop,TS val 1708339261 ecr 1546285952], length 0
nDPI__tls_1.2_unidirectional_client.pcapng #7 IP (ttl 64, id 37250, DF) 192.168.12.156.43854 > 216.58.209.42.443: Flags [.], seq 1435762179, ack 1062410173, win 194, options [nop,nop,TS val 1708339261 ecr 1546285952], length 0
nDPI__tls_1.2_unidirectional_client.pcapng #8 IP (ttl 64, id 37251, DF) 192.168.12.156.43854 > 216.58.209.42.443: Flags [P.], seq 1435762179:1435762272, ack 1062410173, win 194, options [nop,nop,TS val 1708339333 ecr 1546285952], length 93
nDPI__tls_1.2_unidirectional_client.pcapng #9 IP (ttl 64, id 37252, DF) 192.168.12.156.43854 > 216.58.209.42.443: Flags [.], seq 1435762272, ack 1062410465, win 194, options [nop,nop,TS val 1708339344 ecr 1546286039], length 0
nDPI__tls_1.2_unidirectional_client.pcapng #10 IP (ttl 64, id 37253, DF) 192.168.12.156.43854 > 216.58.209.42.443: Flags [.], seq 1435762272, ack 1062410534, win 194, options [nop,nop,TS val 1708339344 ecr 1546286039], length 0
nDPI__tls_1.2_unidirectional_client.pcapng #11 IP (ttl 64, id 37254, DF) 192.168.12.156.43854 > 216.58.209.42.443: Flags [P.], seq 1435762272:1435762325, ack 1062410534, win 194, options [nop,nop,TS val 1708339348 ecr 1546286039], length 53
nDPI__tls_1.2_unidirectional_client.pcapng #12 IP (ttl 64, id 37255, DF) 192.168.12.156.43854 > 216.58.209.42.443: Flags [.], seq 1435762325:1435763349, ack 1062410534, win 194, options [nop,nop,TS val 1708339352 ecr 1546286039], length 1024
nDPI__tls_1.2_unidirectional_client.pcapng #13 IP (ttl 64, id 37256, DF) 192.168.12.156.43854 > 216.58.209.42.443: Flags [P.], seq 1435763349:1435763777, ack 1062410534, win 194, options [nop,nop,TS val 1708339360 ecr 1546286055], length 428
nDPI__tls_1.2_unidirectional_client.pcapng #14 IP (ttl 64, id 37257, DF) 192.168.12.156.43854 > 216.58.209.42.443: Flags [P.], seq 1435763777:1435763815, ack 1062410572, win 194, options [nop,nop,TS val 1708339374 ecr 1546286055], length 38
nDPI__tls_1.2_unidirectional_client.pcapng #15 IP (ttl 64, id 37258, DF) 192.168.12.156.43854 > 216.58.209.42.443: Flags [.], seq 1435763815, ack 1062411548, win 199, options [nop,nop,TS val 1708339648 ecr 1546286309,nop,nop,sack 1 {1062411502:1062411548}], length 0
nDPI__tls_1.2_unidirectional_client.pcapng #16 IP (ttl 64, id 37259, DF) 192.168.12.156.43854 > 216.58.209.42.443: Flags [P.], seq 1435763815:1435763861, ack 1062411548, win 199, options [nop,nop,TS val 1708339651 ecr 1546286309], length 46
nDPI__tls_1.2_unidirectional_client.pcapng #17 IP (ttl 64, id 37260, DF) 192.168.12.156.43854 > 216.58.209.42.443: Flags [R.], seq 1435763861, ack 1062411548, win 199, options [nop,nop,TS val 1708350511 ecr 1546286352], length 0
suricata-verify__bug-2769__issue_no_icmp.pcap #1 IP (ttl 116, id 22340, DF) 3.251.38.200.59921 > 3.235.60.34.8080: Flags [S], seq 3415926115, win 65535, options [mss 1352,nop,wscale 3,nop,nop,sackOK], length 0
suricata-verify__bug-2769__issue_no_icmp.pcap #2 IP (ttl 58, id 12288, DF) 3.235.60.34.8080 > 3.251.38.200.59921: Flags [S.], seq 953284097, ack 3415926116, win 65535, options [mss 1352,nop,wscale 5,sackOK,eol], length 0
suricata-verify__bug-2769__issue_no_icmp.pcap #3 IP (ttl 116, id 22355, DF) 3.251.38.200.59921 > 3.235.60.34.8080: Flags [.], seq 3415926116, ack 953284098, win 32768, length 0
suricata-verify__bug-2769__issue_no_icmp.pcap #4 IP (ttl 116, id 22356, DF) 3.251.38.200.59921 > 3.235.60.34.8080: Flags [P.], seq 3415926116:3415926495, ack 953284098, win 32768, length 379
suricata-verify__bug-2769__issue_no_icmp.pcap #5 IP (ttl 59, id 12993, DF) 3.235.60.34.8080 > 3.251.38.200.59921: Flags [P.], seq 953284098:953284163, ack 3415926495, win 2070, length 65
suricata-verify__bug-2769__issue_no_icmp.pcap #6 IP (ttl 116, id 22364, DF) 3.251.38.200.59921 > 3.235.60.34.8080: Flags [.], seq 3415926495, ack 953284163, win 32759, length 0
suricata-verify__bug-2769__issue_no_icmp.pcap #7 IP (ttl 116, id 22368, DF) 3.251.38.200.59921 > 3.235.60.34.8080: Flags [P.], seq 3415926495:3415926693, ack 953284163, win 32759, length 198
suricata-verify__bug-2769__issue_no_icmp.pcap #8 IP (ttl 59, id 14410, DF) 3.235.60.34.8080 > 3.251.38.200.59921: Flags [.], seq 953284163, ack 3415926693, win 2064, length 0
suricata-verify__bug-2769__issue_no_icmp.pcap #9 IP (ttl 59, id 17519, DF) 3.235.60.34.8080 > 3.251.38.200.59921: Flags [.], seq 953284163:953285515, ack 3415926693, win 2070, length 1352
suricata-verify__bug-2769__issue_no_icmp.pcap #10 IP (ttl 59, id 17520, DF) 3.235.60.34.8080 > 3.251.38.200.59921: Flags [.], seq 953285515:953286867, ack 3415926693, win 2070, length 1352
suricata-verify__bug-2769__issue_no_icmp.pcap #11 IP (ttl 116, id 22417, DF) 3.251.38.200.59921 > 3.235.60.34.8080: Flags [.], seq 3415926693, ack 953285515, win 32768, length 0
suricata-verify__bug-2769__issue_no_icmp.pcap #12 IP (ttl 116, id 22420, DF) 3.251.38.200.59921 > 3.235.60.34.8080: Flags [.], seq 3415926693, ack 953286867, win 32768, length 0
suricata-verify__bug-2769__issue_no_icmp.pcap #13 IP (ttl 59, id 18382, DF) 3.235.60.34.8080 > 3.251.38.200.59921: Flags [.], seq 953286867:953288219, ack 3415926693, win 2070, length 1352
suricata-verify__bug-2769__issue_no_icmp.pcap #14 IP (ttl 59, id 18383, DF) 3.235.60.34.8080 > 3.251.38.200.59921: Flags [P.], seq 953288219:953288247, ack 3415926693, win 2070, length 28
suricata-verify__bug-2769__issue_no_icmp.pcap #15 IP (ttl 116, id 22433, DF) 3.251.38.200.59921 > 3.235.60.34.8080: Flags [.], seq 3415926693, ack 953288219, win 32768, length 0
suricata-verify__bug-2769__issue_no_icmp.pcap #16 IP (ttl 116, id 22434, DF) 3.251.38.200.59921 > 3.235.60.34.8080: Flags [.], seq 3415926693, ack 953288247, win 32764, length 0
suricata-verify__bug-2769__issue_no_icmp.pcap #17 IP (ttl 116, id 22438, DF) 3.251.38.200.59921 > 3.235.60.34.8080: Flags [P.], seq 3415926693:3415926843, ack 953288247, win 32764, length 150
suricata-verify__bug-2769__issue_no_icmp.pcap #18 IP (ttl 59, id 19549, DF) 3.235.60.34.8080 > 3.251.38.200.59921: Flags [P.], seq 953288247:953288322, ack 3415926843, win 2070, length 75
suricata-verify__bug-2769__issue_no_icmp.pcap #19 IP (ttl 116, id 22446, DF) 3.251.38.200.59921 > 3.235.60.34.8080: Flags [.], seq 3415926843, ack 953288322, win 32755, length 0
suricata-verify__bug-2769__issue_no_icmp.pcap #20 IP (ttl 116, id 22449, DF) 3.251.38.200.59921 > 3.235.60.34.8080: Flags [P.], seq 3415926843:3415927440, ack 953288322, win 32755, length 597
suricata-verify__bug-2769__issue_no_icmp.pcap #21 IP (ttl 59, id 21527, DF) 3.235.60.34.8080 > 3.251.38.200.59921: Flags [.], seq 953288322, ack 3415927440, win 2070, length 0
suricata-verify__bug-2769__issue_no_icmp.pcap #22 IP (ttl 59, id 24231, DF) 3.235.60.34.8080 > 3.251.38.200.59921: Flags [.], seq 953288322:953289674, ack 3415927440, win 2070, length 1352
suricata-verify__bug-2769__issue_no_icmp.pcap #23 IP (ttl 59, id 24232, DF) 3.235.60.34.8080 > 3.251.38.200.59921: Flags [.], seq 953289674:953291026, ack 3415927440, win 2070, length 1352
suricata-verify__bug-2769__issue_no_icmp.pcap #24 IP (ttl 116, id 22466, DF) 3.251.38.200.59921 > 3.235.60.34.8080: Flags [.], seq 3415927440, ack 953289674, win 32768, length 0
suricata-verify__bug-2769__issue_no_icmp.pcap #25 IP (ttl 116, id 22467, DF) 3.251.38.200.59921 > 3.235.60.34.8080: Flags [.], seq 3415927440, ack 953291026, win 32768, length 0
suricata-verify__bug-2769__issue_no_icmp.pcap #26 IP (ttl 59, id 24835, DF) 3.235.60.34.8080 > 3.251.38.200.59921: Flags [.], seq 953291026:953292378, ack 3415927440, win 2070, length 1352
suricata-verify__bug-2769__issue_no_icmp.pcap #27 IP (ttl 59, id 24836, DF) 3.235.60.34.8080 > 3.251.38.200.59921: Flags [.], seq 953292378:953293730, ack 3415927440, win 2070, length 1352
suricata-verify__bug-2769__issue_no_icmp.pcap #28 IP (ttl 59, id 24862, DF) 3.235.60.34.8080 > 3.251.38.200.59921: Flags [.], seq 953295082:953296434, ack 3415927440, win 2070, length 1352
suricata-verify__bug-2769__issue_no_icmp.pcap #29 IP (ttl 59, id 24861, DF) 3.235.60.34.8080 > 3.251.38.200.59921: Flags [.], seq 953293730:953295082, ack 3415927440, win 2070, length 1352
suricata-verify__bug-2769__issue_no_icmp.pcap #30 IP (ttl 116, id 22469, DF) 3.251.38.200.59921 > 3.235.60.34.8080: Flags [R.], seq 3415927440, ack 953291026, win 0, length 0
suricata-verify__bug-2769__issue_no_icmp.pcap #31 IP (ttl 244, id 46339, DF) 3.251.38.200.59921 > 3.235.60.34.8080: Flags [R.], seq 3415927440, ack 953292378, win 0, length 0
suricata-verify__bug-2769__issue_no_icmp.pcap #32 IP (ttl 244, id 46341, DF) 3.251.38.200.59921 > 3.235.60.34.8080: Flags [R.], seq 3415927440, ack 953293730, win 0, length 0
suricata-verify__bug-2769__issue_no_icmp.pcap #33 IP (ttl 244, id 46350, DF) 3.251.38.200.59921 > 3.235.60.34.8080: Flags [R.], seq 3415927440, ack 953296434, win 0, length 0
suricata-verify__bug-2769__issue_no_icmp.pcap #34 IP (ttl 244, id 46351, DF) 3.251.38.200.59921 > 3.235.60.34.8080: Flags [R.], seq 3415927440, ack 953295082, win 0, length 0
suricata-verify__bug-3286-02-linux-evasion__with_evasion_linux.pcap #1 IP (ttl 64, id 58846, DF) 192.168.1.43.35532 > 192.168.1.90.80: Flags [S], seq 3810062735, win 64240, options [mss 1460,sackOK,TS val 1821165629 ecr 0,nop,wscale 7], length 0
suricata-verify__bug-3286-02-linux-evasion__with_evasion_linux.pcap #2 IP (ttl 64, id 58846, DF) 192.168.1.90.80 > 192.168.1.43.35532: Flags [R.], seq 0, ack 3810062736, win 64240, options [TS val 100 ecr 100,eol], length 0
suricata-verify__bug-3286-02-linux-evasion__with_evasion_linux.pcap #3 IP (ttl 64, id 58846, DF) 192.168.1.90.80 > 192.168.1.43.35532: Flags [F.], seq 0, ack 3810062736, win 64240, options [TS val 100 ecr 100,eol], length 0
suricata-verify__bug-3286-02-linux-evasion__with_evasion_linux.pcap #4 IP (ttl 64, id 0, DF) 192.168.1.43.35532 > 192.168.1.90.80: Flags [R], seq 3810062736, win 0, length 0
suricata-verify__bug-3286-02-linux-evasion__with_evasion_linux.pcap #5 IP (ttl 64, id 58846, DF) 192.168.1.90.80 > 192.168.1.43.35532: Flags [S.], seq 26175, ack 3810062736, win 64240, options [mss 1460,sackOK,TS val 1821165629 ecr 0,nop,wscale 7], length 0
suricata-verify__bug-3286-02-linux-evasion__with_evasion_linux.pcap #6 IP (ttl 64, id 58847, DF) 192.168.1.43.35532 > 192.168.1.90.80: Flags [.], seq 3810062736, ack 26176, win 502, options [nop,nop,TS val 1821165693 ecr 1821165629], length 0
suricata-verify__bug-3286-02-linux-evasion__with_evasion_linux.pcap #7 IP (ttl 64, id 58848, DF) 192.168.1.43.35532 > 192.168.1.90.80: Flags [P.], seq 3810062736:3810063074, ack 26176, win 502, options [nop,nop,TS val 1821165693 ecr 1821165629], length 338
suricata-verify__bug-3286-02-linux-evasion__with_evasion_linux.pcap #8 IP (ttl 64, id 58848, DF) 192.168.1.90.80 > 192.168.1.43.35532: Flags [.], seq 26176, ack 3810063074, win 502, options [nop,nop,TS val 1821165693 ecr 1821165629], length 0
suricata-verify__bug-3286-02-linux-evasion__with_evasion_linux.pcap #9 IP (ttl 64, id 58848, DF) 192.168.1.90.80 > 192.168.1.43.35532: Flags [P.], seq 26176:26255, ack 3810063074, win 502, options [nop,nop,TS val 1821165693 ecr 1821165629], length 79
suricata-verify__bug-3286-02-linux-evasion__with_evasion_linux.pcap #10 IP (ttl 64, id 58849, DF) 192.168.1.43.35532 > 192.168.1.90.80: Flags [.], seq 3810063074, ack 26255, win 502, options [nop,nop,TS val 1821165813 ecr 1821165693], length 0
suricata-verify__bug-3616-smtp__input.pcap #1 IP (ttl 128, id 9482) 10.10.1.4.56166 > 10.10.1.1.53: UDP, length 34
suricata-verify__bug-3616-smtp__input.pcap #2 IP (ttl 64, id 0, DF) 10.10.1.1.53 > 10.10.1.4.56166: UDP, length 100
suricata-verify__bug-3616-smtp__input.pcap #3 IP (ttl 128, id 9488, DF) 10.10.1.4.1470 > 74.53.140.153.25: Flags [S], seq 2126795696, win 65535, options [mss 1460,nop,nop,sackOK], length 0
suricata-verify__bug-3616-smtp__input.pcap #4 IP (ttl 50, id 0, DF) 74.53.140.153.25 > 10.10.1.4.1470: Flags [S.], seq 2934727087, ack 2126795697, win 5840, options [mss 1460,nop,nop,sackOK], length 0
suricata-verify__bug-3616-smtp__input.pcap #5 IP (ttl 128, id 9489, DF) 10.10.1.4.1470 > 74.53.140.153.25: Flags [.], seq 2126795697, ack 2934727088, win 65535, length 0
suricata-verify__bug-3616-smtp__input.pcap #6 IP (ttl 50, id 8674, DF) 74.53.140.153.25 > 10.10.1.4.1470: Flags [P.], seq 2934727088:2934727269, ack 2126795697, win 5840, length 181
suricata-verify__bug-3616-smtp__input.pcap #7 IP (ttl 128, id 9503, DF) 10.10.1.4.1470 > 74.53.140.153.25: Flags [P.], seq 2126795697:2126795706, ack 2934727269, win 65354, length 9
suricata-verify__bug-3616-smtp__input.pcap #8 IP (ttl 50, id 8675, DF) 74.53.140.153.25 > 10.10.1.4.1470: Flags [.], seq 2934727269, ack 2126795706, win 5840, length 0
suricata-verify__bug-3616-smtp__input.pcap #9 IP (ttl 50, id 8676, DF) 74.53.140.153.25 > 10.10.1.4.1470: Flags [P.], seq 2934727269:2934727406, ack 2126795706, win 5840, length 137
suricata-verify__bug-3616-smtp__input.pcap #10 IP (ttl 128, id 9508, DF) 10.10.1.4.1470 > 74.53.140.153.25: Flags [P.], seq 2126795706:2126795718, ack 2934727406, win 65217, length 12
suricata-verify__bug-3616-smtp__input.pcap #11 IP (ttl 50, id 8677, DF) 74.53.140.153.25 > 10.10.1.4.1470: Flags [P.], seq 2934727406:2934727424, ack 2126795718, win 5840, length 18
suricata-verify__bug-3616-smtp__input.pcap #12 IP (ttl 128, id 9513, DF) 10.10.1.4.1470 > 74.53.140.153.25: Flags [P.], seq 2126795718:2126795748, ack 2934727424, win 65199, length 30
suricata-verify__bug-3616-smtp__input.pcap #13 IP (ttl 50, id 8678, DF) 74.53.140.153.25 > 10.10.1.4.1470: Flags [P.], seq 2934727424:2934727442, ack 2126795748, win 5840, length 18
suricata-verify__bug-3616-smtp__input.pcap #14 IP (ttl 128, id 9518, DF) 10.10.1.4.1470 > 74.53.140.153.25: Flags [P.], seq 2126795748:2126795766, ack 2934727442, win 65181, length 18
suricata-verify__bug-3616-smtp__input.pcap #15 IP (ttl 50, id 8679, DF) 74.53.140.153.25 > 10.10.1.4.1470: Flags [P.], seq 2934727442:2934727472, ack 2126795766, win 5840, length 30
suricata-verify__bug-3616-smtp__input.pcap #16 IP (ttl 128, id 9523, DF) 10.10.1.4.1470 > 74.53.140.153.25: Flags [P.], seq 2126795766:2126795802, ack 2934727472, win 65151, length 36
suricata-verify__bug-3616-smtp__input.pcap #17 IP (ttl 50, id 8680, DF) 74.53.140.153.25 > 10.10.1.4.1470: Flags [P.], seq 2934727472:2934727480, ack 2126795802, win 5840, length 8
suricata-verify__bug-3616-smtp__input.pcap #18 IP (ttl 128, id 9528, DF) 10.10.1.4.1470 > 74.53.140.153.25: Flags [P.], seq 2126795802:2126795841, ack 2934727480, win 65143, length 39
suricata-verify__bug-3616-smtp__input.pcap #19 IP (ttl 50, id 8681, DF) 74.53.140.153.25 > 10.10.1.4.1470: Flags [P.], seq 2934727480:2934727494, ack 2126795841, win 5840, length 14
suricata-verify__bug-3616-smtp__input.pcap #20 IP (ttl 128, id 9533, DF) 10.10.1.4.1470 > 74.53.140.153.25: Flags [P.], seq 2126795841:2126795847, ack 2934727494, win 65129, length 6
suricata-verify__bug-3616-smtp__input.pcap #21 IP (ttl 50, id 8682, DF) 74.53.140.153.25 > 10.10.1.4.1470: Flags [P.], seq 2934727494:2934727550, ack 2126795847, win 5840, length 56
suricata-verify__bug-3616-smtp__input.pcap #22 IP (ttl 128, id 9551, DF) 10.10.1.4.1470 > 74.53.140.153.25: Flags [.], seq 2126795847:2126797307, ack 2934727550, win 65073, length 1460
suricata-verify__bug-3616-smtp__input.pcap #23 IP (ttl 128, id 9552, DF) 10.10.1.4.1470 > 74.53.140.153.25: Flags [.], seq 2126797307:2126798767, ack 2934727550, win 65073, length 1460
suricata-verify__bug-3616-smtp__input.pcap #24 IP (ttl 128, id 9553, DF) 10.10.1.4.1470 > 74.53.140.153.25: Flags [.], seq 2126798767:2126800227, ack 2934727550, win 65073, length 1460
suricata-verify__bug-3616-smtp__input.pcap #25 IP (ttl 128, id 9554, DF) 10.10.1.4.1470 > 74.53.140.153.25: Flags [.], seq 2126800227:2126801687, ack 2934727550, win 65073, length 1460
suricata-verify__bug-3616-smtp__input.pcap #26 IP (ttl 63, id 17689) 192.168.1.1 > 10.10.1.4: ICMP 74.53.140.153 unreachable - need to frag, length 556
suricata-verify__bug-3616-smtp__input.pcap #27 IP (ttl 128, id 9555, DF) 10.10.1.4.1470 > 74.53.140.153.25: Flags [.], seq 2126795847:2126797299, ack 2934727550, win 65073, length 1452
suricata-verify__bug-3616-smtp__input.pcap #28 IP (ttl 63, id 17690) 192.168.1.1 > 10.10.1.4: ICMP 74.53.140.153 unreachable - need to frag, length 556
suricata-verify__bug-3616-smtp__input.pcap #29 IP (ttl 63, id 17691) 192.168.1.1 > 10.10.1.4: ICMP 74.53.140.153 unreachable - need to frag, length 556
suricata-verify__bug-3616-smtp__input.pcap #30 IP (ttl 63, id 17692) 192.168.1.1 > 10.10.1.4: ICMP 74.53.140.153 unreachable - need to frag, length 556
suricata-verify__bug-3616-smtp__input.pcap #31 IP (ttl 50, id 8683, DF) 74.53.140.153.25 > 10.10.1.4.1470: Flags [.], seq 2934727550, ack 2126797299, win 8712, length 0
suricata-verify__bug-3616-smtp__input.pcap #32 IP (ttl 128, id 9556, DF) 10.10.1.4.1470 > 74.53.140.153.25: Flags [.], seq 2126797299:2126798751, ack 2934727550, win 65073, length 1452
suricata-verify__bug-3616-smtp__input.pcap #33 IP (ttl 128, id 9557, DF) 10.10.1.4.1470 > 74.53.140.153.25: Flags [.], seq 2126798751:2126800203, ack 2934727550, win 65073, length 1452
suricata-verify__bug-3616-smtp__input.pcap #34 IP (ttl 50, id 8684, DF) 74.53.140.153.25 > 10.10.1.4.1470: Flags [.], seq 2934727550, ack 2126798751, win 11616, length 0
suricata-verify__bug-3616-smtp__input.pcap #35 IP (ttl 128, id 9558, DF) 10.10.1.4.1470 > 74.53.140.153.25: Flags [.], seq 2126800203:2126801655, ack 2934727550, win 65073, length 1452
suricata-verify__bug-3616-smtp__input.pcap #36 IP (ttl 128, id 9559, DF) 10.10.1.4.1470 > 74.53.140.153.25: Flags [.], seq 2126801655:2126803107, ack 2934727550, win 65073, length 1452
suricata-verify__bug-3616-smtp__input.pcap #37 IP (ttl 50, id 8685, DF) 74.53.140.153.25 > 10.10.1.4.1470: Flags [.], seq 2934727550, ack 2126800203, win 14520, length 0
suricata-verify__bug-3616-smtp__input.pcap #38 IP (ttl 128, id 9560, DF) 10.10.1.4.1470 > 74.53.140.153.25: Flags [P.], seq 2126803107:2126804559, ack 2934727550, win 65073, length 1452
suricata-verify__bug-3616-smtp__input.pcap #39 IP (ttl 128, id 9561, DF) 10.10.1.4.1470 > 74.53.140.153.25: Flags [.], seq 2126804559:2126806011, ack 2934727550, win 65073, length 1452
suricata-verify__bug-3616-smtp__input.pcap #40 IP (ttl 50, id 8686, DF) 74.53.140.153.25 > 10.10.1.4.1470: Flags [.], seq 2934727550, ack 2126801655, win 17424, length 0
suricata-verify__bug-3616-smtp__input.pcap #41 IP (ttl 128, id 9562, DF) 10.10.1.4.1470 > 74.53.140.153.25: Flags [.], seq 2126806011:2126807463, ack 2934727550, win 65073, length 1452
suricata-verify__bug-3616-smtp__input.pcap #42 IP (ttl 128, id 9563, DF) 10.10.1.4.1470 > 74.53.140.153.25: Flags [.], seq 2126807463:2126808915, ack 2934727550, win 65073, length 1452
suricata-verify__bug-3616-smtp__input.pcap #43 IP (ttl 50, id 8687, DF) 74.53.140.153.25 > 10.10.1.4.1470: Flags [.], seq 2934727550, ack 2126803107, win 20328, length 0
suricata-verify__bug-3616-smtp__input.pcap #44 IP (ttl 128, id 9564, DF) 10.10.1.4.1470 > 74.53.140.153.25: Flags [.], seq 2126808915:2126810367, ack 2934727550, win 65073, length 1452
suricata-verify__bug-3616-smtp__input.pcap #45 IP (ttl 128, id 9565, DF) 10.10.1.4.1470 > 74.53.140.153.25: Flags [P.], seq 2126810367:2126810396, ack 2934727550, win 65073, length 29
suricata-verify__bug-3616-smtp__input.pcap #46 IP (ttl 50, id 8688, DF) 74.53.140.153.25 > 10.10.1.4.1470: Flags [.], seq 2934727550, ack 2126804559, win 23232, length 0
suricata-verify__bug-3616-smtp__input.pcap #47 IP (ttl 50, id 8689, DF) 74.53.140.153.25 > 10.10.1.4.1470: Flags [.], seq 2934727550, ack 2126806011, win 26136, length 0
suricata-verify__bug-3616-smtp__input.pcap #48 IP (ttl 50, id 8690, DF) 74.53.140.153.25 > 10.10.1.4.1470: Flags [.], seq 2934727550, ack 2126807463, win 29040, length 0
suricata-verify__bug-3616-smtp__input.pcap #49 IP (ttl 50, id 8691, DF) 74.53.140.153.25 > 10.10.1.4.1470: Flags [.], seq 2934727550, ack 2126808915, win 31944, length 0
suricata-verify__bug-3616-smtp__input.pcap #50 IP (ttl 50, id 8692, DF) 74.53.140.153.25 > 10.10.1.4.1470: Flags [.], seq 2934727550, ack 2126810367, win 34848, length 0
suricata-verify__bug-3616-smtp__input.pcap #51 IP (ttl 50, id 8693, DF) 74.53.140.153.25 > 10.10.1.4.1470: Flags [.], seq 2934727550, ack 2126810396, win 34848, length 0
suricata-verify__bug-3616-smtp__input.pcap #52 IP (ttl 50, id 8694, DF) 74.53.140.153.25 > 10.10.1.4.1470: Flags [P.], seq 2934727550:2934727578, ack 2126810396, win 34848, length 28
suricata-verify__bug-3616-smtp__input.pcap #53 IP (ttl 128, id 9568, DF) 10.10.1.4.1470 > 74.53.140.153.25: Flags [.], seq 2126810396, ack 2934727578, win 65045, length 0
suricata-verify__bug-3616-smtp__input.pcap #54 IP (ttl 128, id 9573, DF) 10.10.1.4.1470 > 74.53.140.153.25: Flags [P.], seq 2126810396:2126810402, ack 2934727578, win 65045, length 6
suricata-verify__bug-3616-smtp__input.pcap #55 IP (ttl 128, id 9574, DF) 10.10.1.4.1470 > 74.53.140.153.25: Flags [F.], seq 2126810402, ack 2934727578, win 65045, length 0
suricata-verify__bug-3616-smtp__input.pcap #56 IP (ttl 50, id 8695, DF) 74.53.140.153.25 > 10.10.1.4.1470: Flags [P.], seq 2934727578:2934727626, ack 2126810402, win 34848, length 48
suricata-verify__bug-3616-smtp__input.pcap #57 IP (ttl 50, id 8696, DF) 74.53.140.153.25 > 10.10.1.4.1470: Flags [F.], seq 2934727626, ack 2126810402, win 34848, length 0
suricata-verify__bug-3616-smtp__input.pcap #58 IP (ttl 128, id 9577, DF) 10.10.1.4.1470 > 74.53.140.153.25: Flags [.], seq 2126810403, ack 2934727627, win 64997, length 0
suricata-verify__bug-3616-smtp__input.pcap #59 IP (ttl 50, id 8697, DF) 74.53.140.153.25 > 10.10.1.4.1470: Flags [.], seq 2934727627, ack 2126810403, win 34848, length 0
suricata-verify__bug-3616-smtp__input.pcap #60 IP (ttl 128, id 13949) 10.10.1.20.138 > 10.10.1.255.138: UDP, length 201
suricata-verify__bug-3844__input.pcap #1 vlan 6, IP (ttl 64, id 1) 1.1.1.1.12345 > 2.2.2.2.8080: Flags [S], seq 1111, win 8192, options [wscale 5,TS val 1234 ecr 5678,eol], length 0
suricata-verify__bug-3844__input.pcap #2 vlan 6, IP (ttl 64, id 1) 2.2.2.2.8080 > 1.1.1.1.12345: Flags [R], seq 2222, win 8192, length 0
suricata-verify__bug-3844__input.pcap #3 vlan 6, IP (ttl 64, id 1) 1.1.1.1.12345 > 2.2.2.2.8080: Flags [S], seq 3333, win 8192, options [wscale 5,eol], length 0
suricata-verify__bug-3844__input.pcap #4 vlan 6, IP (ttl 64, id 1) 2.2.2.2.8080 > 1.1.1.1.12345: Flags [S.], seq 4444, ack 3334, win 8192, length 0
suricata-verify__bug-3844__input.pcap #5 vlan 6, IP (ttl 64, id 1) 1.1.1.1.12345 > 2.2.2.2.8080: Flags [.], seq 3334, ack 4445, win 8192, length 0
suricata-verify__bug-3844__input.pcap #6 vlan 6, IP (ttl 64, id 1) 1.1.1.1.12345 > 2.2.2.2.8080: Flags [.], seq 3334:3339, ack 4445, win 8192, length 5
suricata-verify__bug-3844__input.pcap #7 vlan 6, IP (ttl 64, id 1) 2.2.2.2.8080 > 1.1.1.1.12345: Flags [.], seq 4445:4460, ack 3339, win 8192, length 15
suricata-verify__bug-3844__input.pcap #8 vlan 6, IP (ttl 64, id 1) 1.1.1.1.12345 > 2.2.2.2.8080: Flags [R], seq 3339, win 8192, length 0
suricata-verify__bug-6244-tcp-rst-with-data__tcp-rst-with-data.pcap #1 vlan 6, IP (ttl 64, id 1) 1.1.1.1.12345 > 2.2.2.2.8080: Flags [S], seq 1, win 8192, options [wscale 14,eol], length 0
suricata-verify__bug-6244-tcp-rst-with-data__tcp-rst-with-data.pcap #2 vlan 6, IP (ttl 64, id 1) 2.2.2.2.8080 > 1.1.1.1.12345: Flags [S.], seq 1000, ack 2, win 65535, options [wscale 14,eol], length 0
suricata-verify__bug-6244-tcp-rst-with-data__tcp-rst-with-data.pcap #3 vlan 6, IP (ttl 64, id 1) 1.1.1.1.12345 > 2.2.2.2.8080: Flags [.], seq 2, ack 1001, win 65535, length 0
suricata-verify__bug-6244-tcp-rst-with-data__tcp-rst-with-data.pcap #4 vlan 6, IP (ttl 64, id 1) 2.2.2.2.8080 > 1.1.1.1.12345: Flags [P.], seq 1001:1008, ack 2, win 65535, length 7
suricata-verify__bug-6244-tcp-rst-with-data__tcp-rst-with-data.pcap #5 vlan 6, IP (ttl 64, id 1) 2.2.2.2.8080 > 1.1.1.1.12345: Flags [P.], seq 1008:1012, ack 2, win 65535, length 4
suricata-verify__bug-6244-tcp-rst-with-data__tcp-rst-with-data.pcap #6 vlan 6, IP (ttl 64, id 1) 2.2.2.2.8080 > 1.1.1.1.12345: Flags [P.], seq 1012:1015, ack 2, win 65535, length 3
suricata-verify__bug-6244-tcp-rst-with-data__tcp-rst-with-data.pcap #7 vlan 6, IP (ttl 64, id 1) 2.2.2.2.8080 > 1.1.1.1.12345: Flags [P.], seq 1015:1018, ack 2, win 65535, length 3
suricata-verify__bug-6244-tcp-rst-with-data__tcp-rst-with-data.pcap #8 vlan 6, IP (ttl 64, id 1) 1.1.1.1.12345 > 2.2.2.2.8080: Flags [R.], seq 2:15, ack 1018, win 65535, length 13
suricata-verify__bug-6887-defrag-eth-vlan-ipv4-tcp-syn__frag-eth-vlan-ip-tcp-syn.pcap #1 vlan 6, IP (ttl 64, id 1, frag 1@0+) 1.1.1.1 > 2.2.2.2: Flags [none]
suricata-verify__bug-6887-defrag-eth-vlan-ipv4-tcp-syn__frag-eth-vlan-ip-tcp-syn.pcap #2 vlan 6, IP (ttl 64, id 1, frag 1@8+) 1.1.1.1 > 2.2.2.2: tcp, length 8
suricata-verify__bug-6887-defrag-eth-vlan-ipv4-tcp-syn__frag-eth-vlan-ip-tcp-syn.pcap #3 vlan 6, IP (ttl 64, id 1, frag 1@16) 1.1.1.1 > 2.2.2.2: tcp, length 8
suricata-verify__bug-78-uricontent__input.pcap #1 IP (ttl 64, id 41151, DF) 192.168.2.3.37010 > 208.69.36.231.80: Flags [S], seq 1567227341, win 5840, options [mss 1460,sackOK,TS val 32595314 ecr 0,nop,wscale 7], length 0
suricata-verify__bug-78-uricontent__input.pcap #2 IP (ttl 56, id 43317, DF) 208.69.36.231.80 > 192.168.2.3.37010: Flags [S.], seq 1130989794, ack 1567227342, win 65535, options [mss 1460,nop,wscale 3,sackOK,TS val 2775664320 ecr 32595314], length 0
suricata-verify__bug-78-uricontent__input.pcap #3 IP (ttl 64, id 41152, DF) 192.168.2.3.37010 > 208.69.36.231.80: Flags [.], seq 1567227342, ack 1130989795, win 46, options [nop,nop,TS val 32595321 ecr 2775664320], length 0
suricata-verify__bug-78-uricontent__input.pcap #4 IP (ttl 64, id 41153, DF) 192.168.2.3.37010 > 208.69.36.231.80: Flags [P.], seq 1567227342:1567227449, ack 1130989795, win 46, options [nop,nop,TS val 32595321 ecr 2775664320], length 107
suricata-verify__bug-78-uricontent__input.pcap #5 IP (ttl 56, id 43498, DF) 208.69.36.231.80 > 192.168.2.3.37010: Flags [.], seq 1130989795:1130991243, ack 1567227449, win 8326, options [nop,nop,TS val 2775664365 ecr 32595321], length 1448
suricata-verify__bug-78-uricontent__input.pcap #6 IP (ttl 64, id 41154, DF) 192.168.2.3.37010 > 208.69.36.231.80: Flags [.], seq 1567227449, ack 1130991243, win 69, options [nop,nop,TS val 32595332 ecr 2775664365], length 0
suricata-verify__bug-78-uricontent__input.pcap #7 IP (ttl 64, id 41155, DF) 192.168.2.3.37010 > 208.69.36.231.80: Flags [R.], seq 1567227449, ack 1130991243, win 69, options [nop,nop,TS val 32595332 ecr 2775664365], length 0
suricata-verify__bug-78-uricontent__input.pcap #8 IP (ttl 56, id 43499, DF) 208.69.36.231.80 > 192.168.2.3.37010: Flags [.], seq 1130991243:1130992691, ack 1567227449, win 8326, options [nop,nop,TS val 2775664365 ecr 32595321], length 1448
suricata-verify__bug-78-uricontent__input.pcap #9 IP (ttl 64, id 0, DF) 192.168.2.3.37010 > 208.69.36.231.80: Flags [R], seq 1567227449, win 0, length 0
suricata-verify__bug-78-uricontent__input.pcap #10 IP (ttl 56, id 43619, DF) 208.69.36.231.80 > 192.168.2.3.37010: Flags [.], seq 1130992691:1130994139, ack 1567227449, win 8326, options [nop,nop,TS val 2775664394 ecr 32595332], length 1448
suricata-verify__bug-78-uricontent__input.pcap #11 IP (ttl 64, id 0, DF) 192.168.2.3.37010 > 208.69.36.231.80: Flags [R], seq 1567227449, win 0, length 0
suricata-verify__bug-78-uricontent__input.pcap #12 IP (ttl 56, id 43620, DF) 208.69.36.231.80 > 192.168.2.3.37010: Flags [P.], seq 1130994139:1130994910, ack 1567227449, win 8326, options [nop,nop,TS val 2775664394 ecr 32595332], length 771
suricata-verify__bug-78-uricontent__input.pcap #13 IP (ttl 64, id 0, DF) 192.168.2.3.37010 > 208.69.36.231.80: Flags [R], seq 1567227449, win 0, length 0
suricata-verify__bug-814__input.pcap #1 vlan 1111, IP6 (hlim 64) fe80::20c:29ff:fef3:cf38.58307 > fe80::20c:29ff:faf2:ab42.80: Flags [S], seq 3897641355, win 8192, length 0
suricata-verify__bug-814__input.pcap #2 vlan 1111, IP6 (hlim 64) fe80::20c:29ff:faf2:ab42.80 > fe80::20c:29ff:fef3:cf38.58307: Flags [S.], seq 3113692823, ack 3897641356, win 8192, length 0
suricata-verify__bug-814__input.pcap #3 vlan 1111, IP6 (hlim 64) fe80::20c:29ff:fef3:cf38.58307 > fe80::20c:29ff:faf2:ab42.80: Flags [.], seq 3897641356, ack 3113692824, win 8192, length 0
suricata-verify__bug-814__input.pcap #4 vlan 1111, IP6 (hlim 64) fe80::20c:29ff:fef3:cf38.58307 > fe80::20c:29ff:faf2:ab42.80: Flags [P.], seq 3897641356:3897641505, ack 3113692824, win 8192, length 149
suricata-verify__bug-814__input.pcap #5 vlan 1111, IP6 (hlim 64) fe80::20c:29ff:faf2:ab42.80 > fe80::20c:29ff:fef3:cf38.58307: Flags [.], seq 3113692824, ack 3897641505, win 8192, length 0
suricata-verify__bug-814__input.pcap #6 vlan 1111, IP6 (hlim 64) fe80::20c:29ff:fef3:cf38.58307 > fe80::20c:29ff:faf2:ab42.80: Flags [F.], seq 3897641505, ack 3113692824, win 8192, length 0
suricata-verify__bug-814__input.pcap #7 vlan 1111, IP6 (hlim 64) fe80::20c:29ff:faf2:ab42.80 > fe80::20c:29ff:fef3:cf38.58307: Flags [.], seq 3113692824, ack 3897641506, win 8192, length 0
suricata-verify__community-id-ipv6__input.pcap #1 IP6 (hlim 64) 2600:1f13:f8:d400:3a6:303c:e011:18eb.33892 > 2001:4860:4860::8888.443: Flags [S], seq 2337687519, win 26823, options [mss 8941,sackOK,TS val 3766733409 ecr 0,nop,wscale 7], length 0
suricata-verify__community-id-ipv6__input.pcap #2 IP6 (hlim 40) 2001:4860:4860::8888.443 > 2600:1f13:f8:d400:3a6:303c:e011:18eb.33892: Flags [S.], seq 3492388205, ack 2337687520, win 65535, options [mss 1440,sackOK,TS val 2145344453 ecr 3766733409,nop,wscale 8], length 0
suricata-verify__community-id-ipv6__input.pcap #3 IP6 (hlim 64) 2600:1f13:f8:d400:3a6:303c:e011:18eb.33892 > 2001:4860:4860::8888.443: Flags [.], seq 2337687520, ack 3492388206, win 210, options [nop,nop,TS val 3766733417 ecr 2145344453], length 0
suricata-verify__community-id-ipv6__input.pcap #4 IP6 (hlim 64) 2600:1f13:f8:d400:3a6:303c:e011:18eb.33892 > 2001:4860:4860::8888.443: Flags [P.], seq 2337687520:2337687800, ack 3492388206, win 210, options [nop,nop,TS val 3766733418 ecr 2145344453], length 280
suricata-verify__community-id-ipv6__input.pcap #5 IP6 (hlim 40) 2001:4860:4860::8888.443 > 2600:1f13:f8:d400:3a6:303c:e011:18eb.33892: Flags [.], seq 3492388206, ack 2337687800, win 261, options [nop,nop,TS val 2145344462 ecr 3766733418], length 0
suricata-verify__community-id-ipv6__input.pcap #6 IP6 (hlim 40) 2001:4860:4860::8888.443 > 2600:1f13:f8:d400:3a6:303c:e011:18eb.33892: Flags [P.], seq 3492388206:3492391830, ack 2337687800, win 261, options [nop,nop,TS val 2145344469 ecr 3766733418], length 3624
suricata-verify__community-id-ipv6__input.pcap #7 IP6 (hlim 64) 2600:1f13:f8:d400:3a6:303c:e011:18eb.33892 > 2001:4860:4860::8888.443: Flags [.], seq 2337687800, ack 3492391830, win 267, options [nop,nop,TS val 3766733433 ecr 2145344469], length 0
suricata-verify__community-id-ipv6__input.pcap #8 IP6 (hlim 40) 2001:4860:4860::8888.443 > 2600:1f13:f8:d400:3a6:303c:e011:18eb.33892: Flags [P.], seq 3492391830:3492393026, ack 2337687800, win 261, options [nop,nop,TS val 2145344469 ecr 3766733418], length 1196
suricata-verify__community-id-ipv6__input.pcap #9 IP6 (hlim 64) 2600:1f13:f8:d400:3a6:303c:e011:18eb.33892 > 2001:4860:4860::8888.443: Flags [.], seq 2337687800, ack 3492393026, win 286, options [nop,nop,TS val 3766733433 ecr 2145344469], length 0
suricata-verify__community-id-ipv6__input.pcap #10 IP6 (hlim 64) 2600:1f13:f8:d400:3a6:303c:e011:18eb.33892 > 2001:4860:4860::8888.443: Flags [P.], seq 2337687800:2337687864, ack 3492393026, win 286, options [nop,nop,TS val 3766733438 ecr 2145344469], length 64
suricata-verify__community-id-ipv6__input.pcap #11 IP6 (hlim 64) 2600:1f13:f8:d400:3a6:303c:e011:18eb.33892 > 2001:4860:4860::8888.443: Flags [P.], seq 2337687864:2337687950, ack 3492393026, win 286, options [nop,nop,TS val 3766733438 ecr 2145344469], length 86
suricata-verify__community-id-ipv6__input.pcap #12 IP6 (hlim 64) 2600:1f13:f8:d400:3a6:303c:e011:18eb.33892 > 2001:4860:4860::8888.443: Flags [P.], seq 2337687950:2337688076, ack 3492393026, win 286, options [nop,nop,TS val 3766733438 ecr 2145344469], length 126
suricata-verify__community-id-ipv6__input.pcap #13 IP6 (hlim 64) 2600:1f13:f8:d400:3a6:303c:e011:18eb.33892 > 2001:4860:4860::8888.443: Flags [P.], seq 2337688076:2337688140, ack 3492393026, win 286, options [nop,nop,TS val 3766733438 ecr 2145344469], length 64
suricata-verify__community-id-ipv6__input.pcap #14 IP6 (hlim 40) 2001:4860:4860::8888.443 > 2600:1f13:f8:d400:3a6:303c:e011:18eb.33892: Flags [P.], seq 3492393026:3492393088, ack 2337687864, win 261, options [nop,nop,TS val 2145344482 ecr 3766733438], length 62
suricata-verify__community-id-ipv6__input.pcap #15 IP6 (hlim 40) 2001:4860:4860::8888.443 > 2600:1f13:f8:d400:3a6:303c:e011:18eb.33892: Flags [P.], seq 3492393088:3492393119, ack 2337687950, win 261, options [nop,nop,TS val 2145344482 ecr 3766733438], length 31
suricata-verify__community-id-ipv6__input.pcap #16 IP6 (hlim 64) 2600:1f13:f8:d400:3a6:303c:e011:18eb.33892 > 2001:4860:4860::8888.443: Flags [.], seq 2337688140, ack 3492393119, win 286, options [nop,nop,TS val 3766733446 ecr 2145344482], length 0
suricata-verify__community-id-ipv6__input.pcap #17 IP6 (hlim 64) 2600:1f13:f8:d400:3a6:303c:e011:18eb.33892 > 2001:4860:4860::8888.443: Flags [P.], seq 2337688140:2337688171, ack 3492393119, win 286, options [nop,nop,TS val 3766733446 ecr 2145344482], length 31
suricata-verify__community-id-ipv6__input.pcap #18 IP6 (hlim 43) 2001:4860:4860::8888.443 > 2600:1f13:f8:d400:3a6:303c:e011:18eb.33892: Flags [.], seq 3492393119, ack 2337688140, win 261, options [nop,nop,TS val 2145344482 ecr 3766733438], length 0
suricata-verify__community-id-ipv6__input.pcap #19 IP6 (hlim 43) 2001:4860:4860::8888.443 > 2600:1f13:f8:d400:3a6:303c:e011:18eb.33892: Flags [P.], seq 3492393119:3492393400, ack 2337688171, win 261, options [nop,nop,TS val 2145344493 ecr 3766733446], length 281
suricata-verify__community-id-ipv6__input.pcap #20 IP6 (hlim 43) 2001:4860:4860::8888.443 > 2600:1f13:f8:d400:3a6:303c:e011:18eb.33892: Flags [P.], seq 3492393400:3492393535, ack 2337688171, win 261, options [nop,nop,TS val 2145344493 ecr 3766733446], length 135
suricata-verify__community-id-ipv6__input.pcap #21 IP6 (hlim 43) 2001:4860:4860::8888.443 > 2600:1f13:f8:d400:3a6:303c:e011:18eb.33892: Flags [P.], seq 3492393535:3492393566, ack 2337688171, win 261, options [nop,nop,TS val 2145344493 ecr 3766733446], length 31
suricata-verify__community-id-ipv6__input.pcap #22 IP6 (hlim 43) 2001:4860:4860::8888.443 > 2600:1f13:f8:d400:3a6:303c:e011:18eb.33892: Flags [P.], seq 3492393566:3492393605, ack 2337688171, win 261, options [nop,nop,TS val 2145344493 ecr 3766733446], length 39
suricata-verify__community-id-ipv6__input.pcap #23 IP6 (hlim 64) 2600:1f13:f8:d400:3a6:303c:e011:18eb.33892 > 2001:4860:4860::8888.443: Flags [.], seq 2337688171, ack 3492393605, win 323, options [nop,nop,TS val 3766733457 ecr 2145344493], length 0
suricata-verify__community-id-ipv6__input.pcap #24 IP6 (hlim 64) 2600:1f13:f8:d400:3a6:303c:e011:18eb.33892 > 2001:4860:4860::8888.443: Flags [P.], seq 2337688171:2337688210, ack 3492393605, win 323, options [nop,nop,TS val 3766733458 ecr 2145344493], length 39
suricata-verify__community-id-ipv6__input.pcap #25 IP6 (hlim 64) 2600:1f13:f8:d400:3a6:303c:e011:18eb.33892 > 2001:4860:4860::8888.443: Flags [P.], seq 2337688210:2337688250, ack 3492393605, win 323, options [nop,nop,TS val 3766733458 ecr 2145344493], length 40
suricata-verify__community-id-ipv6__input.pcap #26 IP6 (hlim 64) 2600:1f13:f8:d400:3a6:303c:e011:18eb.33892 > 2001:4860:4860::8888.443: Flags [P.], seq 2337688250:2337688314, ack 3492393605, win 323, options [nop,nop,TS val 3766733458 ecr 2145344493], length 64
suricata-verify__community-id-ipv6__input.pcap #27 IP6 (hlim 43) 2001:4860:4860::8888.443 > 2600:1f13:f8:d400:3a6:303c:e011:18eb.33892: Flags [.], seq 3492393605, ack 2337688314, win 261, options [nop,nop,TS val 2145344502 ecr 3766733458], length 0
suricata-verify__community-id-ipv6__input.pcap #28 IP6 (hlim 43) 2001:4860:4860::8888.443 > 2600:1f13:f8:d400:3a6:303c:e011:18eb.33892: Flags [P.], seq 3492393605:3492393675, ack 2337688314, win 261, options [nop,nop,TS val 2145344511 ecr 3766733458], length 70
suricata-verify__community-id-ipv6__input.pcap #29 IP6 (hlim 43) 2001:4860:4860::8888.443 > 2600:1f13:f8:d400:3a6:303c:e011:18eb.33892: Flags [P.], seq 3492393675:3492393788, ack 2337688314, win 261, options [nop,nop,TS val 2145344511 ecr 3766733458], length 113
suricata-verify__community-id-ipv6__input.pcap #30 IP6 (hlim 43) 2001:4860:4860::8888.443 > 2600:1f13:f8:d400:3a6:303c:e011:18eb.33892: Flags [P.], seq 3492393788:3492393819, ack 2337688314, win 261, options [nop,nop,TS val 2145344511 ecr 3766733458], length 31
suricata-verify__community-id-ipv6__input.pcap #31 IP6 (hlim 43) 2001:4860:4860::8888.443 > 2600:1f13:f8:d400:3a6:303c:e011:18eb.33892: Flags [P.], seq 3492393819:3492393858, ack 2337688314, win 261, options [nop,nop,TS val 2145344511 ecr 3766733458], length 39
suricata-verify__community-id-ipv6__input.pcap #32 IP6 (hlim 64) 2600:1f13:f8:d400:3a6:303c:e011:18eb.33892 > 2001:4860:4860::8888.443: Flags [.], seq 2337688314, ack 3492393858, win 323, options [nop,nop,TS val 3766733476 ecr 2145344511], length 0
suricata-verify__community-id-ipv6__input.pcap #33 IP6 (hlim 64) 2600:1f13:f8:d400:3a6:303c:e011:18eb.33892 > 2001:4860:4860::8888.443: Flags [P.], seq 2337688314:2337688353, ack 3492393858, win 323, options [nop,nop,TS val 3766733476 ecr 2145344511], length 39
suricata-verify__community-id-ipv6__input.pcap #34 IP6 (hlim 43) 2001:4860:4860::8888.443 > 2600:1f13:f8:d400:3a6:303c:e011:18eb.33892: Flags [.], seq 3492393858, ack 2337688353, win 261, options [nop,nop,TS val 2145344525 ecr 3766733476], length 0
suricata-verify__community-id-ipv6__input.pcap #35 IP6 (hlim 64) 2600:1f13:f8:d400:3a6:303c:e011:18eb.60202 > 2607:f8b0:400a:800::200e.443: Flags [S], seq 1726434153, win 26823, options [mss 8941,sackOK,TS val 346492960 ecr 0,nop,wscale 7], length 0
suricata-verify__community-id-ipv6__input.pcap #36 IP6 (hlim 102) 2607:f8b0:400a:800::200e.443 > 2600:1f13:f8:d400:3a6:303c:e011:18eb.60202: Flags [S.], seq 1461720031, ack 1726434154, win 65535, options [mss 1440,sackOK,TS val 2957361754 ecr 346492960,nop,wscale 8], length 0
suricata-verify__community-id-ipv6__input.pcap #37 IP6 (hlim 64) 2600:1f13:f8:d400:3a6:303c:e011:18eb.60202 > 2607:f8b0:400a:800::200e.443: Flags [.], seq 1726434154, ack 1461720032, win 210, options [nop,nop,TS val 346492969 ecr 2957361754], length 0
suricata-verify__community-id-ipv6__input.pcap #38 IP6 (hlim 64) 2600:1f13:f8:d400:3a6:303c:e011:18eb.60202 > 2607:f8b0:400a:800::200e.443: Flags [P.], seq 1726434154:1726434671, ack 1461720032, win 210, options [nop,nop,TS val 346492978 ecr 2957361754], length 517
suricata-verify__community-id-ipv6__input.pcap #39 IP6 (hlim 102) 2607:f8b0:400a:800::200e.443 > 2600:1f13:f8:d400:3a6:303c:e011:18eb.60202: Flags [.], seq 1461720032, ack 1726434671, win 261, options [nop,nop,TS val 2957361772 ecr 346492978], length 0
suricata-verify__community-id-ipv6__input.pcap #40 IP6 (hlim 102) 2607:f8b0:400a:800::200e.443 > 2600:1f13:f8:d400:3a6:303c:e011:18eb.60202: Flags [P.], seq 1461720032:1461723656, ack 1726434671, win 261, options [nop,nop,TS val 2957361778 ecr 346492978], length 3624
suricata-verify__community-id-ipv6__input.pcap #41 IP6 (hlim 64) 2600:1f13:f8:d400:3a6:303c:e011:18eb.60202 > 2607:f8b0:400a:800::200e.443: Flags [.], seq 1726434671, ack 1461723656, win 267, options [nop,nop,TS val 346492993 ecr 2957361778], length 0
suricata-verify__community-id-ipv6__input.pcap #42 IP6 (hlim 102) 2607:f8b0:400a:800::200e.443 > 2600:1f13:f8:d400:3a6:303c:e011:18eb.60202: Flags [P.], seq 1461723656:1461726817, ack 1726434671, win 261, options [nop,nop,TS val 2957361778 ecr 346492978], length 3161
suricata-verify__community-id-ipv6__input.pcap #43 IP6 (hlim 64) 2600:1f13:f8:d400:3a6:303c:e011:18eb.60202 > 2607:f8b0:400a:800::200e.443: Flags [.], seq 1726434671, ack 1461726817, win 316, options [nop,nop,TS val 346492993 ecr 2957361778], length 0
suricata-verify__community-id-ipv6__input.pcap #44 IP6 (hlim 64) 2600:1f13:f8:d400:3a6:303c:e011:18eb.60202 > 2607:f8b0:400a:800::200e.443: Flags [P.], seq 1726434671:1726434751, ack 1461726817, win 316, options [nop,nop,TS val 346492994 ecr 2957361778], length 80
suricata-verify__community-id-ipv6__input.pcap #45 IP6 (hlim 64) 2600:1f13:f8:d400:3a6:303c:e011:18eb.60202 > 2607:f8b0:400a:800::200e.443: Flags [P.], seq 1726434751:1726434846, ack 1461726817, win 316, options [nop,nop,TS val 346492994 ecr 2957361778], length 95
suricata-verify__community-id-ipv6__input.pcap #46 IP6 (hlim 64) 2600:1f13:f8:d400:3a6:303c:e011:18eb.60202 > 2607:f8b0:400a:800::200e.443: Flags [P.], seq 1726434846:1726434943, ack 1461726817, win 316, options [nop,nop,TS val 346492995 ecr 2957361778], length 97
suricata-verify__community-id-ipv6__input.pcap #47 IP6 (hlim 102) 2607:f8b0:400a:800::200e.443 > 2600:1f13:f8:d400:3a6:303c:e011:18eb.60202: Flags [P.], seq 1461726817:1461727465, ack 1726434943, win 261, options [nop,nop,TS val 2957361789 ecr 346492994], length 648
suricata-verify__community-id-ipv6__input.pcap #48 IP6 (hlim 107) 2607:f8b0:400a:800::200e.443 > 2600:1f13:f8:d400:3a6:303c:e011:18eb.60202: Flags [P.], seq 1461727465:1461727496, ack 1726434943, win 261, options [nop,nop,TS val 2957361790 ecr 346492994], length 31
suricata-verify__community-id-ipv6__input.pcap #49 IP6 (hlim 64) 2600:1f13:f8:d400:3a6:303c:e011:18eb.60202 > 2607:f8b0:400a:800::200e.443: Flags [P.], seq 1726434943:1726434974, ack 1461727496, win 335, options [nop,nop,TS val 346493004 ecr 2957361789], length 31
suricata-verify__community-id-ipv6__input.pcap #50 IP6 (hlim 107) 2607:f8b0:400a:800::200e.443 > 2600:1f13:f8:d400:3a6:303c:e011:18eb.60202: Flags [.], seq 1461727496, ack 1726434974, win 261, options [nop,nop,TS val 2957361804 ecr 346493004], length 0
suricata-verify__community-id-ipv6__input.pcap #51 IP6 (hlim 107) 2607:f8b0:400a:800::200e.443 > 2600:1f13:f8:d400:3a6:303c:e011:18eb.60202: Flags [P.], seq 1461727496:1461728344, ack 1726434974, win 261, options [nop,nop,TS val 2957361832 ecr 346493004], length 848
suricata-verify__community-id-ipv6__input.pcap #52 IP6 (hlim 107) 2607:f8b0:400a:800::200e.443 > 2600:1f13:f8:d400:3a6:303c:e011:18eb.60202: Flags [P.], seq 1461728344:1461729552, ack 1726434974, win 261, options [nop,nop,TS val 2957361832 ecr 346493004], length 1208
suricata-verify__community-id-ipv6__input.pcap #53 IP6 (hlim 64) 2600:1f13:f8:d400:3a6:303c:e011:18eb.60202 > 2607:f8b0:400a:800::200e.443: Flags [.], seq 1726434974, ack 1461729552, win 373, options [nop,nop,TS val 346493045 ecr 2957361832], length 0
suricata-verify__community-id-ipv6__input.pcap #54 IP6 (hlim 107) 2607:f8b0:400a:800::200e.443 > 2600:1f13:f8:d400:3a6:303c:e011:18eb.60202: Flags [P.], seq 1461729552:1461730760, ack 1726434974, win 261, options [nop,nop,TS val 2957361832 ecr 346493004], length 1208
suricata-verify__community-id-ipv6__input.pcap #55 IP6 (hlim 107) 2607:f8b0:400a:800::200e.443 > 2600:1f13:f8:d400:3a6:303c:e011:18eb.60202: Flags [P.], seq 1461730760:1461733176, ack 1726434974, win 261, options [nop,nop,TS val 2957361832 ecr 346493004], length 2416
suricata-verify__community-id-ipv6__input.pcap #56 IP6 (hlim 64) 2600:1f13:f8:d400:3a6:303c:e011:18eb.60202 > 2607:f8b0:400a:800::200e.443: Flags [.], seq 1726434974, ack 1461733176, win 429, options [nop,nop,TS val 346493046 ecr 2957361832], length 0
suricata-verify__community-id-ipv6__input.pcap #57 IP6 (hlim 107) 2607:f8b0:400a:800::200e.443 > 2600:1f13:f8:d400:3a6:303c:e011:18eb.60202: Flags [P.], seq 1461733176:1461738008, ack 1726434974, win 261, options [nop,nop,TS val 2957361833 ecr 346493004], length 4832
suricata-verify__community-id-ipv6__input.pcap #58 IP6 (hlim 64) 2600:1f13:f8:d400:3a6:303c:e011:18eb.60202 > 2607:f8b0:400a:800::200e.443: Flags [.], seq 1726434974, ack 1461738008, win 505, options [nop,nop,TS val 346493046 ecr 2957361833], length 0
suricata-verify__community-id-ipv6__input.pcap #59 IP6 (hlim 107) 2607:f8b0:400a:800::200e.443 > 2600:1f13:f8:d400:3a6:303c:e011:18eb.60202: Flags [P.], seq 1461738008:1461741456, ack 1726434974, win 261, options [nop,nop,TS val 2957361834 ecr 346493004], length 3448
suricata-verify__community-id-ipv6__input.pcap #60 IP6 (hlim 64) 2600:1f13:f8:d400:3a6:303c:e011:18eb.60202 > 2607:f8b0:400a:800::200e.443: Flags [.], seq 1726434974, ack 1461741456, win 559, options [nop,nop,TS val 346493047 ecr 2957361834], length 0
suricata-verify__community-id-ipv6__input.pcap #61 IP6 (hlim 107) 2607:f8b0:400a:800::200e.443 > 2600:1f13:f8:d400:3a6:303c:e011:18eb.60202: Flags [P.], seq 1461741456:1461746288, ack 1726434974, win 261, options [nop,nop,TS val 2957361834 ecr 346493004], length 4832
suricata-verify__community-id-ipv6__input.pcap #62 IP6 (hlim 64) 2600:1f13:f8:d400:3a6:303c:e011:18eb.60202 > 2607:f8b0:400a:800::200e.443: Flags [.], seq 1726434974, ack 1461746288, win 634, options [nop,nop,TS val 346493048 ecr 2957361834], length 0
suricata-verify__community-id-ipv6__input.pcap #63 IP6 (hlim 107) 2607:f8b0:400a:800::200e.443 > 2600:1f13:f8:d400:3a6:303c:e011:18eb.60202: Flags [P.], seq 1461746288:1461747338, ack 1726434974, win 261, options [nop,nop,TS val 2957361835 ecr 346493004], length 1050
suricata-verify__community-id-ipv6__input.pcap #64 IP6 (hlim 64) 2600:1f13:f8:d400:3a6:303c:e011:18eb.60202 > 2607:f8b0:400a:800::200e.443: Flags [P.], seq 1726434974:1726435013, ack 1461747338, win 653, options [nop,nop,TS val 346493049 ecr 2957361835], length 39
suricata-verify__community-id-ipv6__input.pcap #65 IP6 (hlim 64) 2600:1f13:f8:d400:3a6:303c:e011:18eb.60202 > 2607:f8b0:400a:800::200e.443: Flags [P.], seq 1726435013:1726435037, ack 1461747338, win 653, options [nop,nop,TS val 346493049 ecr 2957361835], length 24
suricata-verify__community-id-ipv6__input.pcap #66 IP6 (hlim 64) 2600:1f13:f8:d400:3a6:303c:e011:18eb.60202 > 2607:f8b0:400a:800::200e.443: Flags [F.], seq 1726435037, ack 1461747338, win 653, options [nop,nop,TS val 346493050 ecr 2957361835], length 0
suricata-verify__community-id-ipv6__input.pcap #67 IP6 (hlim 107) 2607:f8b0:400a:800::200e.443 > 2600:1f13:f8:d400:3a6:303c:e011:18eb.60202: Flags [.], seq 1461747338, ack 1726435037, win 261, options [nop,nop,TS val 2957361843 ecr 346493049], length 0
suricata-verify__community-id-ipv6__input.pcap #68 IP6 (hlim 107) 2607:f8b0:400a:800::200e.443 > 2600:1f13:f8:d400:3a6:303c:e011:18eb.60202: Flags [F.], seq 1461747338, ack 1726435037, win 261, options [nop,nop,TS val 2957361843 ecr 346493049], length 0
suricata-verify__community-id-ipv6__input.pcap #69 IP6 (hlim 64) 2600:1f13:f8:d400:3a6:303c:e011:18eb.60202 > 2607:f8b0:400a:800::200e.443: Flags [.], seq 1726435038, ack 1461747339, win 653, options [nop,nop,TS val 346493056 ecr 2957361843], length 0
suricata-verify__community-id-ipv6__input.pcap #70 IP6 (hlim 107) 2607:f8b0:400a:800::200e.443 > 2600:1f13:f8:d400:3a6:303c:e011:18eb.60202: Flags [.], seq 1461747339, ack 1726435038, win 261, options [nop,nop,TS val 2957361845 ecr 346493050], length 0
suricata-verify__decode-sll2-01__input.pcap #1 IP (ttl 64, id 17833, DF) 192.168.1.253.56478 > 192.168.1.21.80: Flags [S], seq 2332771219, win 64240, options [mss 1460,sackOK,TS val 3317596243 ecr 0,nop,wscale 7], length 0
suricata-verify__decode-sll2-01__input.pcap #2 IP (ttl 64, id 0, DF) 192.168.1.21.80 > 192.168.1.253.56478: Flags [S.], seq 845479108, ack 2332771220, win 65160, options [mss 1460,sackOK,TS val 311646155 ecr 3317596243,nop,wscale 7], length 0
suricata-verify__decode-sll2-01__input.pcap #3 IP (ttl 64, id 17834, DF) 192.168.1.253.56478 > 192.168.1.21.80: Flags [.], seq 2332771220, ack 845479109, win 502, options [nop,nop,TS val 3317596245 ecr 311646155], length 0
suricata-verify__decode-sll2-01__input.pcap #4 IP (ttl 64, id 17835, DF) 192.168.1.253.56478 > 192.168.1.21.80: Flags [P.], seq 2332771220:2332771302, ack 845479109, win 502, options [nop,nop,TS val 3317596245 ecr 311646155], length 82
suricata-verify__decode-sll2-01__input.pcap #5 IP (ttl 64, id 34997, DF) 192.168.1.21.80 > 192.168.1.253.56478: Flags [.], seq 845479109, ack 2332771302, win 509, options [nop,nop,TS val 311646156 ecr 3317596245], length 0
suricata-verify__decode-too-small__test.pcap #1 IP (ttl 64, id 1) 1.1.1.1 > 2.2.2.2: tcp [decode error tcp-truncated at 34]
suricata-verify__decode-too-small__test.pcap #2 IP (ttl 64, id 1) 1.1.1.1 > 2.2.2.2: udp [decode error udp-bad-length at 34]
suricata-verify__decode-too-small__test.pcap #3 IP (ttl 64, id 1) 1.1.1.1 > 2.2.2.2: udp [decode error udp-bad-length at 34]
suricata-verify__decode-too-small__test.pcap #4 IP (ttl 64, id 1) 1.1.1.1 > 2.2.2.2: ip-proto-47, length 2
suricata-verify__decode-too-small__test.pcap #5 IP6 (hlim 64) fd01::101:101 > fd02::202:202: tcp [decode error tcp-truncated at 54]
suricata-verify__decode-too-small__test.pcap #6 IP6 (hlim 64) fd01::101:101 > fd02::202:202: udp [decode error udp-bad-length at 54]
suricata-verify__decode-too-small__test.pcap #7 IP6 (hlim 64) fd01::101:101 > fd02::202:202: udp [decode error udp-bad-length at 54]
suricata-verify__decode-too-small__test.pcap #8 IP6 (hlim 64) fd01::101:101 > fd02::202:202: ip-proto-47, length 2
suricata-verify__drop-protocol-change__input.pcap #1 IP (ttl 101, id 35952, DF, frag 35952@800) 116.46.97.108 > 101.114.116.134: ip-proto-116, length 210
suricata-verify__drop-protocol-change__input.pcap #2 IP (ttl 53, id 56237, DF) 139.162.123.134.80 > 10.9.0.2.58038: Flags [P.], seq 2754680361:2754680459, ack 2741645886, win 235, options [nop,nop,TS val 3569152598 ecr 1155882860], length 98
suricata-verify__drop-protocol-change__input.pcap #3 IP (ttl 64, id 35954, DF) 10.9.0.2.58038 > 139.162.123.134.80: Flags [P.], seq 2741645886:2741645910, ack 2754680459, win 229, options [nop,nop,TS val 1155883461 ecr 3569152598], length 24
suricata-verify__drop-protocol-change__input.pcap #4 IP (ttl 64, id 35955, DF) 10.9.0.2.58038 > 139.162.123.134.80: Flags [P.], seq 2741645910:2741645937, ack 2754680459, win 229, options [nop,nop,TS val 1155883461 ecr 3569152598], length 27
suricata-verify__drop-protocol-change__input.pcap #5 IP (ttl 64, id 35956, DF) 10.9.0.2.58038 > 139.162.123.134.80: Flags [P.], seq 2741645937:2741645946, ack 2754680459, win 229, options [nop,nop,TS val 1155883461 ecr 3569152598], length 9
suricata-verify__drop-protocol-change__input.pcap #6 IP (ttl 53, id 56238, DF) 139.162.123.134.80 > 10.9.0.2.58038: Flags [P.], seq 2754680459:2754680735, ack 2741645886, win 235, options [nop,nop,TS val 3569152600 ecr 1155882860], length 276
suricata-verify__drop-protocol-change__input.pcap #7 IP (ttl 64, id 35957, DF) 10.9.0.2.58038 > 139.162.123.134.80: Flags [FSRPU] [decode error tcp-bad-offset at 46]
suricata-verify__flow-drop-iponly-02__input.pcap #1 IP (ttl 128, id 6175) 192.168.10.31.58186 > 192.168.10.10.53: UDP, length 44
suricata-verify__flow-drop-iponly-02__input.pcap #2 IP (ttl 128, id 6182) 192.168.10.31.58186 > 192.168.10.10.53: UDP, length 44
suricata-verify__flow-drop-iponly-02__input.pcap #3 IP (ttl 128, id 6184) 192.168.10.31.58186 > 192.168.10.10.53: UDP, length 44
suricata-verify__flow-drop-iponly-02__input.pcap #4 IP (ttl 128, id 19717, DF) 192.168.10.10.53 > 192.168.10.31.58186: UDP, length 44
suricata-verify__flow-drop-iponly-02__input.pcap #5 IP (ttl 128, id 19719, DF) 192.168.10.10.53 > 192.168.10.31.58186: UDP, length 44
suricata-verify__flow-drop-iponly-02__input.pcap #6 IP (ttl 128, id 19724, DF) 192.168.10.10.53 > 192.168.10.31.58186: UDP, length 44
suricata-verify__flow-drop-iponly-02__input.pcap #7 IP (ttl 128, id 6194) 192.168.10.31 > 192.168.10.10: ICMP 192.168.10.31 udp port 58186 unreachable, length 80
suricata-verify__http-ipv6__input.pcap #1 IP6 (hlim 64) ::1.55717 > ::1.8000: Flags [S], seq 296797504, win 65535, options [mss 16324,nop,wscale 5,nop,nop,TS val 770775250 ecr 0,sackOK,eol], length 0
suricata-verify__http-ipv6__input.pcap #2 IP6 (hlim 64) ::1.8000 > ::1.55717: Flags [S.], seq 2637652759, ack 296797505, win 65535, options [mss 16324,nop,wscale 5,nop,nop,TS val 770775250 ecr 770775250,sackOK,eol], length 0
suricata-verify__http-ipv6__input.pcap #3 IP6 (hlim 64) ::1.55717 > ::1.8000: Flags [.], seq 296797505, ack 2637652760, win 12743, options [nop,nop,TS val 770775250 ecr 770775250], length 0
suricata-verify__http-ipv6__input.pcap #4 IP6 (hlim 64) ::1.8000 > ::1.55717: Flags [.], seq 2637652760, ack 296797505, win 12743, options [nop,nop,TS val 770775250 ecr 770775250], length 0
suricata-verify__http-ipv6__input.pcap #5 IP6 (hlim 64) ::1.55717 > ::1.8000: Flags [P.], seq 296797505:296797579, ack 2637652760, win 12743, options [nop,nop,TS val 770775250 ecr 770775250], length 74
suricata-verify__http-ipv6__input.pcap #6 IP6 (hlim 64) ::1.8000 > ::1.55717: Flags [.], seq 2637652760, ack 296797579, win 12741, options [nop,nop,TS val 770775250 ecr 770775250], length 0
suricata-verify__http-ipv6__input.pcap #7 IP6 (hlim 64) ::1.8000 > ::1.55717: Flags [P.], seq 2637652760:2637652914, ack 296797579, win 12741, options [nop,nop,TS val 770775253 ecr 770775250], length 154
suricata-verify__http-ipv6__input.pcap #8 IP6 (hlim 64) ::1.55717 > ::1.8000: Flags [.], seq 296797579, ack 2637652914, win 12738, options [nop,nop,TS val 770775253 ecr 770775253], length 0
suricata-verify__http-ipv6__input.pcap #9 IP6 (hlim 64) ::1.8000 > ::1.55717: Flags [P.], seq 2637652914:2637653477, ack 296797579, win 12741, options [nop,nop,TS val 770775253 ecr 770775253], length 563
suricata-verify__http-ipv6__input.pcap #10 IP6 (hlim 64) ::1.55717 > ::1.8000: Flags [.], seq 296797579, ack 2637653477, win 12721, options [nop,nop,TS val 770775253 ecr 770775253], length 0
suricata-verify__http-ipv6__input.pcap #11 IP6 (hlim 64) ::1.8000 > ::1.55717: Flags [F.], seq 2637653477, ack 296797579, win 12741, options [nop,nop,TS val 770775253 ecr 770775253], length 0
suricata-verify__http-ipv6__input.pcap #12 IP6 (hlim 64) ::1.55717 > ::1.8000: Flags [.], seq 296797579, ack 2637653478, win 12721, options [nop,nop,TS val 770775253 ecr 770775253], length 0
suricata-verify__http-ipv6__input.pcap #13 IP6 (hlim 64) ::1.55717 > ::1.8000: Flags [F.], seq 296797579, ack 2637653478, win 12721, options [nop,nop,TS val 770775253 ecr 770775253], length 0
suricata-verify__http-ipv6__input.pcap #14 IP6 (hlim 64) ::1.8000 > ::1.55717: Flags [.], seq 2637653478, ack 296797580, win 12741, options [nop,nop,TS val 770775253 ecr 770775253], length 0
suricata-verify__ips-state-1__input.pcap #1 IP (ttl 64, id 58235, DF) 10.16.1.11.39766 > 52.89.34.17.80: Flags [S], seq 671714972, win 64240, options [mss 1460,sackOK,TS val 2851921456 ecr 0,nop,wscale 7], length 0
suricata-verify__ips-state-1__input.pcap #2 IP (ttl 37, id 0, DF) 52.89.34.17.80 > 10.16.1.11.39766: Flags [S.], seq 2515528172, ack 671714973, win 26847, options [mss 1460,sackOK,TS val 1070709103 ecr 2851921456,nop,wscale 7], length 0
suricata-verify__ips-state-1__input.pcap #3 IP (ttl 64, id 58236, DF) 10.16.1.11.39766 > 52.89.34.17.80: Flags [.], seq 671714973, ack 2515528173, win 502, options [nop,nop,TS val 2851921491 ecr 1070709103], length 0
suricata-verify__ips-state-1__input.pcap #4 IP (ttl 64, id 58237, DF) 10.16.1.11.39766 > 52.89.34.17.80: Flags [P.], seq 671714973:671715057, ack 2515528173, win 502, options [nop,nop,TS val 2851921491 ecr 1070709103], length 84
suricata-verify__ips-state-1__input.pcap #5 IP (ttl 37, id 43306, DF) 52.89.34.17.80 > 10.16.1.11.39766: Flags [.], seq 2515528173, ack 671715057, win 210, options [nop,nop,TS val 1070709142 ecr 2851921491], length 0
suricata-verify__ips-state-1__input.pcap #6 IP (ttl 37, id 43307, DF) 52.89.34.17.80 > 10.16.1.11.39766: Flags [P.], seq 2515528173:2515528389, ack 671715057, win 210, options [nop,nop,TS val 1070709143 ecr 2851921491], length 216
suricata-verify__ips-state-1__input.pcap #7 IP (ttl 64, id 58238, DF) 10.16.1.11.39766 > 52.89.34.17.80: Flags [.], seq 671715057, ack 2515528389, win 501, options [nop,nop,TS val 2851921531 ecr 1070709143], length 0
suricata-verify__ips-state-1__input.pcap #8 IP (ttl 64, id 58239, DF) 10.16.1.11.39766 > 52.89.34.17.80: Flags [F.], seq 671715057, ack 2515528389, win 501, options [nop,nop,TS val 2851921531 ecr 1070709143], length 0
suricata-verify__ips-state-1__input.pcap #9 IP (ttl 37, id 43308, DF) 52.89.34.17.80 > 10.16.1.11.39766: Flags [F.], seq 2515528389, ack 671715058, win 210, options [nop,nop,TS val 1070709178 ecr 2851921531], length 0
suricata-verify__ips-state-1__input.pcap #10 IP (ttl 64, id 58240, DF) 10.16.1.11.39766 > 52.89.34.17.80: Flags [.], seq 671715058, ack 2515528390, win 501, options [nop,nop,TS val 2851921566 ecr 1070709178], length 0
suricata-verify__ips-state-1__input.pcap #11 IP (ttl 64, id 33079, DF) 10.16.1.11.47696 > 52.89.34.17.443: Flags [S], seq 3275828051, win 64240, options [mss 1460,sackOK,TS val 2851926830 ecr 0,nop,wscale 7], length 0
suricata-verify__ips-state-1__input.pcap #12 IP (ttl 30, id 0, DF) 52.89.34.17.443 > 10.16.1.11.47696: Flags [S.], seq 3761173469, ack 3275828052, win 26847, options [mss 1460,sackOK,TS val 1070714476 ecr 2851926830,nop,wscale 7], length 0
suricata-verify__ips-state-1__input.pcap #13 IP (ttl 64, id 33080, DF) 10.16.1.11.47696 > 52.89.34.17.443: Flags [.], seq 3275828052, ack 3761173470, win 502, options [nop,nop,TS val 2851926865 ecr 1070714476], length 0
suricata-verify__ips-state-1__input.pcap #14 IP (ttl 64, id 33081, DF) 10.16.1.11.47696 > 52.89.34.17.443: Flags [P.], seq 3275828052:3275828569, ack 3761173470, win 502, options [nop,nop,TS val 2851926870 ecr 1070714476], length 517
suricata-verify__ips-state-1__input.pcap #15 IP (ttl 30, id 8643, DF) 52.89.34.17.443 > 10.16.1.11.47696: Flags [.], seq 3761173470, ack 3275828569, win 219, options [nop,nop,TS val 1070714519 ecr 2851926870], length 0
suricata-verify__ips-state-1__input.pcap #16 IP (ttl 30, id 8644, DF) 52.89.34.17.443 > 10.16.1.11.47696: Flags [.], seq 3761173470:3761174918, ack 3275828569, win 219, options [nop,nop,TS val 1070714519 ecr 2851926870], length 1448
suricata-verify__ips-state-1__input.pcap #17 IP (ttl 30, id 8645, DF) 52.89.34.17.443 > 10.16.1.11.47696: Flags [.], seq 3761174918:3761176366, ack 3275828569, win 219, options [nop,nop,TS val 1070714519 ecr 2851926870], length 1448
suricata-verify__ips-state-1__input.pcap #18 IP (ttl 64, id 33082, DF) 10.16.1.11.47696 > 52.89.34.17.443: Flags [.], seq 3275828569, ack 3761174918, win 501, options [nop,nop,TS val 2851926909 ecr 1070714519], length 0
suricata-verify__ips-state-1__input.pcap #19 IP (ttl 64, id 33083, DF) 10.16.1.11.47696 > 52.89.34.17.443: Flags [.], seq 3275828569, ack 3761176366, win 496, options [nop,nop,TS val 2851926909 ecr 1070714519], length 0
suricata-verify__ips-state-1__input.pcap #20 IP (ttl 30, id 8646, DF) 52.89.34.17.443 > 10.16.1.11.47696: Flags [P.], seq 3761176366:3761177790, ack 3275828569, win 219, options [nop,nop,TS val 1070714519 ecr 2851926870], length 1424
suricata-verify__ips-state-1__input.pcap #21 IP (ttl 64, id 33084, DF) 10.16.1.11.47696 > 52.89.34.17.443: Flags [.], seq 3275828569, ack 3761177790, win 489, options [nop,nop,TS val 2851926909 ecr 1070714519], length 0
suricata-verify__ips-state-1__input.pcap #22 IP (ttl 64, id 33085, DF) 10.16.1.11.47696 > 52.89.34.17.443: Flags [P.], seq 3275828569:3275828633, ack 3761177790, win 489, options [nop,nop,TS val 2851926913 ecr 1070714519], length 64
suricata-verify__ips-state-1__input.pcap #23 IP (ttl 64, id 33086, DF) 10.16.1.11.47696 > 52.89.34.17.443: Flags [P.], seq 3275828633:3275828679, ack 3761177790, win 489, options [nop,nop,TS val 2851926913 ecr 1070714519], length 46
suricata-verify__ips-state-1__input.pcap #24 IP (ttl 64, id 33087, DF) 10.16.1.11.47696 > 52.89.34.17.443: Flags [P.], seq 3275828679:3275828728, ack 3761177790, win 489, options [nop,nop,TS val 2851926913 ecr 1070714519], length 49
suricata-verify__ips-state-1__input.pcap #25 IP (ttl 64, id 33088, DF) 10.16.1.11.47696 > 52.89.34.17.443: Flags [P.], seq 3275828728:3275828763, ack 3761177790, win 489, options [nop,nop,TS val 2851926913 ecr 1070714519], length 35
suricata-verify__ips-state-1__input.pcap #26 IP (ttl 64, id 33089, DF) 10.16.1.11.47696 > 52.89.34.17.443: Flags [P.], seq 3275828763:3275828822, ack 3761177790, win 489, options [nop,nop,TS val 2851926913 ecr 1070714519], length 59
suricata-verify__ips-state-1__input.pcap #27 IP (ttl 30, id 8647, DF) 52.89.34.17.443 > 10.16.1.11.47696: Flags [.], seq 3761177790, ack 3275828822, win 219, options [nop,nop,TS val 1070714561 ecr 2851926913], length 0
suricata-verify__ips-state-1__input.pcap #28 IP (ttl 30, id 8648, DF) 52.89.34.17.443 > 10.16.1.11.47696: Flags [P.], seq 3761177790:3761177845, ack 3275828822, win 219, options [nop,nop,TS val 1070714562 ecr 2851926913], length 55
suricata-verify__ips-state-1__input.pcap #29 IP (ttl 30, id 8649, DF) 52.89.34.17.443 > 10.16.1.11.47696: Flags [P.], seq 3761177845:3761177889, ack 3275828822, win 219, options [nop,nop,TS val 1070714562 ecr 2851926913], length 44
suricata-verify__ips-state-1__input.pcap #30 IP (ttl 64, id 33090, DF) 10.16.1.11.47696 > 52.89.34.17.443: Flags [.], seq 3275828822, ack 3761177845, win 501, options [nop,nop,TS val 2851926950 ecr 1070714562], length 0
suricata-verify__ips-state-1__input.pcap #31 IP (ttl 64, id 33091, DF) 10.16.1.11.47696 > 52.89.34.17.443: Flags [.], seq 3275828822, ack 3761177889, win 501, options [nop,nop,TS val 2851926950 ecr 1070714562], length 0
suricata-verify__ips-state-1__input.pcap #32 IP (ttl 64, id 33092, DF) 10.16.1.11.47696 > 52.89.34.17.443: Flags [P.], seq 3275828822:3275828853, ack 3761177889, win 501, options [nop,nop,TS val 2851926950 ecr 1070714562], length 31
suricata-verify__ips-state-1__input.pcap #33 IP (ttl 30, id 8650, DF) 52.89.34.17.443 > 10.16.1.11.47696: Flags [P.], seq 3761177889:3761178017, ack 3275828822, win 219, options [nop,nop,TS val 1070714562 ecr 2851926913], length 128
suricata-verify__ips-state-1__input.pcap #34 IP (ttl 64, id 33093, DF) 10.16.1.11.47696 > 52.89.34.17.443: Flags [.], seq 3275828853, ack 3761178017, win 501, options [nop,nop,TS val 2851926951 ecr 1070714562], length 0
suricata-verify__ips-state-1__input.pcap #35 IP (ttl 30, id 8651, DF) 52.89.34.17.443 > 10.16.1.11.47696: Flags [.], seq 3761178017:3761179465, ack 3275828822, win 219, options [nop,nop,TS val 1070714562 ecr 2851926913], length 1448
suricata-verify__ips-state-1__input.pcap #36 IP (ttl 30, id 8652, DF) 52.89.34.17.443 > 10.16.1.11.47696: Flags [.], seq 3761179465:3761180913, ack 3275828822, win 219, options [nop,nop,TS val 1070714562 ecr 2851926913], length 1448
suricata-verify__ips-state-1__input.pcap #37 IP (ttl 30, id 8653, DF) 52.89.34.17.443 > 10.16.1.11.47696: Flags [P.], seq 3761180913:3761181183, ack 3275828822, win 219, options [nop,nop,TS val 1070714562 ecr 2851926913], length 270
suricata-verify__ips-state-1__input.pcap #38 IP (ttl 64, id 33094, DF) 10.16.1.11.47696 > 52.89.34.17.443: Flags [.], seq 3275828853, ack 3761179465, win 490, options [nop,nop,TS val 2851926951 ecr 1070714562], length 0
suricata-verify__ips-state-1__input.pcap #39 IP (ttl 64, id 33095, DF) 10.16.1.11.47696 > 52.89.34.17.443: Flags [.], seq 3275828853, ack 3761180913, win 479, options [nop,nop,TS val 2851926951 ecr 1070714562], length 0
suricata-verify__ips-state-1__input.pcap #40 IP (ttl 64, id 33096, DF) 10.16.1.11.47696 > 52.89.34.17.443: Flags [.], seq 3275828853, ack 3761181183, win 477, options [nop,nop,TS val 2851926951 ecr 1070714562], length 0
suricata-verify__ips-state-1__input.pcap #41 IP (ttl 64, id 33097, DF) 10.16.1.11.47696 > 52.89.34.17.443: Flags [P.], seq 3275828853:3275828877, ack 3761181183, win 501, options [nop,nop,TS val 2851926951 ecr 1070714562], length 24
suricata-verify__ips-state-1__input.pcap #42 IP (ttl 64, id 33098, DF) 10.16.1.11.47696 > 52.89.34.17.443: Flags [F.], seq 3275828877, ack 3761181183, win 501, options [nop,nop,TS val 2851926952 ecr 1070714562], length 0
suricata-verify__ips-state-1__input.pcap #43 IP (ttl 30, id 8654, DF) 52.89.34.17.443 > 10.16.1.11.47696: Flags [.], seq 3761181183, ack 3275828877, win 219, options [nop,nop,TS val 1070714597 ecr 2851926950], length 0
suricata-verify__ips-state-1__input.pcap #44 IP (ttl 30, id 8655, DF) 52.89.34.17.443 > 10.16.1.11.47696: Flags [P.], seq 3761181183:3761181207, ack 3275828877, win 219, options [nop,nop,TS val 1070714597 ecr 2851926950], length 24
suricata-verify__ips-state-1__input.pcap #45 IP (ttl 30, id 8656, DF) 52.89.34.17.443 > 10.16.1.11.47696: Flags [F.], seq 3761181207, ack 3275828877, win 219, options [nop,nop,TS val 1070714597 ecr 2851926950], length 0
suricata-verify__ips-state-1__input.pcap #46 IP (ttl 64, id 0, DF) 10.16.1.11.47696 > 52.89.34.17.443: Flags [R], seq 3275828877, win 0, length 0
suricata-verify__ips-state-1__input.pcap #47 IP (ttl 64, id 0, DF) 10.16.1.11.47696 > 52.89.34.17.443: Flags [R], seq 3275828877, win 0, length 0
suricata-verify__ips-state-1__input.pcap #48 IP (ttl 30, id 8657, DF) 52.89.34.17.443 > 10.16.1.11.47696: Flags [.], seq 3761181208, ack 3275828878, win 219, options [nop,nop,TS val 1070714600 ecr 2851926952], length 0
suricata-verify__ips-state-1__input.pcap #49 IP (ttl 64, id 0, DF) 10.16.1.11.47696 > 52.89.34.17.443: Flags [R], seq 3275828878, win 0, length 0
suricata-verify__ips-state-1__input.pcap #50 IP (ttl 64, id 43686, DF) 10.16.1.11.39768 > 52.89.34.17.80: Flags [S], seq 4077259293, win 64240, options [mss 1460,sackOK,TS val 2851929476 ecr 0,nop,wscale 7], length 0
suricata-verify__ips-state-1__input.pcap #51 IP (ttl 36, id 0, DF) 52.89.34.17.80 > 10.16.1.11.39768: Flags [S.], seq 1328848417, ack 4077259294, win 26847, options [mss 1460,sackOK,TS val 1070717122 ecr 2851929476,nop,wscale 7], length 0
suricata-verify__ips-state-1__input.pcap #52 IP (ttl 64, id 43687, DF) 10.16.1.11.39768 > 52.89.34.17.80: Flags [.], seq 4077259294, ack 1328848418, win 502, options [nop,nop,TS val 2851929510 ecr 1070717122], length 0
suricata-verify__ips-state-1__input.pcap #53 IP (ttl 64, id 43688, DF) 10.16.1.11.39768 > 52.89.34.17.80: Flags [P.], seq 4077259294:4077259368, ack 1328848418, win 502, options [nop,nop,TS val 2851929510 ecr 1070717122], length 74
suricata-verify__ips-state-1__input.pcap #54 IP (ttl 36, id 32015, DF) 52.89.34.17.80 > 10.16.1.11.39768: Flags [.], seq 1328848418, ack 4077259368, win 210, options [nop,nop,TS val 1070717161 ecr 2851929510], length 0
suricata-verify__ips-state-1__input.pcap #55 IP (ttl 36, id 32016, DF) 52.89.34.17.80 > 10.16.1.11.39768: Flags [P.], seq 1328848418:1328848574, ack 4077259368, win 210, options [nop,nop,TS val 1070717161 ecr 2851929510], length 156
suricata-verify__ips-state-1__input.pcap #56 IP (ttl 64, id 43689, DF) 10.16.1.11.39768 > 52.89.34.17.80: Flags [.], seq 4077259368, ack 1328848574, win 501, options [nop,nop,TS val 2851929549 ecr 1070717161], length 0
suricata-verify__ips-state-1__input.pcap #57 IP (ttl 36, id 32017, DF) 52.89.34.17.80 > 10.16.1.11.39768: Flags [F.], seq 1328848574, ack 4077259368, win 210, options [nop,nop,TS val 1070717161 ecr 2851929510], length 0
suricata-verify__ips-state-1__input.pcap #58 IP (ttl 64, id 43690, DF) 10.16.1.11.39768 > 52.89.34.17.80: Flags [F.], seq 4077259368, ack 1328848575, win 501, options [nop,nop,TS val 2851929550 ecr 1070717161], length 0
suricata-verify__ips-state-1__input.pcap #59 IP (ttl 36, id 32018, DF) 52.89.34.17.80 > 10.16.1.11.39768: Flags [.], seq 1328848575, ack 4077259369, win 210, options [nop,nop,TS val 1070717196 ecr 2851929550], length 0
suricata-verify__issue-3341-tcphdr-01__urgent11_cve_2019_12260.pcap #1 ARP, Request who-has 192.168.1.1 tell 192.168.1.24, length 28
suricata-verify__issue-3341-tcphdr-01__urgent11_cve_2019_12260.pcap #2 ARP, Reply 192.168.1.1 is-at cc:40:d0:8b:64:c6, length 28
suricata-verify__issue-3341-tcphdr-01__urgent11_cve_2019_12260.pcap #3 IP (ttl 64, id 1) 192.168.1.24.31337 > 178.128.142.56.443: Flags [S], seq 0, win 8192, options [unknown-29 61,eol], length 0
suricata-verify__issue-3341-tcphdr-01__urgent11_cve_2019_12260.pcap #4 IP (ttl 54, id 0, DF) 178.128.142.56.443 > 192.168.1.24.31337: Flags [S.], seq 2526909380, ack 1, win 29200, options [mss 1420], length 0
suricata-verify__issue-3341-tcphdr-01__urgent11_cve_2019_12260.pcap #5 IP (ttl 64, id 0, DF) 192.168.1.24.31337 > 178.128.142.56.443: Flags [R], seq 1, win 0, length 0
suricata-verify__issue-3341-tcphdr-01__urgent11_cve_2019_12260.pcap #6 IP (ttl 64, id 1) 192.168.1.24.31337 > 178.128.142.56.443: Flags [FSU], seq 0, win 8192, urg 10, length 0
suricata-verify__issue-3341-tcphdr-01__urgent11_cve_2019_12260.pcap #7 IP (ttl 64, id 1) 192.168.1.24.31337 > 178.128.142.56.443: Flags [S], seq 1000000, win 8192, length 0
suricata-verify__issue-3341-tcphdr-01__urgent11_cve_2019_12260.pcap #8 IP (ttl 54, id 0, DF) 178.128.142.56.443 > 192.168.1.24.31337: Flags [S.], seq 2528119500, ack 1000001, win 29200, options [mss 1420], length 0
suricata-verify__issue-3341-tcphdr-01__urgent11_cve_2019_12260.pcap #9 IP (ttl 64, id 0, DF) 192.168.1.24.31337 > 178.128.142.56.443: Flags [R], seq 1000001, win 0, length 0
suricata-verify__issue-3341-tcphdr-01__urgent11_cve_2019_12260.pcap #10 IP (ttl 64, id 1) 192.168.1.24.31337 > 178.128.142.56.443: Flags [.], seq 1000000:1001024, ack 1000001, win 8192, length 1024
suricata-verify__security-4710-01__input.pcap #1 IP (ttl 64, id 1) 192.168.111.128.56369 > 192.168.112.136.80: Flags [S], seq 36821, win 8192, length 0
suricata-verify__security-4710-01__input.pcap #2 IP (ttl 63, id 0, DF) 192.168.112.136.80 > 192.168.111.128.56369: Flags [S.], seq 1102880489, ack 36822, win 64240, options [mss 1460], length 0
suricata-verify__security-4710-01__input.pcap #3 IP (ttl 64, id 1) 192.168.111.128.56369 > 192.168.112.136.80: Flags [.], seq 36822, ack 1102880490, win 8192, length 0
suricata-verify__security-4710-01__input.pcap #4 IP (ttl 64, id 1) 192.168.111.128.56369 > 192.168.112.136.80: Flags [R.], seq 36822, ack 1102880490, win 8192, options [unknown-19 c573f6bc7dba9cf6c695d68aff1038e2,eol], length 0
suricata-verify__security-4710-01__input.pcap #5 IP (ttl 64, id 1) 192.168.111.128.56369 > 192.168.112.136.80: Flags [P.], seq 36822:36954, ack 1102880490, win 8192, length 132
suricata-verify__security-4710-01__input.pcap #6 IP (ttl 63, id 19045, DF) 192.168.112.136.80 > 192.168.111.128.56369: Flags [.], seq 1102880490, ack 36954, win 64108, length 0
suricata-verify__security-4710-01__input.pcap #7 IP (ttl 63, id 19046, DF) 192.168.112.136.80 > 192.168.111.128.56369: Flags [P.], seq 1102880490:1102880781, ack 36954, win 64108, length 291
suricata-verify__security-4710-01__input.pcap #8 IP (ttl 63, id 19047, DF) 192.168.112.136.80 > 192.168.111.128.56369: Flags [F.], seq 1102880781, ack 36954, win 64108, length 0
suricata-verify__security-4710-01__input.pcap #9 IP (ttl 64, id 1) 192.168.111.128.56369 > 192.168.112.136.80: Flags [F.], seq 36954, ack 1102880490, win 8192, length 0
suricata-verify__security-4710-01__input.pcap #10 IP (ttl 63, id 19048, DF) 192.168.112.136.80 > 192.168.111.128.56369: Flags [.], seq 1102880782, ack 36955, win 64107, length 0
suricata-verify__security-4710-01__input.pcap #11 IP (ttl 63, id 19049, DF) 192.168.112.136.80 > 192.168.111.128.56369: Flags [FP.], seq 1102880490:1102880781, ack 36955, win 64107, length 291
suricata-verify__security-4710-01__input.pcap #12 IP (ttl 64, id 1) 192.168.111.128.56369 > 192.168.112.136.80: Flags [R.], seq 36955, ack 1102880883, win 8192, length 0
suricata-verify__tcp-empty-sack__tcp-opt.pcap #1 IP (ttl 63, id 0, DF) 192.168.0.54.49506 > 17.173.66.179.443: Flags [S], seq 3742376988, win 65535, options [mss 1460,nop,wscale 7,nop,nop,TS val 849476499 ecr 0,sackOK,eol], length 0
suricata-verify__tcp-empty-sack__tcp-opt.pcap #2 IP (ttl 240, id 58727, DF) 17.173.66.179.443 > 192.168.0.54.49506: Flags [S.], seq 3947759005, ack 3742376989, win 8190, options [mss 1440,nop,wscale 4,nop,nop,sackOK], length 0
suricata-verify__tcp-empty-sack__tcp-opt.pcap #3 IP (ttl 63, id 0, DF) 192.168.0.54.49506 > 17.173.66.179.443: Flags [.], seq 3742376989, ack 3947759006, win 2048, length 0
suricata-verify__tcp-empty-sack__tcp-opt.pcap #4 IP (ttl 63, id 0, DF) 192.168.0.54.49506 > 17.173.66.179.443: Flags [P.], seq 3742376989:3742377506, ack 3947759006, win 2048, length 517
suricata-verify__tcp-empty-sack__tcp-opt.pcap #5 IP (ttl 240, id 58748, DF) 17.173.66.179.443 > 192.168.0.54.49506: Flags [.], seq 3947759006, ack 3742377506, win 65472, length 0
suricata-verify__tcp-empty-sack__tcp-opt.pcap #6 IP (ttl 240, id 58750, DF) 17.173.66.179.443 > 192.168.0.54.49506: Flags [P.], seq 3947759006:3947760446, ack 3742377506, win 65472, length 1440
suricata-verify__tcp-empty-sack__tcp-opt.pcap #7 IP (ttl 240, id 58752, DF) 17.173.66.179.443 > 192.168.0.54.49506: Flags [P.], seq 3947760446:3947761886, ack 3742377506, win 65472, length 1440
suricata-verify__tcp-empty-sack__tcp-opt.pcap #8 IP (ttl 240, id 58754, DF) 17.173.66.179.443 > 192.168.0.54.49506: Flags [P.], seq 3947761886:3947763326, ack 3742377506, win 65472, length 1440
suricata-verify__tcp-empty-sack__tcp-opt.pcap #9 IP (ttl 240, id 58756, DF) 17.173.66.179.443 > 192.168.0.54.49506: Flags [P.], seq 3947763326:3947763833, ack 3742377506, win 65472, length 507
suricata-verify__tcp-empty-sack__tcp-opt.pcap #10 IP (ttl 240, id 58758, DF) 17.173.66.179.443 > 192.168.0.54.49506: Flags [P.], seq 3947763833:3947764175, ack 3742377506, win 65472, length 342
suricata-verify__tcp-empty-sack__tcp-opt.pcap #11 IP (ttl 63, id 0, DF) 192.168.0.54.49506 > 17.173.66.179.443: Flags [.], seq 3742377506, ack 3947760446, win 2036, length 0
suricata-verify__tcp-empty-sack__tcp-opt.pcap #12 IP (ttl 63, id 0, DF) 192.168.0.54.49506 > 17.173.66.179.443: Flags [.], seq 3742377506, ack 3947761886, win 2036, length 0
suricata-verify__tcp-empty-sack__tcp-opt.pcap #13 IP (ttl 63, id 0, DF) 192.168.0.54.49506 > 17.173.66.179.443: Flags [.], seq 3742377506, ack 3947763326, win 2036, length 0
suricata-verify__tcp-empty-sack__tcp-opt.pcap #14 IP (ttl 63, id 0, DF) 192.168.0.54.49506 > 17.173.66.179.443: Flags [.], seq 3742377506, ack 3947763833, win 2044, length 0
suricata-verify__tcp-empty-sack__tcp-opt.pcap #15 IP (ttl 63, id 0, DF) 192.168.0.54.49506 > 17.173.66.179.443: Flags [.], seq 3742377506, ack 3947764175, win 2045, length 0
suricata-verify__tcp-empty-sack__tcp-opt.pcap #16 IP (ttl 63, id 0, DF) 192.168.0.54.49506 > 17.173.66.179.443: Flags [P.], seq 3742377506:3742377632, ack 3947764175, win 2048, length 126
suricata-verify__tcp-empty-sack__tcp-opt.pcap #17 IP (ttl 240, id 58782, DF) 17.173.66.179.443 > 192.168.0.54.49506: Flags [.], seq 3947764175, ack 3742377632, win 65465, length 0
suricata-verify__tcp-empty-sack__tcp-opt.pcap #18 IP (ttl 240, id 58785, DF) 17.173.66.179.443 > 192.168.0.54.49506: Flags [P.], seq 3947764175:3947764226, ack 3742377632, win 65465, length 51
suricata-verify__tcp-empty-sack__tcp-opt.pcap #19 IP (ttl 63, id 0, DF) 192.168.0.54.49506 > 17.173.66.179.443: Flags [.], seq 3742377632, ack 3947764226, win 2047, length 0
suricata-verify__tcp-empty-sack__tcp-opt.pcap #20 IP (ttl 63, id 0, DF) 192.168.0.54.49506 > 17.173.66.179.443: Flags [.], seq 3742377632:3742379072, ack 3947764226, win 2048, length 1440
suricata-verify__tcp-empty-sack__tcp-opt.pcap #21 IP (ttl 63, id 0, DF) 192.168.0.54.49506 > 17.173.66.179.443: Flags [P.], seq 3742379072:3742379680, ack 3947764226, win 2048, length 608
suricata-verify__tcp-empty-sack__tcp-opt.pcap #22 IP (ttl 63, id 0, DF) 192.168.0.54.49506 > 17.173.66.179.443: Flags [P.], seq 3742379680:3742380314, ack 3947764226, win 2048, length 634
suricata-verify__tcp-empty-sack__tcp-opt.pcap #23 IP (ttl 63, id 0, DF) 192.168.0.54.49506 > 17.173.66.179.443: Flags [P.], seq 3742380314:3742380942, ack 3947764226, win 2048, length 628
suricata-verify__tcp-empty-sack__tcp-opt.pcap #24 IP (ttl 240, id 58816, DF) 17.173.66.179.443 > 192.168.0.54.49506: Flags [.], seq 3947764226, ack 3742379072, win 65375, options [nop,nop,sack [bad length 2]], length 0 [decode error tcp-bad-options at 42]
suricata-verify__tcp-empty-sack__tcp-opt.pcap #25 IP (ttl 240, id 58817, DF) 17.173.66.179.443 > 192.168.0.54.49506: Flags [.], seq 3947764226, ack 3742379072, win 65375, options [nop,nop,sack 1 {3742379680:3742380314}], length 0
suricata-verify__tcp-empty-sack__tcp-opt.pcap #26 IP (ttl 240, id 58825, DF) 17.173.66.179.443 > 192.168.0.54.49506: Flags [.], seq 3947764226, ack 3742379072, win 65375, options [nop,nop,sack 1 {3742379680:3742380942}], length 0
suricata-verify__tcp-empty-sack__tcp-opt.pcap #27 IP (ttl 63, id 0, DF) 192.168.0.54.49506 > 17.173.66.179.443: Flags [.], seq 3742379072:3742379680, ack 3947764226, win 2048, length 608
suricata-verify__tcp-empty-sack__tcp-opt.pcap #28 IP (ttl 63, id 0, DF) 192.168.0.54.49506 > 17.173.66.179.443: Flags [P.], seq 3742380314:3742380942, ack 3947764226, win 2048, length 628
suricata-verify__tcp-empty-sack__tcp-opt.pcap #29 IP (ttl 240, id 58843, DF) 17.173.66.179.443 > 192.168.0.54.49506: Flags [.], seq 3947764226, ack 3742380314, win 65298, options [nop,nop,sack 1 {3742379680:3742380942}], length 0
suricata-verify__tcp-empty-sack__tcp-opt.pcap #30 IP (ttl 240, id 58844, DF) 17.173.66.179.443 > 192.168.0.54.49506: Flags [.], seq 3947764226, ack 3742380942, win 65259, length 0
suricata-verify__tcp-empty-sack__tcp-opt.pcap #31 IP (ttl 240, id 58845, DF) 17.173.66.179.443 > 192.168.0.54.49506: Flags [.], seq 3947764226, ack 3742380942, win 65259, options [nop,nop,sack 1 {3742380314:3742380942}], length 0
suricata-verify__tcp-empty-sack__tcp-opt.pcap #32 IP (ttl 240, id 58849, DF) 17.173.66.179.443 > 192.168.0.54.49506: Flags [P.], seq 3947764226:3947765608, ack 3742380942, win 65464, length 1382
suricata-verify__tcp-empty-sack__tcp-opt.pcap #33 IP (ttl 63, id 0, DF) 192.168.0.54.49506 > 17.173.66.179.443: Flags [.], seq 3742380942, ack 3947765608, win 2037, length 0
suricata-verify__tcp-empty-sack__tcp-opt.pcap #34 IP (ttl 63, id 0, DF) 192.168.0.54.49506 > 17.173.66.179.443: Flags [.], seq 3742380941, ack 3947765608, win 2048, length 0
suricata-verify__tcp-empty-sack__tcp-opt.pcap #35 IP (ttl 240, id 58961, DF) 17.173.66.179.443 > 192.168.0.54.49506: Flags [.], seq 3947765608, ack 3742380942, win 2560, length 0
suricata-verify__tcp-empty-sack__tcp-opt.pcap #36 IP (ttl 63, id 0, DF) 192.168.0.54.49506 > 17.173.66.179.443: Flags [P.], seq 3742380942:3742380973, ack 3947765608, win 2048, length 31
suricata-verify__tcp-empty-sack__tcp-opt.pcap #37 IP (ttl 240, id 55203, DF) 17.173.66.179.443 > 192.168.0.54.49506: Flags [.], seq 3947765608, ack 3742380973, win 2559, length 0
suricata-verify__tcp-empty-sack__tcp-opt.pcap #38 IP (ttl 240, id 55207, DF) 17.173.66.179.443 > 192.168.0.54.49506: Flags [F.], seq 3947765608:3947765639, ack 3742380973, win 2559, length 31
suricata-verify__tcp-empty-sack__tcp-opt.pcap #39 IP (ttl 240, id 55258, DF) 17.173.66.179.443 > 192.168.0.54.49506: Flags [FP.], seq 3947765608:3947765639, ack 3742380973, win 2559, length 31
suricata-verify__tcp-empty-sack__tcp-opt.pcap #40 IP (ttl 240, id 55381, DF) 17.173.66.179.443 > 192.168.0.54.49506: Flags [FP.], seq 3947765608:3947765639, ack 3742380973, win 2559, length 31
suricata-verify__tcp-empty-sack__tcp-opt.pcap #41 IP (ttl 240, id 55494, DF) 17.173.66.179.443 > 192.168.0.54.49506: Flags [FP.], seq 3947765608:3947765639, ack 3742380973, win 2559, length 31
suricata-verify__tcp-empty-sack__tcp-opt.pcap #42 IP (ttl 63, id 0, DF) 192.168.0.54.49506 > 17.173.66.179.443: Flags [R], seq 3742380973, win 0, length 0
suricata-verify__tcp-rst-unacked-stream-09__TLPW1-990-49230.pcap #1 IP (ttl 128, id 10073, DF) 10.12.14.101.49230 > 110.37.219.134.990: Flags [S], seq 150541897, win 8192, options [mss 1460,nop,wscale 8,nop,nop,sackOK], length 0
suricata-verify__tcp-rst-unacked-stream-09__TLPW1-990-49230.pcap #2 IP (ttl 111, id 9641, DF) 110.37.219.134.990 > 10.12.14.101.49230: Flags [S.], seq 1316360364, ack 150541898, win 8192, options [mss 1288,nop,wscale 8,nop,nop,sackOK], length 0
suricata-verify__tcp-rst-unacked-stream-09__TLPW1-990-49230.pcap #3 IP (ttl 128, id 10074, DF) 10.12.14.101.49230 > 110.37.219.134.990: Flags [.], seq 150541898, ack 1316360365, win 256, length 0
suricata-verify__tcp-rst-unacked-stream-09__TLPW1-990-49230.pcap #4 IP (ttl 128, id 10075, DF) 10.12.14.101.49230 > 110.37.219.134.990: Flags [P.], seq 150541898:150542675, ack 1316360365, win 256, length 777
suricata-verify__tcp-rst-unacked-stream-09__TLPW1-990-49230.pcap #5 IP (ttl 111, id 12856, DF) 110.37.219.134.990 > 10.12.14.101.49230: Flags [.], seq 1316360365, ack 150542675, win 256, length 0
suricata-verify__tcp-rst-unacked-stream-09__TLPW1-990-49230.pcap #6 IP (ttl 111, id 27697, DF) 110.37.219.134.990 > 10.12.14.101.49230: Flags [.], seq 1316360365:1316361653, ack 150542675, win 256, length 1288
suricata-verify__tcp-rst-unacked-stream-09__TLPW1-990-49230.pcap #7 IP (ttl 111, id 27698, DF) 110.37.219.134.990 > 10.12.14.101.49230: Flags [.], seq 1316361653:1316362941, ack 150542675, win 256, length 1288
suricata-verify__tcp-rst-unacked-stream-09__TLPW1-990-49230.pcap #8 IP (ttl 128, id 10076, DF) 10.12.14.101.49230 > 110.37.219.134.990: Flags [.], seq 150542675, ack 1316361653, win 256, length 0
suricata-verify__tcp-rst-unacked-stream-09__TLPW1-990-49230.pcap #9 IP (ttl 128, id 10077, DF) 10.12.14.101.49230 > 110.37.219.134.990: Flags [.], seq 150542675, ack 1316362941, win 256, length 0
suricata-verify__tcp-rst-unacked-stream-09__TLPW1-990-49230.pcap #10 IP (ttl 111, id 29799, DF) 110.37.219.134.990 > 10.12.14.101.49230: Flags [.], seq 1316362941:1316364229, ack 150542675, win 256, length 1288
suricata-verify__tcp-rst-unacked-stream-09__TLPW1-990-49230.pcap #11 IP (ttl 128, id 10078, DF) 10.12.14.101.49230 > 110.37.219.134.990: Flags [.], seq 150542675, ack 1316364229, win 256, length 0
suricata-verify__tcp-rst-unacked-stream-09__TLPW1-990-49230.pcap #12 IP (ttl 111, id 32056, DF) 110.37.219.134.990 > 10.12.14.101.49230: Flags [P.], seq 1316368093:1316368557, ack 150542675, win 256, length 464
suricata-verify__tcp-rst-unacked-stream-09__TLPW1-990-49230.pcap #13 IP (ttl 128, id 10080, DF) 10.12.14.101.49230 > 110.37.219.134.990: Flags [.], seq 150542675, ack 1316365517, win 256, options [nop,nop,sack 1 {1316368093:1316368557}], length 0
suricata-verify__tcp-rst-unacked-stream-09__TLPW1-990-49230.pcap #14 IP (ttl 128, id 10081, DF) 10.12.14.101.49230 > 110.37.219.134.990: Flags [.], seq 150542675, ack 1316366805, win 256, options [nop,nop,sack 1 {1316368093:1316368557}], length 0
suricata-verify__tcp-rst-unacked-stream-09__TLPW1-990-49230.pcap #15 IP (ttl 128, id 10082, DF) 10.12.14.101.49230 > 110.37.219.134.990: Flags [.], seq 150542675, ack 1316368557, win 256, length 0
suricata-verify__tcp-rst-unacked-stream-09__TLPW1-990-49230.pcap #16 IP (ttl 111, id 18947, DF) 110.37.219.134.990 > 10.12.14.101.49230: Flags [.], seq 1316368557:1316369845, ack 150542675, win 256, length 1288
suricata-verify__tcp-rst-unacked-stream-09__TLPW1-990-49230.pcap #17 IP (ttl 128, id 10083, DF) 10.12.14.101.49230 > 110.37.219.134.990: Flags [.], seq 150542675, ack 1316369845, win 256, length 0
suricata-verify__tcp-rst-unacked-stream-09__TLPW1-990-49230.pcap #18 IP (ttl 111, id 18948, DF) 110.37.219.134.990 > 10.12.14.101.49230: Flags [.], seq 1316369845:1316371133, ack 150542675, win 256, length 1288
suricata-verify__tcp-rst-unacked-stream-09__TLPW1-990-49230.pcap #19 IP (ttl 128, id 10084, DF) 10.12.14.101.49230 > 110.37.219.134.990: Flags [.], seq 150542675, ack 1316371133, win 256, length 0
suricata-verify__tcp-rst-unacked-stream-09__TLPW1-990-49230.pcap #20 IP (ttl 111, id 18949, DF) 110.37.219.134.990 > 10.12.14.101.49230: Flags [.], seq 1316371133:1316372421, ack 150542675, win 256, length 1288
suricata-verify__tcp-rst-unacked-stream-09__TLPW1-990-49230.pcap #21 IP (ttl 128, id 10085, DF) 10.12.14.101.49230 > 110.37.219.134.990: Flags [.], seq 150542675, ack 1316372421, win 256, length 0
suricata-verify__tcp-rst-unacked-stream-09__TLPW1-990-49230.pcap #22 IP (ttl 111, id 21150, DF) 110.37.219.134.990 > 10.12.14.101.49230: Flags [.], seq 1316372421:1316373709, ack 150542675, win 256, length 1288
suricata-verify__tcp-rst-unacked-stream-09__TLPW1-990-49230.pcap #23 IP (ttl 111, id 21151, DF) 110.37.219.134.990 > 10.12.14.101.49230: Flags [.], seq 1316373709:1316374997, ack 150542675, win 256, length 1288
suricata-verify__tcp-rst-unacked-stream-09__TLPW1-990-49230.pcap #24 IP (ttl 128, id 10086, DF) 10.12.14.101.49230 > 110.37.219.134.990: Flags [.], seq 150542675, ack 1316373709, win 256, length 0
suricata-verify__tcp-rst-unacked-stream-09__TLPW1-990-49230.pcap #25 IP (ttl 111, id 21153, DF) 110.37.219.134.990 > 10.12.14.101.49230: Flags [.], seq 1316374997:1316376285, ack 150542675, win 256, length 1288
suricata-verify__tcp-rst-unacked-stream-09__TLPW1-990-49230.pcap #26 IP (ttl 128, id 10087, DF) 10.12.14.101.49230 > 110.37.219.134.990: Flags [.], seq 150542675, ack 1316374997, win 256, length 0
suricata-verify__tcp-rst-unacked-stream-09__TLPW1-990-49230.pcap #27 IP (ttl 128, id 10088, DF) 10.12.14.101.49230 > 110.37.219.134.990: Flags [.], seq 150542675, ack 1316376285, win 256, length 0
suricata-verify__tcp-rst-unacked-stream-09__TLPW1-990-49230.pcap #28 IP (ttl 111, id 23317, DF) 110.37.219.134.990 > 10.12.14.101.49230: Flags [.], seq 1316376285:1316377573, ack 150542675, win 256, length 1288
suricata-verify__tcp-rst-unacked-stream-09__TLPW1-990-49230.pcap #29 IP (ttl 111, id 23318, DF) 110.37.219.134.990 > 10.12.14.101.49230: Flags [.], seq 1316377573:1316378861, ack 150542675, win 256, length 1288
suricata-verify__tcp-rst-unacked-stream-09__TLPW1-990-49230.pcap #30 IP (ttl 128, id 10089, DF) 10.12.14.101.49230 > 110.37.219.134.990: Flags [.], seq 150542675, ack 1316377573, win 256, length 0
suricata-verify__tcp-rst-unacked-stream-09__TLPW1-990-49230.pcap #31 IP (ttl 111, id 23319, DF) 110.37.219.134.990 > 10.12.14.101.49230: Flags [.], seq 1316378861:1316380149, ack 150542675, win 256, length 1288
suricata-verify__tcp-rst-unacked-stream-09__TLPW1-990-49230.pcap #32 IP (ttl 128, id 10090, DF) 10.12.14.101.49230 > 110.37.219.134.990: Flags [.], seq 150542675, ack 1316378861, win 256, length 0
suricata-verify__tcp-rst-unacked-stream-09__TLPW1-990-49230.pcap #33 IP (ttl 128, id 10091, DF) 10.12.14.101.49230 > 110.37.219.134.990: Flags [.], seq 150542675, ack 1316380149, win 256, length 0
suricata-verify__tcp-rst-unacked-stream-09__TLPW1-990-49230.pcap #34 IP (ttl 111, id 25407, DF) 110.37.219.134.990 > 10.12.14.101.49230: Flags [P.], seq 1316384013:1316385301, ack 150542675, win 256, length 1288
suricata-verify__tcp-rst-unacked-stream-09__TLPW1-990-49230.pcap #35 IP (ttl 128, id 10093, DF) 10.12.14.101.49230 > 110.37.219.134.990: Flags [.], seq 150542675, ack 1316381437, win 256, options [nop,nop,sack 1 {1316384013:1316385301}], length 0
suricata-verify__tcp-rst-unacked-stream-09__TLPW1-990-49230.pcap #36 IP (ttl 111, id 6629, DF) 110.37.219.134.990 > 10.12.14.101.49230: Flags [.], seq 1316387877:1316389165, ack 150542675, win 256, length 1288
suricata-verify__tcp-rst-unacked-stream-09__TLPW1-990-49230.pcap #37 IP (ttl 111, id 6630, DF) 110.37.219.134.990 > 10.12.14.101.49230: Flags [.], seq 1316389165:1316390453, ack 150542675, win 256, length 1288
suricata-verify__tcp-rst-unacked-stream-09__TLPW1-990-49230.pcap #38 IP (ttl 111, id 9240, DF) 110.37.219.134.990 > 10.12.14.101.49230: Flags [.], seq 1316381437:1316382725, ack 150542675, win 256, length 1288
suricata-verify__tcp-rst-unacked-stream-09__TLPW1-990-49230.pcap #39 IP (ttl 128, id 10096, DF) 10.12.14.101.49230 > 110.37.219.134.990: Flags [.], seq 150542675, ack 1316382725, win 256, options [nop,nop,sack 2 {1316387877:1316390453}{1316384013:1316385301}], length 0
suricata-verify__tcp-rst-unacked-stream-09__TLPW1-990-49230.pcap #40 IP (ttl 128, id 10098, DF) 10.12.14.101.49230 > 110.37.219.134.990: Flags [.], seq 150542675, ack 1316386589, win 256, options [nop,nop,sack 1 {1316387877:1316390453}], length 0
suricata-verify__tcp-rst-unacked-stream-09__TLPW1-990-49230.pcap #41 IP (ttl 111, id 19592, DF) 110.37.219.134.990 > 10.12.14.101.49230: Flags [.], seq 1316390453:1316391741, ack 150542675, win 256, length 1288
suricata-verify__tcp-rst-unacked-stream-09__TLPW1-990-49230.pcap #42 IP (ttl 111, id 19603, DF) 110.37.219.134.990 > 10.12.14.101.49230: Flags [.], seq 1316386589:1316387877, ack 150542675, win 256, length 1288
suricata-verify__tcp-rst-unacked-stream-09__TLPW1-990-49230.pcap #43 IP (ttl 128, id 10100, DF) 10.12.14.101.49230 > 110.37.219.134.990: Flags [.], seq 150542675, ack 1316391741, win 256, length 0
suricata-verify__tcp-rst-unacked-stream-09__TLPW1-990-49230.pcap #44 IP (ttl 111, id 21967, DF) 110.37.219.134.990 > 10.12.14.101.49230: Flags [.], seq 1316393029:1316394317, ack 150542675, win 256, length 1288
suricata-verify__tcp-rst-unacked-stream-09__TLPW1-990-49230.pcap #45 IP (ttl 111, id 24277, DF) 110.37.219.134.990 > 10.12.14.101.49230: Flags [.], seq 1316396893:1316398181, ack 150542675, win 256, length 1288
suricata-verify__tcp-rst-unacked-stream-09__TLPW1-990-49230.pcap #46 IP (ttl 128, id 10104, DF) 10.12.14.101.49230 > 110.37.219.134.990: Flags [.], seq 150542675, ack 1316394317, win 256, options [nop,nop,sack 1 {1316396893:1316398181}], length 0
suricata-verify__tcp-rst-unacked-stream-09__TLPW1-990-49230.pcap #47 IP (ttl 111, id 16057, DF) 110.37.219.134.990 > 10.12.14.101.49230: Flags [.], seq 1316399469:1316400757, ack 150542675, win 256, length 1288
suricata-verify__tcp-rst-unacked-stream-09__TLPW1-990-49230.pcap #48 IP (ttl 111, id 16058, DF) 110.37.219.134.990 > 10.12.14.101.49230: Flags [P.], seq 1316400757:1316402045, ack 150542675, win 256, length 1288
suricata-verify__tcp-rst-unacked-stream-09__TLPW1-990-49230.pcap #49 IP (ttl 128, id 10107, DF) 10.12.14.101.49230 > 110.37.219.134.990: Flags [.], seq 150542675, ack 1316395605, win 256, options [nop,nop,sack 2 {1316399469:1316402045}{1316396893:1316398181}], length 0
suricata-verify__tcp-rst-unacked-stream-09__TLPW1-990-49230.pcap #50 IP (ttl 128, id 10109, DF) 10.12.14.101.49230 > 110.37.219.134.990: Flags [R.], seq 150542675, ack 1316395605, win 0, length 0
suricata-verify__tcp-session-decode-malformed-ipv4__input.pcap #1 IP (ttl 64, id 1) 192.0.2.10.43210 > 198.51.100.5.443: Flags [S], seq 1000, win 8192, length 0
suricata-verify__tcp-session-decode-malformed-ipv4__input.pcap #2 IP (ttl 64, id 1) 198.51.100.5.443 > 192.0.2.10.43210: Flags [S.], seq 5000, ack 1001, win 8192, length 0
suricata-verify__tcp-session-decode-malformed-ipv4__input.pcap #3 IP (ttl 64, id 1) 192.0.2.10.43210 > 198.51.100.5.443: Flags [.], seq 1001, ack 5001, win 8192, length 0
suricata-verify__tcp-session-decode-malformed-ipv4__input.pcap #4 IP (ttl 64, id 1) 192.0.2.10.43210 > 198.51.100.5.443: Flags [P.], seq 1001:1035, ack 5001, win 8192, length 34
suricata-verify__tcp-session-decode-malformed-ipv4__input.pcap #5 IP (ttl 64, id 1) 198.51.100.5.443 > 192.0.2.10.43210: Flags [.], seq 5001, ack 1035, win 8192, length 0
suricata-verify__tcp-session-decode-malformed-ipv4__input.pcap #6 IP (ttl 64, id 1) 198.51.100.5.443 > 192.0.2.10.43210: Flags [P.], seq 5001:5009, ack 1035, win 8192, length 8
suricata-verify__tcp-session-decode-malformed-ipv4__input.pcap #7 IP (ttl 64, id 1) 192.0.2.10.43210 > 198.51.100.5.443: Flags [.], seq 1035, ack 5009, win 8192, length 0
suricata-verify__tcp-session-decode-malformed-ipv4__input.pcap #8 IP (ttl 64, id 1) 192.0.2.10.43210 > 198.51.100.5.443: Flags [.], seq 1035:1036, ack 5009, win 8192, length 1 [decode error ip4-bad-options at 34]
suricata-verify__tcp-session-decode-malformed-ipv4__input.pcap #9 IP (ttl 64, id 1) 192.0.2.10.43210 > 198.51.100.5.443: Flags [F.], seq 1035, ack 5009, win 8192, length 0
suricata-verify__tcp-session-decode-malformed-ipv4__input.pcap #10 IP (ttl 64, id 1) 198.51.100.5.443 > 192.0.2.10.43210: Flags [F.], seq 5009, ack 1036, win 8192, length 0
suricata-verify__tcp-session-decode-malformed-ipv4__input.pcap #11 IP (ttl 64, id 1) 192.0.2.10.43210 > 198.51.100.5.443: Flags [.], seq 1036, ack 5010, win 8192, length 0
suricata-verify__tcp-split-handshake-01-4whs__split-handshake-4whs.pcap #1 IP (ttl 64, id 1) 1.1.1.1.12345 > 2.2.2.2.80: Flags [S], seq 1000, win 8192, length 0
suricata-verify__tcp-split-handshake-01-4whs__split-handshake-4whs.pcap #2 IP (ttl 64, id 1) 2.2.2.2.80 > 1.1.1.1.12345: Flags [S], seq 3000, win 8192, length 0
suricata-verify__tcp-split-handshake-01-4whs__split-handshake-4whs.pcap #3 IP (ttl 64, id 1) 1.1.1.1.12345 > 2.2.2.2.80: Flags [S.], seq 1000, ack 3001, win 8192, length 0
suricata-verify__tcp-split-handshake-01-4whs__split-handshake-4whs.pcap #4 IP (ttl 64, id 1) 2.2.2.2.80 > 1.1.1.1.12345: Flags [.], seq 3001, ack 1001, win 8192, length 0
suricata-verify__tcp-split-handshake-01-4whs__split-handshake-4whs.pcap #5 IP (ttl 64, id 1) 1.1.1.1.12345 > 2.2.2.2.80: Flags [.], seq 1001:1005, ack 3001, win 8192, length 4
suricata-verify__tcp-split-handshake-01-4whs__split-handshake-4whs.pcap #6 IP (ttl 64, id 1) 2.2.2.2.80 > 1.1.1.1.12345: Flags [.], seq 3001, ack 1005, win 8192, length 0
suricata-verify__tcp-split-handshake-01-4whs__split-handshake-4whs.pcap #7 IP (ttl 64, id 1) 1.1.1.1.12345 > 2.2.2.2.80: Flags [R], seq 1005, win 8192, length 0
suricata-verify__tls-fin-close-data-01__debug-s13.pcap #1 IP (ttl 64, id 23561, DF) 10.84.1.5.53576 > 172.217.132.169.443: Flags [S], seq 3760002237, win 64240, options [mss 1460,sackOK,TS val 2407115746 ecr 0,nop,wscale 7], length 0
suricata-verify__tls-fin-close-data-01__debug-s13.pcap #2 IP (ttl 123, id 0, DF) 172.217.132.169.443 > 10.84.1.5.53576: Flags [S.], seq 3557742711, ack 3760002238, win 65535, options [mss 1408,sackOK,TS val 1997762730 ecr 2407115746,nop,wscale 8], length 0
suricata-verify__tls-fin-close-data-01__debug-s13.pcap #3 IP (ttl 64, id 23562, DF) 10.84.1.5.53576 > 172.217.132.169.443: Flags [.], seq 3760002238, ack 3557742712, win 502, options [nop,nop,TS val 2407115760 ecr 1997762730], length 0
suricata-verify__tls-fin-close-data-01__debug-s13.pcap #4 IP (ttl 64, id 23563, DF) 10.84.1.5.53576 > 172.217.132.169.443: Flags [P.], seq 3760002238:3760004156, ack 3557742712, win 502, options [nop,nop,TS val 2407115761 ecr 1997762730], length 1918
suricata-verify__tls-fin-close-data-01__debug-s13.pcap #5 IP (ttl 123, id 56300) 172.217.132.169.443 > 10.84.1.5.53576: Flags [.], seq 3557742712, ack 3760004156, win 1045, options [nop,nop,TS val 1997762743 ecr 2407115761], length 0
suricata-verify__tls-fin-close-data-01__debug-s13.pcap #6 IP (ttl 123, id 56301) 172.217.132.169.443 > 10.84.1.5.53576: Flags [.], seq 3557742712:3557744108, ack 3760004156, win 1045, options [nop,nop,TS val 1997762744 ecr 2407115761], length 1396
suricata-verify__tls-fin-close-data-01__debug-s13.pcap #7 IP (ttl 64, id 23565, DF) 10.84.1.5.53576 > 172.217.132.169.443: Flags [.], seq 3760004156, ack 3557744108, win 524, options [nop,nop,TS val 2407115773 ecr 1997762744], length 0
suricata-verify__tls-fin-close-data-01__debug-s13.pcap #8 IP (ttl 123, id 56302) 172.217.132.169.443 > 10.84.1.5.53576: Flags [.], seq 3557744108:3557745504, ack 3760004156, win 1045, options [nop,nop,TS val 1997762744 ecr 2407115761], length 1396
suricata-verify__tls-fin-close-data-01__debug-s13.pcap #9 IP (ttl 64, id 23566, DF) 10.84.1.5.53576 > 172.217.132.169.443: Flags [.], seq 3760004156, ack 3557745504, win 546, options [nop,nop,TS val 2407115773 ecr 1997762744], length 0
suricata-verify__tls-fin-close-data-01__debug-s13.pcap #10 IP (ttl 123, id 56303) 172.217.132.169.443 > 10.84.1.5.53576: Flags [.], seq 3557745504:3557746900, ack 3760004156, win 1045, options [nop,nop,TS val 1997762744 ecr 2407115761], length 1396
suricata-verify__tls-fin-close-data-01__debug-s13.pcap #11 IP (ttl 64, id 23567, DF) 10.84.1.5.53576 > 172.217.132.169.443: Flags [.], seq 3760004156, ack 3557746900, win 569, options [nop,nop,TS val 2407115774 ecr 1997762744], length 0
suricata-verify__tls-fin-close-data-01__debug-s13.pcap #12 IP (ttl 123, id 56304) 172.217.132.169.443 > 10.84.1.5.53576: Flags [P.], seq 3557746900:3557747337, ack 3760004156, win 1045, options [nop,nop,TS val 1997762744 ecr 2407115761], length 437
suricata-verify__tls-fin-close-data-01__debug-s13.pcap #13 IP (ttl 64, id 23568, DF) 10.84.1.5.53576 > 172.217.132.169.443: Flags [.], seq 3760004156, ack 3557747337, win 591, options [nop,nop,TS val 2407115774 ecr 1997762744], length 0
suricata-verify__tls-fin-close-data-01__debug-s13.pcap #14 IP (ttl 64, id 23569, DF) 10.84.1.5.53576 > 172.217.132.169.443: Flags [P.], seq 3760004156:3760004220, ack 3557747337, win 591, options [nop,nop,TS val 2407115811 ecr 1997762744], length 64
suricata-verify__tls-fin-close-data-01__debug-s13.pcap #15 IP (ttl 64, id 23570, DF) 10.84.1.5.53576 > 172.217.132.169.443: Flags [P.], seq 3760004220:3760005651, ack 3557747337, win 591, options [nop,nop,TS val 2407115812 ecr 1997762744], length 1431
suricata-verify__tls-fin-close-data-01__debug-s13.pcap #16 IP (ttl 123, id 56305) 172.217.132.169.443 > 10.84.1.5.53576: Flags [.], seq 3557747337, ack 3760005651, win 1040, options [nop,nop,TS val 1997762793 ecr 2407115811], length 0
suricata-verify__tls-fin-close-data-01__debug-s13.pcap #17 IP (ttl 123, id 56306) 172.217.132.169.443 > 10.84.1.5.53576: Flags [P.], seq 3557747337:3557748538, ack 3760005651, win 1040, options [nop,nop,TS val 1997762794 ecr 2407115811], length 1201
suricata-verify__tls-fin-close-data-01__debug-s13.pcap #18 IP (ttl 64, id 23572, DF) 10.84.1.5.53576 > 172.217.132.169.443: Flags [P.], seq 3760005651:3760005675, ack 3557748538, win 610, options [nop,nop,TS val 2407115826 ecr 1997762794], length 24
suricata-verify__tls-fin-close-data-01__debug-s13.pcap #19 IP (ttl 64, id 23573, DF) 10.84.1.5.53576 > 172.217.132.169.443: Flags [F.], seq 3760005675, ack 3557748538, win 610, options [nop,nop,TS val 2407115826 ecr 1997762794], length 0
suricata-verify__tls-fin-close-data-01__debug-s13.pcap #20 IP (ttl 123, id 56307) 172.217.132.169.443 > 10.84.1.5.53576: Flags [F.], seq 3557748538, ack 3760005651, win 1040, options [nop,nop,TS val 1997762794 ecr 2407115811], length 0
suricata-verify__tls-fin-close-data-01__debug-s13.pcap #21 IP (ttl 64, id 23574, DF) 10.84.1.5.53576 > 172.217.132.169.443: Flags [.], seq 3760005676, ack 3557748539, win 610, options [nop,nop,TS val 2407115826 ecr 1997762794], length 0
suricata-verify__tls-fin-close-data-01__debug-s13.pcap #22 IP (ttl 59, id 0, DF) 172.217.132.169.443 > 10.84.1.5.53576: Flags [R], seq 3557748538, win 0, length 0
suricata-verify__tls-fin-close-data-01__debug-s13.pcap #23 IP (ttl 59, id 0, DF) 172.217.132.169.443 > 10.84.1.5.53576: Flags [R], seq 3557748539, win 0, length 0
suricata-verify__tls-fin-close-data-01__debug-s13.pcap #24 IP (ttl 123, id 0, DF) 172.217.132.169.443 > 10.84.1.5.53576: Flags [R], seq 3557748538, win 0, length 0
suricata-verify__websocket-ping__input.pcap #1 IP (ttl 64, id 8871, DF) 127.0.0.1.55371 > 127.0.0.1.10301: Flags [S], seq 1326362267, win 32792, options [mss 16396,sackOK,TS val 436309052 ecr 0,nop,wscale 5], length 0
suricata-verify__websocket-ping__input.pcap #2 IP (ttl 64, id 0, DF) 127.0.0.1.10301 > 127.0.0.1.55371: Flags [S.], seq 963777668, ack 1326362268, win 32768, options [mss 16396,sackOK,TS val 436309052 ecr 436309052,nop,wscale 5], length 0
suricata-verify__websocket-ping__input.pcap #3 IP (ttl 64, id 8872, DF) 127.0.0.1.55371 > 127.0.0.1.10301: Flags [.], seq 1326362268, ack 963777669, win 1025, options [nop,nop,TS val 436309052 ecr 436309052], length 0
suricata-verify__websocket-ping__input.pcap #4 IP (ttl 64, id 8873, DF) 127.0.0.1.55371 > 127.0.0.1.10301: Flags [P.], seq 1326362268:1326362509, ack 963777669, win 1025, options [nop,nop,TS val 436309052 ecr 436309052], length 241
suricata-verify__websocket-ping__input.pcap #5 IP (ttl 64, id 39097, DF) 127.0.0.1.10301 > 127.0.0.1.55371: Flags [.], seq 963777669, ack 1326362509, win 1024, options [nop,nop,TS val 436309052 ecr 436309052], length 0
suricata-verify__websocket-ping__input.pcap #6 IP (ttl 64, id 39098, DF) 127.0.0.1.10301 > 127.0.0.1.55371: Flags [P.], seq 963777669:963777798, ack 1326362509, win 1024, options [nop,nop,TS val 436309052 ecr 436309052], length 129
suricata-verify__websocket-ping__input.pcap #7 IP (ttl 64, id 8874, DF) 127.0.0.1.55371 > 127.0.0.1.10301: Flags [.], seq 1326362509, ack 963777798, win 1024, options [nop,nop,TS val 436309052 ecr 436309052], length 0
suricata-verify__websocket-ping__input.pcap #8 IP (ttl 64, id 8875, DF) 127.0.0.1.55371 > 127.0.0.1.10301: Flags [P.], seq 1326362509:1326362511, ack 963777798, win 1024, options [nop,nop,TS val 436309052 ecr 436309052], length 2
suricata-verify__websocket-ping__input.pcap #9 IP (ttl 64, id 39099, DF) 127.0.0.1.10301 > 127.0.0.1.55371: Flags [P.], seq 963777798:963777805, ack 1326362511, win 1024, options [nop,nop,TS val 436309052 ecr 436309052], length 7
suricata-verify__websocket-ping__input.pcap #10 IP (ttl 64, id 8876, DF) 127.0.0.1.55371 > 127.0.0.1.10301: Flags [F.], seq 1326362511, ack 963777805, win 1024, options [nop,nop,TS val 436309052 ecr 436309052], length 0
suricata-verify__websocket-ping__input.pcap #11 IP (ttl 64, id 39100, DF) 127.0.0.1.10301 > 127.0.0.1.55371: Flags [P.], seq 963777805:963777807, ack 1326362512, win 1024, options [nop,nop,TS val 436309053 ecr 436309052], length 2
suricata-verify__websocket-ping__input.pcap #12 IP (ttl 64, id 0, DF) 127.0.0.1.55371 > 127.0.0.1.10301: Flags [R], seq 1326362512, win 0, length 0
suricata-verify__websocket-ping__input.pcap #13 IP (ttl 64, id 47003, DF) 127.0.0.1.55392 > 127.0.0.1.10301: Flags [S], seq 606353803, win 32792, options [mss 16396,sackOK,TS val 436309520 ecr 0,nop,wscale 5], length 0
suricata-verify__websocket-ping__input.pcap #14 IP (ttl 64, id 0, DF) 127.0.0.1.10301 > 127.0.0.1.55392: Flags [S.], seq 1267294436, ack 606353804, win 32768, options [mss 16396,sackOK,TS val 436309520 ecr 436309520,nop,wscale 5], length 0
suricata-verify__websocket-ping__input.pcap #15 IP (ttl 64, id 47004, DF) 127.0.0.1.55392 > 127.0.0.1.10301: Flags [.], seq 606353804, ack 1267294437, win 1025, options [nop,nop,TS val 436309520 ecr 436309520], length 0
suricata-verify__websocket-ping__input.pcap #16 IP (ttl 64, id 47005, DF) 127.0.0.1.55392 > 127.0.0.1.10301: Flags [F.], seq 606353804, ack 1267294437, win 1025, options [nop,nop,TS val 436309520 ecr 436309520], length 0
suricata-verify__websocket-ping__input.pcap #17 IP (ttl 64, id 61173, DF) 127.0.0.1.10301 > 127.0.0.1.55392: Flags [.], seq 1267294437, ack 606353805, win 1024, options [nop,nop,TS val 436309521 ecr 436309520], length 0
suricata-verify__websocket-ping__input.pcap #18 IP (ttl 64, id 61174, DF) 127.0.0.1.10301 > 127.0.0.1.55392: Flags [F.], seq 1267294437, ack 606353805, win 1024, options [nop,nop,TS val 436309522 ecr 436309520], length 0
suricata-verify__websocket-ping__input.pcap #19 IP (ttl 64, id 0, DF) 127.0.0.1.55392 > 127.0.0.1.10301: Flags [.], seq 606353805, ack 1267294438, win 1025, options [nop,nop,TS val 436309522 ecr 436309522], length 0
tcpdump__ipv4_invalid_hdr_length.pcap #1 IP (ttl 64, id 61862) 140.211.9.206 > 45.33.127.156: udp [decode error ip4-bad-ihl at 14]
tcpdump__tcp-handshake-nano.pcap #1 IP (ttl 64, id 10665, DF) 131.155.215.69.46656 > 137.116.81.94.80: Flags [S], seq 797190859, win 27200, options [mss 1360,sackOK,TS val 1131021154 ecr 0,nop,wscale 7], length 0
tcpdump__tcp-handshake-nano.pcap #2 IP (ttl 117, id 7236, DF) 137.116.81.94.80 > 131.155.215.69.46656: Flags [S.], seq 3078856592, ack 797190860, win 8192, options [mss 1440,nop,wscale 8,sackOK,TS val 234205008 ecr 1131021154], length 0
tcpdump__tcp-handshake-nano.pcap #3 IP (ttl 64, id 10666, DF) 131.155.215.69.46656 > 137.116.81.94.80: Flags [.], seq 797190860, ack 3078856593, win 213, options [nop,nop,TS val 1131021186 ecr 234205008], length 0
tcpdump__tcp_eight_lowest_weight_flags_set.pcap #1 IP (ttl 64, id 36426) 10.0.0.2.6260 > 10.128.0.2.80: Flags [FSRP.UEW], seq 576462951, ack 486026015, win 512, urg 0, length 0
tcpdump__tcp_header_heapoverflow.pcap #1 IP (ttl 48, id 12336) 48.48.48.48 > 48.48.48.48: tcp [decode error ip4-bad-length at 16]
tcpdump__tcp_rst_data.pcap #1 IP (ttl 243, id 8243, DF) 199.204.31.89.80 > 172.16.133.41.52875: Flags [R.], seq 1617159969:1617160027, ack 1936660873, win 5785, length 58
tcpdump__tcp_rst_diag_payload.pcap #1 IP (ttl 255, id 0) 192.0.2.1.39829 > 192.168.0.1.8080: Flags [R.], seq 1:9, ack 334797553, win 0, length 8
zeek__communityid__icmp6.pcap #1 IP6 (hlim 255) fe80::200:86ff:fe05:80da > fe80::260:97ff:fe07:69ea: ICMP6, neighbor solicitation, who has fe80::260:97ff:fe07:69ea, length 32
zeek__communityid__icmp6.pcap #2 IP6 (hlim 255) fe80::260:97ff:fe07:69ea > fe80::200:86ff:fe05:80da: ICMP6, neighbor advertisement, tgt is fe80::260:97ff:fe07:69ea, length 24
zeek__communityid__icmp6.pcap #3 IP6 (hlim 255) 3ffe:507:0:1:260:97ff:fe07:69ea > 3ffe:507:0:1:200:86ff:fe05:80da: ICMP6, neighbor solicitation, who has 3ffe:507:0:1:200:86ff:fe05:80da, length 32
zeek__communityid__icmp6.pcap #4 IP6 (hlim 255) 3ffe:507:0:1:200:86ff:fe05:80da > 3ffe:507:0:1:260:97ff:fe07:69ea: ICMP6, neighbor advertisement, tgt is 3ffe:507:0:1:200:86ff:fe05:80da, length 24
zeek__communityid__icmp6.pcap #5 IP6 (hlim 255) 3ffe:507:0:1:200:86ff:fe05:80da > 3ffe:507:0:1:260:97ff:fe07:69ea: ICMP6, neighbor solicitation, who has 3ffe:507:0:1:260:97ff:fe07:69ea, length 32
zeek__communityid__icmp6.pcap #6 IP6 (hlim 255) 3ffe:507:0:1:260:97ff:fe07:69ea > 3ffe:507:0:1:200:86ff:fe05:80da: ICMP6, neighbor advertisement, tgt is 3ffe:507:0:1:260:97ff:fe07:69ea, length 24
zeek__communityid__icmp6.pcap #7 IP6 (hlim 255) fe80::260:97ff:fe07:69ea > fe80::200:86ff:fe05:80da: ICMP6, neighbor solicitation, who has fe80::200:86ff:fe05:80da, length 32
zeek__communityid__icmp6.pcap #8 IP6 (hlim 255) fe80::200:86ff:fe05:80da > fe80::260:97ff:fe07:69ea: ICMP6, neighbor advertisement, tgt is fe80::200:86ff:fe05:80da, length 24
zeek__communityid__icmp6.pcap #9 IP6 (hlim 255) fe80::200:86ff:fe05:80da > fe80::260:97ff:fe07:69ea: ICMP6, neighbor solicitation, who has fe80::260:97ff:fe07:69ea, length 32
zeek__communityid__icmp6.pcap #10 IP6 (hlim 255) fe80::260:97ff:fe07:69ea > fe80::200:86ff:fe05:80da: ICMP6, neighbor advertisement, tgt is fe80::260:97ff:fe07:69ea, length 24
zeek__communityid__icmp6.pcap #11 IP6 (hlim 64) 3ffe:507:0:1:260:97ff:fe07:69ea > 3ffe:507:0:1:200:86ff:fe05:80da: ICMP6, time exceeded in-transit, length 68
zeek__communityid__icmp6.pcap #12 IP6 (hlim 64) 3ffe:507:0:1:260:97ff:fe07:69ea > 3ffe:507:0:1:200:86ff:fe05:80da: ICMP6, time exceeded in-transit, length 68
zeek__communityid__icmp6.pcap #13 IP6 (hlim 64) 3ffe:507:0:1:260:97ff:fe07:69ea > 3ffe:507:0:1:200:86ff:fe05:80da: ICMP6, time exceeded in-transit, length 68
zeek__communityid__icmp6.pcap #14 IP6 (hlim 63) 3ffe:501:0:1802:260:97ff:feb6:7ff0 > 3ffe:507:0:1:200:86ff:fe05:80da: ICMP6, time exceeded in-transit, length 68
zeek__communityid__icmp6.pcap #15 IP6 (hlim 63) 3ffe:501:0:1802:260:97ff:feb6:7ff0 > 3ffe:507:0:1:200:86ff:fe05:80da: ICMP6, time exceeded in-transit, length 68
zeek__communityid__icmp6.pcap #16 IP6 (hlim 63) 3ffe:501:0:1802:260:97ff:feb6:7ff0 > 3ffe:507:0:1:200:86ff:fe05:80da: ICMP6, time exceeded in-transit, length 68
zeek__communityid__icmp6.pcap #17 IP6 (hlim 62) 3ffe:501:1800:2345::2 > 3ffe:507:0:1:200:86ff:fe05:80da: ICMP6, time exceeded in-transit, length 68
zeek__communityid__icmp6.pcap #18 IP6 (hlim 62) 3ffe:501:1800:2345::2 > 3ffe:507:0:1:200:86ff:fe05:80da: ICMP6, time exceeded in-transit, length 68
zeek__communityid__icmp6.pcap #19 IP6 (hlim 62) 3ffe:501:1800:2345::2 > 3ffe:507:0:1:200:86ff:fe05:80da: ICMP6, time exceeded in-transit, length 68
zeek__communityid__icmp6.pcap #20 IP6 (hlim 61) 3ffe:501:410:0:2c0:dfff:fe47:33e > 3ffe:507:0:1:200:86ff:fe05:80da: ICMP6, destination unreachable, unreachable port 3ffe:501:410:0:2c0:dfff:fe47:33e, length 68
zeek__communityid__icmp6.pcap #21 IP6 (hlim 61) 3ffe:501:410:0:2c0:dfff:fe47:33e > 3ffe:507:0:1:200:86ff:fe05:80da: ICMP6, destination unreachable, unreachable port 3ffe:501:410:0:2c0:dfff:fe47:33e, length 68
zeek__communityid__icmp6.pcap #22 IP6 (hlim 61) 3ffe:501:410:0:2c0:dfff:fe47:33e > 3ffe:507:0:1:200:86ff:fe05:80da: ICMP6, destination unreachable, unreachable port 3ffe:501:410:0:2c0:dfff:fe47:33e, length 68
zeek__communityid__icmp6.pcap #23 IP6 (hlim 64) 3ffe:507:0:1:200:86ff:fe05:80da > 3ffe:501:0:1001::2: ICMP6, echo request, id 30240, seq 0, length 16
zeek__communityid__icmp6.pcap #24 IP6 (hlim 59) 3ffe:501:0:1001::2 > 3ffe:507:0:1:200:86ff:fe05:80da: ICMP6, echo reply, id 30240, seq 0, length 16
zeek__communityid__icmp6.pcap #25 IP6 (hlim 64) 3ffe:507:0:1:200:86ff:fe05:80da > 3ffe:501:0:1001::2: ICMP6, echo request, id 30240, seq 256, length 16
zeek__communityid__icmp6.pcap #26 IP6 (hlim 59) 3ffe:501:0:1001::2 > 3ffe:507:0:1:200:86ff:fe05:80da: ICMP6, echo reply, id 30240, seq 256, length 16
zeek__communityid__icmp6.pcap #27 IP6 (hlim 64) 3ffe:507:0:1:200:86ff:fe05:80da > 3ffe:501:0:1001::2: ICMP6, echo request, id 30240, seq 512, length 16
zeek__communityid__icmp6.pcap #28 IP6 (hlim 59) 3ffe:501:0:1001::2 > 3ffe:507:0:1:200:86ff:fe05:80da: ICMP6, echo reply, id 30240, seq 512, length 16
zeek__communityid__icmp6.pcap #29 IP6 (hlim 255) 3ffe:507:0:1:260:97ff:fe07:69ea > 3ffe:507:0:1:200:86ff:fe05:80da: ICMP6, neighbor solicitation, who has 3ffe:507:0:1:200:86ff:fe05:80da, length 32
zeek__communityid__icmp6.pcap #30 IP6 (hlim 255) 3ffe:507:0:1:200:86ff:fe05:80da > 3ffe:507:0:1:260:97ff:fe07:69ea: ICMP6, neighbor advertisement, tgt is 3ffe:507:0:1:200:86ff:fe05:80da, length 24
zeek__communityid__icmp6.pcap #31 IP6 (hlim 255) fe80::200:86ff:fe05:80da > ff02::2: ICMP6, router solicitation, length 8
zeek__communityid__icmp6.pcap #32 IP6 (hlim 255) fe80::260:97ff:fe07:69ea > ff02::1: ICMP6, router advertisement, length 64
zeek__communityid__icmp6.pcap #33 IP6 (hlim 255) fe80::200:86ff:fe05:80da > fe80::260:97ff:fe07:69ea: ICMP6, neighbor solicitation, who has fe80::260:97ff:fe07:69ea, length 32
zeek__communityid__icmp6.pcap #34 IP6 (hlim 255) fe80::260:97ff:fe07:69ea > fe80::200:86ff:fe05:80da: ICMP6, neighbor advertisement, tgt is fe80::260:97ff:fe07:69ea, length 24
zeek__communityid__icmp6.pcap #35 IP6 (hlim 64) 3ffe:507:0:1:200:86ff:fe05:80da > 3ffe:501:4819::42: ICMP6, destination unreachable, unreachable port 3ffe:507:0:1:200:86ff:fe05:80da, length 246
zeek__communityid__icmp6.pcap #36 IP6 (hlim 255) 3ffe:507:0:1:200:86ff:fe05:80da > ff02::1:ff07:69ea: ICMP6, neighbor solicitation, who has 3ffe:507:0:1:260:97ff:fe07:69ea, length 32
zeek__communityid__icmp6.pcap #37 IP6 (hlim 255) 3ffe:507:0:1:260:97ff:fe07:69ea > 3ffe:507:0:1:200:86ff:fe05:80da: ICMP6, neighbor advertisement, tgt is 3ffe:507:0:1:260:97ff:fe07:69ea, length 32
zeek__communityid__icmp6.pcap #38 IP6 (hlim 64) 3ffe:507:0:1:200:86ff:fe05:80da > 3ffe:507:0:1:260:97ff:fe07:69ea: ICMP6, echo request, id 31520, seq 0, length 16
zeek__communityid__icmp6.pcap #39 IP6 (hlim 64) 3ffe:507:0:1:260:97ff:fe07:69ea > 3ffe:507:0:1:200:86ff:fe05:80da: ICMP6, echo reply, id 31520, seq 0, length 16
zeek__communityid__icmp6.pcap #40 IP6 (hlim 64) 3ffe:507:0:1:200:86ff:fe05:80da > 3ffe:507:0:1:260:97ff:fe07:69ea: ICMP6, echo request, id 31520, seq 256, length 16
zeek__communityid__icmp6.pcap #41 IP6 (hlim 64) 3ffe:507:0:1:260:97ff:fe07:69ea > 3ffe:507:0:1:200:86ff:fe05:80da: ICMP6, echo reply, id 31520, seq 256, length 16
zeek__communityid__icmp6.pcap #42 IP6 (hlim 64) 3ffe:507:0:1:200:86ff:fe05:80da > 3ffe:507:0:1:260:97ff:fe07:69ea: ICMP6, echo request, id 31520, seq 512, length 16
zeek__communityid__icmp6.pcap #43 IP6 (hlim 64) 3ffe:507:0:1:260:97ff:fe07:69ea > 3ffe:507:0:1:200:86ff:fe05:80da: ICMP6, echo reply, id 31520, seq 512, length 16
zeek__communityid__icmp6.pcap #44 IP6 (hlim 64) 3ffe:507:0:1:200:86ff:fe05:80da > 3ffe:507:0:1:260:97ff:fe07:69ea: ICMP6, echo request, id 31520, seq 768, length 16
zeek__communityid__icmp6.pcap #45 IP6 (hlim 64) 3ffe:507:0:1:260:97ff:fe07:69ea > 3ffe:507:0:1:200:86ff:fe05:80da: ICMP6, echo reply, id 31520, seq 768, length 16
zeek__communityid__icmp6.pcap #46 IP6 (hlim 64) 3ffe:507:0:1:200:86ff:fe05:80da > 3ffe:507:0:1:260:97ff:fe07:69ea: ICMP6, echo request, id 31520, seq 1024, length 16
zeek__communityid__icmp6.pcap #47 IP6 (hlim 64) 3ffe:507:0:1:260:97ff:fe07:69ea > 3ffe:507:0:1:200:86ff:fe05:80da: ICMP6, echo reply, id 31520, seq 1024, length 16
zeek__communityid__icmp6.pcap #48 IP6 (hlim 255) fe80::260:97ff:fe07:69ea > fe80::200:86ff:fe05:80da: ICMP6, neighbor solicitation, who has fe80::200:86ff:fe05:80da, length 32
zeek__communityid__icmp6.pcap #49 IP6 (hlim 255) fe80::200:86ff:fe05:80da > fe80::260:97ff:fe07:69ea: ICMP6, neighbor advertisement, tgt is fe80::200:86ff:fe05:80da, length 24
zeek__ipv4__fragmented-4.pcap #1 IP (ttl 255, id 0, DF) 10.0.0.1.80 > 127.0.0.1.7790: Flags [S], seq 2988017, win 65535, length 0
zeek__ipv4__fragmented-4.pcap #2 IP (ttl 255, id 0, frag 0@0+) 128.32.46.142.7790 > 10.0.0.1.80: Flags [none], seq 14715173:14715177, win 65535, length 4
zeek__ipv4__fragmented-4.pcap #3 IP (ttl 255, id 0, frag 0@48+) 128.32.46.142 > 10.0.0.1: tcp, length 24
zeek__ipv4__fragmented-4.pcap #4 IP (ttl 255, id 0, frag 0@72) 128.32.46.142 > 10.0.0.1: tcp, length 17
zeek__ipv4__fragmented-4.pcap #5 IP (ttl 255, id 0, frag 0@24+) 128.32.46.142 > 10.0.0.1: tcp, length 48
zeek__ipv4__fragmented-4.pcap #6 IP (ttl 255, id 0, DF) 128.32.46.142.7790 > 10.0.0.1.80: Flags [F], seq 14715242, win 65535, length 0
zeek__tcp__options.pcap #1 IP (ttl 64, id 43282, DF) 192.168.1.102.36861 > 193.1.193.64.80: Flags [S], seq 3750886907, win 5840, options [mss 1460,sackOK,TS val 4294923497 ecr 0,nop,wscale 6], length 0
zeek__tcp__options.pcap #2 IP (ttl 51, id 0, DF) 193.1.193.64.80 > 192.168.1.102.36861: Flags [S.], seq 724047884, ack 3750886908, win 5792, options [mss 1380,sackOK,TS val 419445911 ecr 4294923497,nop,wscale 7], length 0
zeek__tcp__options.pcap #3 IP (ttl 64, id 43283, DF) 192.168.1.102.36861 > 193.1.193.64.80: Flags [.], seq 3750886908, ack 724047885, win 92, options [nop,nop,TS val 4294923545 ecr 419445911], length 0
zeek__tcp__options.pcap #4 IP (ttl 64, id 43284, DF) 192.168.1.102.36861 > 193.1.193.64.80: Flags [P.], seq 3750886908:3750887012, ack 724047885, win 92, options [nop,nop,TS val 4294923545 ecr 419445911], length 104
zeek__tcp__rst-inject-rae.pcap #1 IP (ttl 62, id 5461, DF) 1.2.0.2.2527 > 1.2.0.3.6649: Flags [S], seq 1569339004, win 16384, options [mss 1372,nop,wscale 0,nop,nop,TS val 0 ecr 0,nop,nop,sackOK], length 0
zeek__tcp__rst-inject-rae.pcap #2 IP (ttl 46, id 5461, DF) 1.2.0.3.6649 > 1.2.0.2.2527: Flags [R.e], seq 0, ack 1569339004, win 16384, length 0
zeek__tcp__rst-inject-rae.pcap #3 IP (ttl 49, id 32588, DF) 1.2.0.3.6649 > 1.2.0.2.2527: Flags [S.], seq 1616457233, ack 1569339005, win 65535, options [mss 1440,nop,wscale 2,nop,nop,TS val 0 ecr 0,nop,nop,sackOK], length 0
zeek__tcp__rst-inject-rae.pcap #4 IP (ttl 62, id 6813, DF) 1.2.0.2.2527 > 1.2.0.3.6649: Flags [.], seq 1569339005, ack 1616457234, win 17232, options [nop,nop,TS val 607330 ecr 0], length 0
zeek__tcp__rst-inject-rae.pcap #5 IP (ttl 62, id 6814, DF) 1.2.0.2.2527 > 1.2.0.3.6649: Flags [P.], seq 1569339005:1569339030, ack 1616457234, win 17232, options [nop,nop,TS val 607330 ecr 0], length 25
zeek__tcp__rst-inject-rae.pcap #6 IP (ttl 49, id 32787, DF) 1.2.0.3.6649 > 1.2.0.2.2527: Flags [.], seq 1616457234, ack 1569339030, win 64134, options [nop,nop,TS val 532841 ecr 607330], length 0
zeek__tcp__rst-inject-rae.pcap #7 IP (ttl 49, id 32788, DF) 1.2.0.3.6649 > 1.2.0.2.2527: Flags [R.], seq 1616457234, ack 1569339030, win 0, length 0
zeek__tcp__rst-inject-rae.pcap #8 IP (ttl 62, id 8245, DF) 1.2.0.2.2527 > 1.2.0.3.6649: Flags [P.], seq 1569339030:1569339180, ack 1616457234, win 17232, options [nop,nop,TS val 607346 ecr 532841], length 150
zeek__tcp__rst-inject-rae.pcap #9 IP (ttl 49, id 32992) 1.2.0.3.6649 > 1.2.0.2.2527: Flags [R], seq 1616457234, win 0, length 0
zeek__tcp__truncated-header.pcap #1 IP (ttl 51, id 14560, DF) 201.186.157.67.60827 > 128.3.26.249.25: Flags [SEW], seq 1041724894, win 5840, options [mss 1460,sackOK,TS [bad length 8],[|tcp]], length 0 [decode error ip4-bad-length at 16]
zeek__tcp__truncated-header.pcap #2 IP (ttl 64, id 10734, DF) 128.3.26.249.25 > 201.186.157.67.60827: Flags [S.], seq 1090081362, ack 1041724895, win 57344, options [mss 1460], length 0
zeek__tcp__truncated-header.pcap #3 IP (ttl 51, id 25998, DF) 201.186.157.67.60827 > 128.3.26.249.25: Flags [.], seq 1041724895, ack 1090081363, win 5840, length 0
zeek__tcp__truncated-header.pcap #4 IP (ttl 64, id 25565, DF) 128.3.26.249.25 > 201.186.157.67.60827: Flags [P.], seq 1090081363:1090081447, ack 1041724895, win 58400, length 84 [decode error ip4-bad-length at 16]
zeek__tcp__truncated-header.pcap #5 IP (ttl 51, id 8531, DF) 201.186.157.67.60827 > 128.3.26.249.25: Flags [.], seq 1041724895, ack 1090081447, win 5840, length 0
zeek__tcp__truncated-header.pcap #6 IP (ttl 51, id 30772, DF) 201.186.157.67.60827 > 128.3.26.249.25: Flags [P.], seq 1041724895:1041724919, ack 1090081447, win 5840, length 24 [decode error ip4-bad-length at 16]
zeek__tcp__truncated-header.pcap #7 IP (ttl 64, id 55738, DF) 128.3.26.249.25 > 201.186.157.67.60827: Flags [.], seq 1090081447, ack 1041724919, win 58376, length 0
zeek__tcp__truncated-header.pcap #8 IP (ttl 64, id 31165, DF) 128.3.26.249.25 > 201.186.157.67.60827: Flags [P.], seq 1090081447:1090081651, ack 1041724919, win 58400, length 204 [decode error ip4-bad-length at 16]
zeek__tcp__truncated-header.pcap #9 IP (ttl 51, id 3260, DF) 201.186.157.67.60827 > 128.3.26.249.25: Flags [P.], seq 1041724919:1041724977, ack 1090081651, win 6432, length 58 [decode error ip4-bad-length at 16]
zeek__tcp__truncated-header.pcap #10 IP (ttl 64, id 492, DF) 128.3.26.249.25 > 201.186.157.67.60827: Flags [.], seq 1090081651, ack 1041724977, win 58342, length 0
zeek__tcp__truncated-header.pcap #11 IP (ttl 64, id 29888, DF) 128.3.26.249.25 > 201.186.157.67.60827: Flags [P.], seq 1090081651:1090081697, ack 1041724977, win 58400, length 46 [decode error ip4-bad-length at 16]
zeek__tcp__truncated-header.pcap #12 IP (ttl 51, id 10209, DF) 201.186.157.67.60827 > 128.3.26.249.25: Flags [P.], seq 1041724977:1041725011, ack 1090081697, win 6432, length 34 [decode error ip4-bad-length at 16]
zeek__tcp__truncated-header.pcap #13 IP (ttl 64, id 55431, DF) 128.3.26.249.25 > 201.186.157.67.60827: Flags [.], seq 1090081697, ack 1041725011, win 58366, length 0
zeek__tcp__truncated-header.pcap #14 IP (ttl 64, id 60328, DF) 128.3.26.249.25 > 201.186.157.67.60827: Flags [P.], seq 1090081697:1090081776, ack 1041725011, win 58400, length 79 [decode error ip4-bad-length at 16]
zeek__tcp__truncated-header.pcap #15 IP (ttl 51, id 5316, DF) 201.186.157.67.60827 > 128.3.26.249.25: Flags [P.], seq 1041725011:1041725017, ack 1090081776, win 6432, length 6 [decode error ip4-bad-length at 16]
zeek__tcp__truncated-header.pcap #16 IP (ttl 64, id 54993, DF) 128.3.26.249.25 > 201.186.157.67.60827: Flags [.], seq 1090081776, ack 1041725017, win 58394, length 0
zeek__tcp__truncated-header.pcap #17 IP (ttl 64, id 14993, DF) 128.3.26.249.25 > 201.186.157.67.60827: Flags [P.], seq 1090081776:1090081799, ack 1041725017, win 58400, length 23 [decode error ip4-bad-length at 16]
zeek__tcp__truncated-header.pcap #18 IP (ttl 51, id 19126, DF) 201.186.157.67.60827 > 128.3.26.249.25: Flags [.], seq 1041725017, ack 1090081799, win 6432, length 0
zeek__tcp__truncated-header.pcap #19 IP (ttl 51, id 2221, DF) 201.186.157.67.60827 > 128.3.26.249.25: Flags [P.], seq 1041725017:1041725023, ack 1090081799, win 6432, length 6 [decode error ip4-bad-length at 16]
zeek__tcp__truncated-header.pcap #20 IP (ttl 64, id 36007, DF) 128.3.26.249.25 > 201.186.157.67.60827: Flags [.], seq 1090081799, ack 1041725023, win 58394, length 0
zeek__tcp__truncated-header.pcap #21 IP (ttl 64, id 6351, DF) 128.3.26.249.25 > 201.186.157.67.60827: Flags [P.], seq 1090081799:1090081840, ack 1041725023, win 58400, length 41 [decode error ip4-bad-length at 16]
zeek__tcp__truncated-header.pcap #22 IP (ttl 64, id 3321, DF) 128.3.26.249.25 > 201.186.157.67.60827: Flags [F.], seq 1090081840, ack 1041725023, win 58400, length 0
zeek__tcp__truncated-header.pcap #23 IP (ttl 51, id 4319, DF) 201.186.157.67.60827 > 128.3.26.249.25: Flags [F.], seq 1041725023, ack 1090081841, win 6432, length 0
zeek__tcp__truncated-header.pcap #24 IP (ttl 64, id 35582, DF) 128.3.26.249.25 > 201.186.157.67.60827: Flags [.], seq 1090081841, ack 1041725024, win 58400, length 0
zeek__trunc__ipv4-truncated-broken-header.pcap #1 IP (ttl 64, id 28140) 163.253.48.183 > 192.150.187.43: tcp [decode error ip4-bad-ihl at 14]
zeek__vlan-pcp-dei.pcapng #1 vlan 10, vlan 20, IP (ttl 64, id 1) 192.168.1.100.12345 > 192.168.1.200.80: Flags [S], seq 1000, win 8192, length 0
zeek__vlan-pcp-dei.pcapng #2 vlan 20, IP (ttl 64, id 1) 192.168.1.100.12345 > 192.168.1.200.80: Flags [S], seq 1000, win 8192, length 0
zeek__vlan-pcp-dei.pcapng #3 IP (ttl 64, id 1) 192.168.1.100.12345 > 192.168.1.200.80: Flags [S], seq 1000, win 8192, length 0
zeek__vlan-pcp-dei.pcapng #4 vlan 10, vlan 20, IP (ttl 64, id 1) 192.168.1.200.80 > 192.168.1.100.12345: Flags [S.], seq 2000, ack 1001, win 8192, length 0
zeek__vlan-pcp-dei.pcapng #5 vlan 20, IP (ttl 64, id 1) 192.168.1.200.80 > 192.168.1.100.12345: Flags [S.], seq 2000, ack 1001, win 8192, length 0
zeek__vlan-pcp-dei.pcapng #6 IP (ttl 64, id 1) 192.168.1.200.80 > 192.168.1.100.12345: Flags [S.], seq 2000, ack 1001, win 8192, length 0
zeek__vlan-pcp-dei.pcapng #7 vlan 10, vlan 20, IP (ttl 64, id 1) 192.168.1.100.12345 > 192.168.1.200.80: Flags [.], seq 1001, ack 2001, win 8192, length 0
zeek__vlan-pcp-dei.pcapng #8 vlan 20, IP (ttl 64, id 1) 192.168.1.100.12345 > 192.168.1.200.80: Flags [.], seq 1001, ack 2001, win 8192, length 0
zeek__vlan-pcp-dei.pcapng #9 IP (ttl 64, id 1) 192.168.1.100.12345 > 192.168.1.200.80: Flags [.], seq 1001, ack 2001, win 8192, length 0
zeek__web.pcap #1 IP (ttl 58, id 39348, DF) 141.42.64.125.56729 > 125.190.109.199.12345: Flags [S], seq 1515540177, win 5840, options [mss 1460,sackOK,TS val 1772672869 ecr 0,nop,wscale 2], length 0
zeek__web.pcap #2 IP (ttl 44, id 16363, DF) 125.190.109.199.12345 > 141.42.64.125.56729: Flags [R.], seq 0, ack 1515540178, win 0, length 0
zeek__web.pcap #3 IP (ttl 58, id 51739, DF) 141.42.64.125.56730 > 125.190.109.199.80: Flags [S], seq 1512382793, win 5840, options [mss 1460,sackOK,TS val 1772677970 ecr 0,nop,wscale 2], length 0
zeek__web.pcap #4 IP (ttl 44, id 16593, DF) 125.190.109.199.80 > 141.42.64.125.56730: Flags [S.], seq 2697137987, ack 1512382794, win 57344, options [mss 1460,nop,wscale 0,nop,nop,TS val 391880539 ecr 1772677970], length 0
zeek__web.pcap #5 IP (ttl 58, id 51740, DF) 141.42.64.125.56730 > 125.190.109.199.80: Flags [.], seq 1512382794, ack 2697137988, win 1460, options [nop,nop,TS val 1772678153 ecr 391880539], length 0
zeek__web.pcap #6 IP (ttl 58, id 51741, DF) 141.42.64.125.56730 > 125.190.109.199.80: Flags [P.], seq 1512382794:1512382892, ack 2697137988, win 1460, options [nop,nop,TS val 1772678153 ecr 391880539], length 98
zeek__web.pcap #7 IP (ttl 44, id 16594, DF) 125.190.109.199.80 > 141.42.64.125.56730: Flags [.], seq 2697137988:2697139436, ack 1512382892, win 57920, options [nop,nop,TS val 391880557 ecr 1772678153], length 1448
zeek__web.pcap #8 IP (ttl 44, id 16595, DF) 125.190.109.199.80 > 141.42.64.125.56730: Flags [.], seq 2697139436:2697140884, ack 1512382892, win 57920, options [nop,nop,TS val 391880557 ecr 1772678153], length 1448
zeek__web.pcap #9 IP (ttl 58, id 51742, DF) 141.42.64.125.56730 > 125.190.109.199.80: Flags [.], seq 1512382892, ack 2697139436, win 2184, options [nop,nop,TS val 1772678338 ecr 391880557], length 0
zeek__web.pcap #10 IP (ttl 58, id 51743, DF) 141.42.64.125.56730 > 125.190.109.199.80: Flags [.], seq 1512382892, ack 2697140884, win 2908, options [nop,nop,TS val 1772678339 ecr 391880557], length 0
zeek__web.pcap #11 IP (ttl 44, id 16596, DF) 125.190.109.199.80 > 141.42.64.125.56730: Flags [.], seq 2697140884:2697142332, ack 1512382892, win 57920, options [nop,nop,TS val 391880576 ecr 1772678338], length 1448
zeek__web.pcap #12 IP (ttl 44, id 16597, DF) 125.190.109.199.80 > 141.42.64.125.56730: Flags [.], seq 2697142332:2697143780, ack 1512382892, win 57920, options [nop,nop,TS val 391880576 ecr 1772678338], length 1448
zeek__web.pcap #13 IP (ttl 44, id 16598, DF) 125.190.109.199.80 > 141.42.64.125.56730: Flags [.], seq 2697143780:2697145228, ack 1512382892, win 57920, options [nop,nop,TS val 391880576 ecr 1772678339], length 1448
zeek__web.pcap #14 IP (ttl 44, id 16599, DF) 125.190.109.199.80 > 141.42.64.125.56730: Flags [.], seq 2697145228:2697146676, ack 1512382892, win 57920, options [nop,nop,TS val 391880576 ecr 1772678339], length 1448
zeek__web.pcap #15 IP (ttl 58, id 51744, DF) 141.42.64.125.56730 > 125.190.109.199.80: Flags [.], seq 1512382892, ack 2697142332, win 3632, options [nop,nop,TS val 1772678523 ecr 391880576], length 0
zeek__web.pcap #16 IP (ttl 58, id 51745, DF) 141.42.64.125.56730 > 125.190.109.199.80: Flags [.], seq 1512382892, ack 2697143780, win 4356, options [nop,nop,TS val 1772678523 ecr 391880576], length 0
zeek__web.pcap #17 IP (ttl 58, id 51746, DF) 141.42.64.125.56730 > 125.190.109.199.80: Flags [.], seq 1512382892, ack 2697145228, win 5080, options [nop,nop,TS val 1772678523 ecr 391880576], length 0
zeek__web.pcap #18 IP (ttl 58, id 51747, DF) 141.42.64.125.56730 > 125.190.109.199.80: Flags [.], seq 1512382892, ack 2697146676, win 5804, options [nop,nop,TS val 1772678523 ecr 391880576], length 0
zeek__web.pcap #19 IP (ttl 44, id 16600, DF) 125.190.109.199.80 > 141.42.64.125.56730: Flags [P.], seq 2697146676:2697147405, ack 1512382892, win 57920, options [nop,nop,TS val 391880594 ecr 1772678523], length 729
zeek__web.pcap #20 IP (ttl 58, id 51748, DF) 141.42.64.125.56730 > 125.190.109.199.80: Flags [.], seq 1512382892, ack 2697147405, win 6528, options [nop,nop,TS val 1772678707 ecr 391880594], length 0
zeek__web.pcap #21 IP (ttl 58, id 51749, DF) 141.42.64.125.56730 > 125.190.109.199.80: Flags [F.], seq 1512382892, ack 2697147405, win 6528, options [nop,nop,TS val 1772679521 ecr 391880594], length 0
zeek__web.pcap #22 IP (ttl 44, id 16610, DF) 125.190.109.199.80 > 141.42.64.125.56730: Flags [.], seq 2697147405, ack 1512382893, win 57920, options [nop,nop,TS val 391880694 ecr 1772679521], length 0
zeek__web.pcap #23 IP (ttl 44, id 16611, DF) 125.190.109.199.80 > 141.42.64.125.56730: Flags [F.], seq 2697147405, ack 1512382893, win 57920, options [nop,nop,TS val 391880694 ecr 1772679521], length 0
zeek__web.pcap #24 IP (ttl 58, id 9508, DF) 141.42.64.125.56730 > 125.190.109.199.80: Flags [.], seq 1512382893, ack 2697147406, win 6528, options [nop,nop,TS val 1772679704 ecr 391880694], length 0
`
