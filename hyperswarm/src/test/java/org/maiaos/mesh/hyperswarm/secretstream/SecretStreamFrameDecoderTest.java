package org.maiaos.mesh.hyperswarm.secretstream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.DecoderException;
import org.junit.jupiter.api.Test;
import org.maiaos.mesh.hypercore.CoreError;
import org.maiaos.mesh.hypercore.HypercoreException;

class SecretStreamFrameDecoderTest {
  private static byte[] frame(int len, int fill) {
    byte[] f = new byte[3 + len];
    f[0] = (byte) len;
    f[1] = (byte) (len >>> 8);
    f[2] = (byte) (len >>> 16);
    for (int i = 3; i < f.length; i++) f[i] = (byte) fill;
    return f;
  }

  private static HypercoreException cause(DecoderException e) {
    return (HypercoreException) e.getCause();
  }

  @Test
  void splitsFramesAcrossAndWithinReads() {
    EmbeddedChannel ch = new EmbeddedChannel(new SecretStreamFrameDecoder(1000));
    byte[] a = frame(5, 1);
    byte[] b = frame(0, 0);
    byte[] c = frame(300, 3);
    byte[] all = new byte[a.length + b.length + c.length];
    System.arraycopy(a, 0, all, 0, a.length);
    System.arraycopy(b, 0, all, a.length, b.length);
    System.arraycopy(c, 0, all, a.length + b.length, c.length);
    for (int i = 0; i < all.length; i += 7) {
      ch.writeInbound(Unpooled.wrappedBuffer(all, i, Math.min(7, all.length - i)));
    }
    assertArrayEquals(new byte[] {1, 1, 1, 1, 1}, ch.readInbound());
    assertArrayEquals(new byte[0], ch.readInbound());
    byte[] third = ch.readInbound();
    assertEquals(300, third.length);
    assertNull(ch.readInbound());
    ch.finishAndReleaseAll();
  }

  @Test
  void acceptsAFrameAtTheLimit() {
    EmbeddedChannel ch = new EmbeddedChannel(new SecretStreamFrameDecoder(1000));
    ch.writeInbound(Unpooled.wrappedBuffer(frame(1000, 9)));
    byte[] got = ch.readInbound();
    assertEquals(1000, got.length);
    ch.finishAndReleaseAll();
  }

  @Test
  void rejectsAFrameOneByteOverTheLimitFromItsLengthAlone() {
    EmbeddedChannel ch = new EmbeddedChannel(new SecretStreamFrameDecoder(1000));
    byte[] header = {(byte) 0xE9, 0x03, 0x00}; // 1001, no body sent yet
    DecoderException e = assertThrows(DecoderException.class, () -> ch.writeInbound(Unpooled.wrappedBuffer(header)));
    assertEquals(CoreError.DECODING_ERROR, cause(e).code());
    assertEquals("DECODING_ERROR: frame of 1001 bytes over the limit of 1000", cause(e).getMessage());
    // everything after the error is dropped
    ch.writeInbound(Unpooled.wrappedBuffer(frame(3, 1)));
    assertNull(ch.readInbound());
    ch.finishAndReleaseAll();
  }

  @Test
  void aTruncatedFrameAtTheEndOfTheStreamIsADecodingError() {
    EmbeddedChannel ch = new EmbeddedChannel(new SecretStreamFrameDecoder(1000));
    byte[] f = frame(100, 1);
    ch.writeInbound(Unpooled.wrappedBuffer(f, 0, 50));
    assertNull(ch.readInbound());
    HypercoreException e = assertThrows(HypercoreException.class, ch::finish);
    assertEquals(CoreError.DECODING_ERROR, e.code());
    assertEquals("DECODING_ERROR: stream ended inside a frame: 50 bytes of a 100-byte frame and its 3-byte length",
        e.getMessage());
  }

  @Test
  void aTruncatedLengthAtTheEndOfTheStreamIsADecodingError() {
    EmbeddedChannel ch = new EmbeddedChannel(new SecretStreamFrameDecoder(1000));
    ch.writeInbound(Unpooled.wrappedBuffer(new byte[] {5, 0}));
    HypercoreException e = assertThrows(HypercoreException.class, ch::finish);
    assertEquals(CoreError.DECODING_ERROR, e.code());
    assertTrue(e.getMessage().endsWith("2 bytes of a ?-byte frame and its 3-byte length"), e.getMessage());
  }

  @Test
  void aCleanEndIsNotAnError() {
    EmbeddedChannel ch = new EmbeddedChannel(new SecretStreamFrameDecoder(1000));
    ch.writeInbound(Unpooled.wrappedBuffer(frame(2, 1)));
    ch.finish();
    assertArrayEquals(new byte[] {1, 1}, ch.readInbound());
  }
}
