import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { TlvDefs, type TlvKey } from '../constants/tlv.ts';
import { anyPdu, commandNames, pduArbitraries, rawTlv, tlvValue } from './arbitraries.test-support.ts';
import { createPdu } from './create.ts';
import { decodePdu } from './decode.ts';
import { encodePdu } from './encode.ts';
import { readPduHeader } from './header.ts';

// A fixed seed keeps the suite deterministic; change it locally to explore further.
fc.configureGlobal({ seed: 0x5eed });

describe('encode → decode round trip', () => {
  it.each(commandNames)('%s decodes to what was encoded, and re-encodes to the same octets', (command) => {
    fc.assert(
      fc.property(pduArbitraries[command], (pdu) => {
        const bytes = encodePdu(pdu);
        expect(readPduHeader(bytes).commandLength).toBe(bytes.length);
        const decoded = decodePdu(bytes);
        expect(decoded).toEqual(pdu);
        expect(Buffer.from(encodePdu(decoded)).equals(bytes)).toBe(true);
      }),
      { numRuns: 150 },
    );
  });

  it("round-trips with errorResponseBody 'empty' as well", () => {
    fc.assert(
      fc.property(anyPdu, (pdu) => {
        expect(decodePdu(encodePdu(pdu, { errorResponseBody: 'empty' }))).toEqual(pdu);
      }),
      { numRuns: 500 },
    );
  });

  it.each(Object.keys(TlvDefs) as TlvKey[])('TLV %s round-trips in submit_sm', (key) => {
    fc.assert(
      fc.property(tlvValue(TlvDefs[key]), (value) => {
        const pdu = createPdu('submit_sm', { tlvs: { [key]: value } });
        const decoded = decodePdu(encodePdu(pdu));
        expect(decoded).toEqual(pdu);
      }),
      { numRuns: 40 },
    );
  });

  it('unknown TLVs round-trip raw, after the known ones', () => {
    fc.assert(
      fc.property(fc.array(rawTlv, { minLength: 1, maxLength: 4 }), (unknown) => {
        const pdu = createPdu('deliver_sm', { tlvs: { unknown, messageState: 2 } });
        const bytes = encodePdu(pdu);
        // message_state is written first although `unknown` was inserted before it.
        expect(
          bytes.readUInt16BE(bytes.length - unknown.reduce((n, t) => n + 4 + t.value.length, 0) - 5),
        ).toBe(0x0427);
        expect(decodePdu(bytes)).toEqual({ ...pdu, tlvs: { messageState: 2, unknown } });
      }),
      { numRuns: 100 },
    );
  });

  it('a 64 KiB - 1 message_payload round-trips', () => {
    const payload = new Uint8Array(0xffff).map((_, i) => i);
    const pdu = createPdu('submit_sm', { tlvs: { messagePayload: payload } });
    const bytes = encodePdu(pdu);
    // Header, 17 octets of default mandatory fields (sm_length 0 included), TLV header, value.
    expect(bytes.length).toBe(16 + 17 + 4 + 0xffff);
    expect(decodePdu(bytes)).toEqual(pdu);
  });
});
