package org.maiaos.mesh.hyperswarm.dht.messages;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import java.util.function.Function;
import org.junit.jupiter.api.Test;
import org.maiaos.mesh.hypercore.CoreError;
import org.maiaos.mesh.hypercore.HypercoreException;
import org.maiaos.mesh.hypercore.crypto.Key32;

class HyperMessagesTest {
  private static final HexFormat HEX = HexFormat.of();
  private static final Key32 PK = Key32.fromHex("aa".repeat(32));

  private static void decodingError(Runnable r) {
    HypercoreException e = assertThrows(HypercoreException.class, r::run);
    assertEquals(CoreError.DECODING_ERROR, e.code());
  }

  private static <T> void roundTripsAndEveryTruncationFails(List<T> samples, Function<T, byte[]> enc, Function<byte[], T> dec) {
    for (T m : samples) {
      byte[] b = enc.apply(m);
      assertEquals(m, dec.apply(b));
      for (int n = 0; n < b.length; n++) {
        byte[] cut = java.util.Arrays.copyOf(b, n);
        // a lookup reply's bump is optional trailing data: cutting exactly it off is valid
        try {
          T got = dec.apply(cut);
          if (!(got instanceof LookupRawReply)) throw new AssertionError("truncated to " + n + " decoded: " + got);
        } catch (HypercoreException e) {
          assertEquals(CoreError.DECODING_ERROR, e.code());
        }
      }
    }
  }

  @Test
  void everyRecordRoundTripsAndRefusesEveryTruncation() {
    Random r = new Random(3);
    for (int i = 0; i < 20; i++) {
      roundTripsAndEveryTruncationFails(List.of(HyperRandom.peer(r)), PeerRecord::toBytes, PeerRecord::fromBytes);
      roundTripsAndEveryTruncationFails(List.of(HyperRandom.announce(r)), Announce::toBytes, Announce::fromBytes);
      roundTripsAndEveryTruncationFails(List.of(HyperRandom.mutablePut(r)), MutablePutRequest::toBytes, MutablePutRequest::fromBytes);
      roundTripsAndEveryTruncationFails(List.of(HyperRandom.mutableGet(r)), MutableGetResponse::toBytes, MutableGetResponse::fromBytes);
      roundTripsAndEveryTruncationFails(List.of(HyperRandom.handshake(r)), Handshake::toBytes, Handshake::fromBytes);
      roundTripsAndEveryTruncationFails(List.of(HyperRandom.holepunch(r)), PeerHolepunch::toBytes, PeerHolepunch::fromBytes);
      roundTripsAndEveryTruncationFails(List.of(HyperRandom.noisePayload(r)), NoisePayload::toBytes, NoisePayload::fromBytes);
      roundTripsAndEveryTruncationFails(List.of(HyperRandom.lookup(r)), LookupRawReply::toBytes, LookupRawReply::fromBytes);
    }
  }

  @Test
  void peerRecordLayoutIsKeyThenAddressArray() {
    PeerRecord p = new PeerRecord(PK, List.of(new PeerAddress("127.0.0.1", 49737)));
    assertEquals("aa".repeat(32) + "01" + "7f00000149c2", HEX.formatHex(p.toBytes()));
  }

  @Test
  void lookupReplyWithoutBumpDecodesBumpZero() {
    byte[] b = HEX.parseHex("01" + "aa".repeat(32) + "00");
    assertEquals(new LookupRawReply(List.of(new PeerRecord(PK, List.of())), 0), LookupRawReply.fromBytes(b));
  }

  @Test
  void refusesAddressCountOneOverTheLimitBeforeAllocating() {
    byte[] atLimit = new PeerRecord(PK, addresses(HyperMessages.MAX_ADDRESSES)).toBytes();
    assertEquals(HyperMessages.MAX_ADDRESSES, PeerRecord.fromBytes(atLimit).relayAddresses().size());
    // count 65 (one past), with bytes for 65 addresses
    byte[] over = HEX.parseHex("aa".repeat(32) + "41" + "7f0000010100".repeat(65));
    decodingError(() -> PeerRecord.fromBytes(over));
    // a huge declared count with no bytes behind it
    decodingError(() -> PeerRecord.fromBytes(HEX.parseHex("aa".repeat(32) + "fe00000001")));
    decodingError(() -> PeerRecord.fromBytes(HEX.parseHex("aa".repeat(32) + "10")));
  }

  @Test
  void refusesPeerCountOverTheLimitOrOverTheBytesLeft() {
    decodingError(() -> LookupRawReply.fromBytes(HEX.parseHex("41")));
    decodingError(() -> LookupRawReply.fromBytes(HEX.parseHex("02" + "aa".repeat(32) + "00")));
    List<PeerRecord> max = new ArrayList<>();
    for (int i = 0; i < HyperMessages.MAX_PEERS; i++) max.add(new PeerRecord(PK, List.of()));
    assertEquals(HyperMessages.MAX_PEERS, LookupRawReply.fromBytes(new LookupRawReply(max, 7).toBytes()).peers().size());
  }

  @Test
  void refusesValueLongerThanTheBytesLeft() {
    // mutable put: key, seq 1, value length 0xfe 0x00010000 (65536) but only 64 bytes follow
    decodingError(() -> MutablePutRequest.fromBytes(HEX.parseHex("aa".repeat(32) + "01" + "fe00000100" + "00".repeat(64))));
    decodingError(() -> MutableGetResponse.fromBytes(HEX.parseHex("01" + "ff" + "ff".repeat(8))));
  }

  @Test
  void refusesHolepunchPayloadOverTheLimitBeforeAllocating() {
    byte[] ok = new PeerHolepunch(0, 1, new byte[PeerHolepunch.MAX_PAYLOAD_BYTES], null).toBytes();
    assertEquals(PeerHolepunch.MAX_PAYLOAD_BYTES, PeerHolepunch.fromBytes(ok).payload().length);
    // flags 0, mode 0, id 1, then a payload length of 0xFFFFFFFF with nothing behind it
    byte[] huge = {0, 0, 1, (byte) 0xfe, (byte) 0xff, (byte) 0xff, (byte) 0xff, (byte) 0xff};
    decodingError(() -> PeerHolepunch.fromBytes(huge));
    byte[] over = new byte[6 + PeerHolepunch.MAX_PAYLOAD_BYTES + 1];
    over[2] = 1;
    over[3] = (byte) 0xfd;
    over[4] = (byte) (PeerHolepunch.MAX_PAYLOAD_BYTES + 1);
    over[5] = (byte) ((PeerHolepunch.MAX_PAYLOAD_BYTES + 1) >>> 8);
    decodingError(() -> PeerHolepunch.fromBytes(over));
  }

  @Test
  void refusesNoiseMessageOverTheLimit() {
    byte[] ok = new Handshake(0, new byte[Handshake.MAX_NOISE_BYTES], null, null).toBytes();
    assertEquals(Handshake.MAX_NOISE_BYTES, Handshake.fromBytes(ok).noise().length);
    byte[] over = new byte[5 + Handshake.MAX_NOISE_BYTES + 1];
    over[0] = 0;
    over[1] = 0;
    over[2] = (byte) 0xfd;
    over[3] = (byte) (Handshake.MAX_NOISE_BYTES + 1);
    over[4] = (byte) ((Handshake.MAX_NOISE_BYTES + 1) >>> 8);
    decodingError(() -> Handshake.fromBytes(over));
  }

  @Test
  void corruptedFlagsPointPastTheEnd() {
    // an announce claiming peer + refresh + signature with only a peer present
    byte[] b = new Announce(new PeerRecord(PK, List.of()), null, null, 0).toBytes();
    b[0] = 7;
    decodingError(() -> Announce.fromBytes(b));
    // a noise payload claiming udx without its fields
    decodingError(() -> NoisePayload.fromBytes(HEX.parseHex("01080000")));
  }

  @Test
  void noisePayloadOfAnotherVersionStopsAfterTheVersion() {
    NoisePayload p = NoisePayload.fromBytes(HEX.parseHex("02ffffffff"));
    assertEquals(2, p.version());
    assertNull(p.udx());
    assertEquals(List.of(), p.addresses4());
  }

  @Test
  void clientNoisePayloadMatchesTheObservedPlaintext() {
    // spec 2.8: 01 1a 00 00 01 7f000001 xxxx 01 00 fe<id32> 00 01
    NoisePayload p = new NoisePayload(1, 0, 0, null, List.of(new PeerAddress("127.0.0.1", 0x1234)), null,
        new NoisePayload.Udx(1, false, 0x01020304L, 0), new NoisePayload.SecretStream(1), null, null);
    assertEquals("011a0000017f00000134120100fe040302010001", HEX.formatHex(p.toBytes()));
  }

  private static List<PeerAddress> addresses(int n) {
    List<PeerAddress> l = new ArrayList<>();
    for (int i = 0; i < n; i++) l.add(new PeerAddress("10.0.0." + (i % 250), 1000 + i));
    return l;
  }
}
