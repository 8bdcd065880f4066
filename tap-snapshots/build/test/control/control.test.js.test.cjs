/* IMPORTANT
 * This snapshot file is auto-generated, but designed for humans.
 * It should be checked into source control and tracked carefully.
 * Re-generate by setting TAP_SNAPSHOT=1 and running tests.
 * Make sure to inspect the output below.  Do not ignore changes!
 */
'use strict'
exports[`build/test/control/control.test.js > TAP > PAN-OS shaped text > show counter global 1`] = `
Global counters:
Elapsed time since last sampling: 34.999 seconds

name                                   value     rate severity  category  aspect    description
--------------------------------------------------------------------------------
flow_no_interface                        263        0 drop      flow      parse     Packets dropped: invalid interface
--------------------------------------------------------------------------------
 Total counters shown: 1
--------------------------------------------------------------------------------

`

exports[`build/test/control/control.test.js > TAP > PAN-OS shaped text > show session all 1`] = `
--------------------------------------------------------------------------------
ID          Application    State   Type Flag  Src[Sport]/Zone/Proto (translated IP[Port])
Vsys                                          Dst[Dport]/Zone (translated IP[Port])
--------------------------------------------------------------------------------
7            web-browsing   ACTIVE  FLOW       198.18.0.1[40000]/trust/6  (198.18.0.1[40000])
vsys1                                          198.18.0.2[80]/untrust  (198.18.0.2[80])
8            dns            ACTIVE  FLOW       2001:db8::1[40000]/trust/17  (2001:db8::1[40000])
vsys1                                          2001:db8::2[53]/untrust  (2001:db8::2[53])

`

exports[`build/test/control/control.test.js > TAP > PAN-OS shaped text > show session id 1`] = `

Session             7

        c2s flow:
                source:      198.18.0.1 [trust]
                dst:         198.18.0.2
                proto:       6
                sport:       40000           dport:       80
                state:       ACTIVE          type:        FLOW
                src user:    unknown
                dst user:    unknown

        s2c flow:
                source:      198.18.0.2 [untrust]
                dst:         198.18.0.1
                proto:       6
                sport:       80              dport:       40000
                state:       ACTIVE          type:        FLOW
                src user:    unknown
                dst user:    unknown

        start time                           : Mon Nov 23 12:41:08 2026
        timeout                              : 3600 sec
        time to live                         : 3600 sec
        total byte count(c2s)                : 700
        total byte count(s2c)                : 3000
        layer7 packet count(c2s)             : 5
        layer7 packet count(s2c)             : 4
        vsys                                 : vsys1
        application                          : web-browsing
        rule                                 : allow-out
        action                               : allow
        tcp state                            : established
        session to be logged at end          : True
        session in session ager              : True
        layer7 processing                    : enabled
        ingress interface                    : eth0
        egress interface                     : eth1
        tracker stage firewall               : N/A
        end-reason                           : unknown

`
