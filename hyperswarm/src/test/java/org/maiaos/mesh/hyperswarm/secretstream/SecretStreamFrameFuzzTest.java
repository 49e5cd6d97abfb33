package org.maiaos.mesh.hyperswarm.secretstream;

import static org.maiaos.mesh.hypercore.fuzz.FuzzChecks.bounded;
import static org.maiaos.mesh.hypercore.fuzz.FuzzChecks.requireRefusal;

import com.code_intelligence.jazzer.junit.FuzzTest;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.DecoderException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.maiaos.mesh.hypercore.CoreError;
import org.maiaos.mesh.hypercore.HypercoreException;

/**
 * The secret-stream framing ({@code uint24le length | body}) from any byte stream. The first two
 * input bytes pick the frame limit and how the rest is cut into reads; the decoder must emit
 * exactly the frames a plain reference split finds, in order, then stop with DECODING_ERROR at
 * the first frame over the limit (and drop everything after), and report a truncated last frame
 * as DECODING_ERROR when the stream ends.
 */
class SecretStreamFrameFuzzTest {
  @FuzzTest
  void framesSplitLikeTheReference(byte[] input) {
    byte[] in = bounded(input);
    if (in.length < 2) return;
    int max = (in[0] & 0xFF) * 64;
    int chunk = 1 + (in[1] & 0xFF);
    byte[] stream = Arrays.copyOfRange(in, 2, in.length);

    List<byte[]> want = new ArrayList<>();
    int at = 0;
    boolean overLimit = false;
    while (stream.length - at >= 3) {
      int len = (stream[at] & 0xFF) | (stream[at + 1] & 0xFF) << 8 | (stream[at + 2] & 0xFF) << 16;
      if (len > max) {
        overLimit = true;
        break;
      }
      if (stream.length - at - 3 < len) break;
      want.add(Arrays.copyOfRange(stream, at + 3, at + 3 + len));
      at += 3 + len;
    }
    boolean truncated = !overLimit && at < stream.length;

    EmbeddedChannel ch = new EmbeddedChannel(new SecretStreamFrameDecoder(max));
    HypercoreException error = null;
    for (int i = 0; i < stream.length; i += chunk) {
      try {
        ch.writeInbound(Unpooled.wrappedBuffer(stream, i, Math.min(chunk, stream.length - i)));
      } catch (DecoderException e) {
        if (!(e.getCause() instanceof HypercoreException he)) throw e;
        if (error != null) throw new AssertionError("a second error after the first", e);
        error = he;
      }
    }
    List<byte[]> got = new ArrayList<>();
    for (Object o; (o = ch.readInbound()) != null; ) got.add((byte[]) o);
    try {
      ch.finish();
    } catch (HypercoreException e) {
      if (error != null) throw new AssertionError("a second error after the first", e);
      error = e;
    }
    if (got.size() != want.size()) throw new AssertionError(got.size() + " frames, the reference finds " + want.size());
    for (int i = 0; i < got.size(); i++) {
      if (!Arrays.equals(got.get(i), want.get(i))) throw new AssertionError("frame " + i + " differs");
    }
    if ((overLimit || truncated) != (error != null)) {
      throw new AssertionError("over limit " + overLimit + ", truncated " + truncated + ", error " + error);
    }
    if (error != null) requireRefusal(error, CoreError.DECODING_ERROR);
  }
}
