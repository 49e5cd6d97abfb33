package org.maiaos.mesh.hyperswarm.mux;

import static org.maiaos.mesh.hypercore.fuzz.FuzzChecks.bounded;
import static org.maiaos.mesh.hypercore.fuzz.FuzzChecks.requireRefusal;

import com.code_intelligence.jazzer.junit.FuzzTest;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import org.maiaos.mesh.hypercore.CoreError;
import org.maiaos.mesh.hypercore.HypercoreException;
import org.maiaos.mesh.hypercore.encoding.State;

/**
 * Protomux fed any sequence of frames (each input frame is {@code u16le length | bytes}; a length
 * past the end takes what is left). The mux pairs any channel of protocol {@code p} or
 * {@code hypercore/alpha}, has one channel of its own open ({@code p}, id 01), and its channels
 * echo type-1 messages and close on type-2 ones, so opens, rejects, closes, batches and held
 * messages all run. After the frames: the stream is open, or the mux ended it for a
 * DECODING_ERROR: never a callback failure (ASSERTION), never an exception out of the pipeline.
 */
class ProtomuxFuzzTest {
  private static final MuxChannel.Listener LISTENER = new MuxChannel.Listener() {
    @Override
    public void onMessage(MuxChannel channel, int type, State message) {
      if (type == 1) channel.send(1, new byte[] {(byte) message.remaining()});
      else if (type == 2) channel.close();
    }
  };

  @FuzzTest
  void framesAreHandledOrRefused(byte[] input) {
    byte[] in = bounded(input);
    Protomux mux = new Protomux();
    EmbeddedChannel ch = new EmbeddedChannel(mux);
    try {
      for (String protocol : new String[] {"p", "hypercore/alpha"}) {
        mux.pair(protocol, null, (p, id) -> {
          MuxChannel c = mux.createChannel(MuxChannel.Options.of(p).id(id).unique(false).messages(3).listener(LISTENER));
          if (c != null) c.open(new byte[] {7});
          return null;
        });
      }
      mux.createChannel(MuxChannel.Options.of("p").id(new byte[] {1}).messages(3).listener(LISTENER)).open(null);
      int at = 0;
      while (at + 2 <= in.length && ch.isActive()) {
        int len = Math.min((in[at] & 0xFF) | (in[at + 1] & 0xFF) << 8, in.length - at - 2);
        ch.writeInbound(Unpooled.wrappedBuffer(in, at + 2, len));
        ch.runPendingTasks();
        at += 2 + len;
      }
      ch.checkException();
      HypercoreException failure = mux.failure();
      if (ch.isActive() != (failure == null)) throw new AssertionError("active " + ch.isActive() + " but failure " + failure);
      if (failure != null) requireRefusal(failure, CoreError.DECODING_ERROR);
    } finally {
      for (Object o; (o = ch.readOutbound()) != null; ) ((ByteBuf) o).release();
      ch.finishAndReleaseAll();
    }
  }
}
