import t from 'tap'
import { loadNative } from '../../src/egress/native.js'
import { badOffloads, ifaceInfo, offloadHint } from '../../src/ingress/iface.js'
import { ipOffset } from '../../src/egress/l3.js'
import { classifySendError } from '../../src/ingress/live.js'

t.test('a missing native package names itself and the fix', async t => {
  t.throws(() => loadNative('cap-not-installed-here'), { code: 'RSTLAB_ERR_NATIVE_MISSING' })
  try { loadNative('cap-not-installed-here') } catch (e) {
    const err = e as { message: string, hint: string }
    t.match(err.message, /`cap-not-installed-here`/, 'message names the package')
    t.match(err.hint, /apt-get install libpcap-dev && npm rebuild cap raw-socket/, 'hint gives the fix')
  }
})

t.test('interfaces', async t => {
  t.throws(() => ifaceInfo('no-such-if0'), { code: 'RSTLAB_ERR_NO_INTERFACE' }, 'missing interface')
  t.throws(() => ifaceInfo('../../etc'), { code: 'RSTLAB_ERR_NO_INTERFACE' }, 'names are not paths')
  const lo = ifaceInfo('lo')
  t.equal(lo.up, true, 'lo is up')
  t.ok(lo.mtu > 0, 'mtu read')
  const bad = badOffloads('lo')
  t.ok(bad === undefined || Array.isArray(bad), 'offload probe answers or says ethtool is missing')
  t.match(offloadHint(['a', 'b']), /ethtool -K a gro off lro off; ethtool -K b gro off lro off/)
})

t.test('L3 offset through VLAN tags; send error classes', async t => {
  const eth = Buffer.alloc(60); eth.writeUInt16BE(0x0800, 12)
  t.equal(ipOffset(eth), 14)
  const q = Buffer.alloc(64); q.writeUInt16BE(0x8100, 12); q.writeUInt16BE(0x86dd, 16)
  t.equal(ipOffset(q), 18)
  const arp = Buffer.alloc(60); arp.writeUInt16BE(0x0806, 12)
  t.equal(ipOffset(arp), -1)
  t.equal(classifySendError(new Error('send: Message too long')), 'too-big')
  t.equal(classifySendError(new Error('send: Network is down')), 'down')
  t.equal(classifySendError(new Error('send: No such device or address')), 'gone')
  t.equal(classifySendError(new Error('weird')), 'other')
})
