package org.maiaos.mesh.hyperswarm.wire;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.Arrays;
import java.util.HexFormat;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.maiaos.mesh.hypercore.CoreError;
import org.maiaos.mesh.hypercore.HypercoreException;
import org.maiaos.mesh.hypercore.TestSeeds;
import org.maiaos.mesh.hypercore.crypto.Key32;
import org.maiaos.mesh.hypercore.encoding.State;

/** The small channel messages without JS: round trips, frames from the notes, truncation, limits. */
class ChannelMessagesTest {
  private static final HexFormat HEX = HexFormat.of();

  @Test
  void randomMessagesRoundTrip() {
    Random r = TestSeeds.random("ChannelMessagesTest");
    for (ChannelMessages.Kind<?> kind : ChannelMessages.ALL) {
      for (int i = 0; i < 200; i++) {
        Object m = kind.random().apply(r);
        byte[] b = kind.encode(m);
        State s = State.of(b);
        assertEquals(m, kind.decode().apply(s), kind.type());
        assertEquals(b.length, s.start, kind.type());
      }
    }
  }

  @Test
  void everyTruncationIsADecodingErrorOrAShorterValidMessage() {
    Random r = TestSeeds.random("ChannelMessagesTest.truncation");
    for (ChannelMessages.Kind<?> kind : ChannelMessages.ALL) {
      for (int i = 0; i < 50; i++) {
        byte[] b = kind.encode(kind.random().apply(r));
        for (int cut = 0; cut < b.length; cut++) {
          State s = State.of(Arrays.copyOf(b, cut));
          try {
            kind.decode().apply(s); // optional tails (noData flags, want flags, raw payloads) may decode
          } catch (HypercoreException e) {
            assertEquals(CoreError.DECODING_ERROR, e.code(), kind.type() + " cut at " + cut);
          }
        }
      }
    }
  }

  @Test
  void framesFromTheWireNotesDecode() {
    assertEquals(new Sync(0, 5, 0, true, true, true, true, false), Sync.decode(State.of(HEX.parseHex("0f000500"))));
    assertEquals(new Cancel(7), Cancel.decode(State.of(HEX.parseHex("07"))));
    assertEquals(new NoData(42, NoData.NOT_AVAILABLE), NoData.decode(State.of(HEX.parseHex("2a0101"))));
    assertEquals(new NoData(42, 0), NoData.decode(State.of(HEX.parseHex("2a"))), "flags may be missing");
    assertEquals(new Want(0, 2_097_152, false), Want.decode(State.of(HEX.parseHex("00fe00002000"))));
    assertEquals(new Range(false, 0, 5), Range.decode(State.of(HEX.parseHex("000005"))));
    assertEquals(new Range(true, 1, 1), Range.decode(State.of(HEX.parseHex("0301"))));
    Bitfield bf = Bitfield.decode(State.of(HEX.parseHex("000108000000")));
    assertEquals(true, bf.has(3));
    assertEquals(false, bf.has(2));
    assertEquals(false, bf.has(32));
    Handshake h = new Handshake(true, Key32.of(new byte[32]));
    State s = new State();
    Handshake.preencode(s, h);
    s.alloc();
    Handshake.encode(s, h);
    assertArrayEquals(HEX.parseHex("01" + "00".repeat(32)), s.buffer);
  }

  @Test
  void bitfieldCountOverTheLimitOrTheBytesLeftIsRefusedBeforeAllocating() {
    assertThrows(HypercoreException.class, () -> Bitfield.decode(State.of(HEX.parseHex("00fe00000100"))), "2^16+ words");
    HypercoreException e = assertThrows(HypercoreException.class, () -> Bitfield.decode(State.of(HEX.parseHex("000200000000"))));
    assertEquals(CoreError.DECODING_ERROR, e.code());
  }

  @Test
  void extensionNameOverTheLimitIsRefused() {
    byte[] name = new byte[Extension.MAX_NAME_BYTES + 1];
    Arrays.fill(name, (byte) 'a');
    Extension ext = new Extension(new String(name, java.nio.charset.StandardCharsets.US_ASCII), new byte[0]);
    State s = new State();
    Extension.preencode(s, ext);
    s.alloc();
    Extension.encode(s, ext);
    HypercoreException e = assertThrows(HypercoreException.class, () -> Extension.decode(State.of(s.buffer)));
    assertEquals(CoreError.DECODING_ERROR, e.code());
  }
}
