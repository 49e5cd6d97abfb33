package org.maiaos.mesh.hyperswarm.secretstream;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandler;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.util.ReferenceCountUtil;
import java.util.function.UnaryOperator;

/**
 * Two {@link EmbeddedChannel}s wired back to back: {@link #shuttle()} moves every outbound buffer of
 * one into the other until both are quiet, so whole conversations run on the test thread, with no
 * sockets, no threads and no waiting. A tamper function may rewrite or drop what crosses.
 */
public final class EmbeddedPair implements AutoCloseable {
  public final EmbeddedChannel a;
  public final EmbeddedChannel b;
  private UnaryOperator<ByteBuf> aToB = UnaryOperator.identity();
  private UnaryOperator<ByteBuf> bToA = UnaryOperator.identity();

  public EmbeddedPair(ChannelHandler[] aHandlers, ChannelHandler[] bHandlers) {
    a = new EmbeddedChannel(aHandlers);
    b = new EmbeddedChannel(bHandlers);
  }

  /** Applied to every buffer going from a to b; return null to drop it. */
  public EmbeddedPair tamperAToB(UnaryOperator<ByteBuf> f) {
    aToB = f;
    return this;
  }

  public EmbeddedPair tamperBToA(UnaryOperator<ByteBuf> f) {
    bToA = f;
    return this;
  }

  /** Moves buffers both ways until neither side has anything left to send; returns how many moved. */
  public int shuttle() {
    int moved = 0;
    for (boolean again = true; again; ) {
      a.runPendingTasks();
      b.runPendingTasks();
      int n = move(a, b, aToB) + move(b, a, bToA);
      moved += n;
      again = n > 0;
    }
    return moved;
  }

  private static int move(EmbeddedChannel from, EmbeddedChannel to, UnaryOperator<ByteBuf> tamper) {
    int n = 0;
    for (Object o; (o = from.readOutbound()) != null; n++) {
      ByteBuf buf = tamper.apply((ByteBuf) o);
      if (buf == null) continue;
      if (to.isActive()) to.writeInbound(buf);
      else ReferenceCountUtil.release(buf);
    }
    return n;
  }

  /** Drains and releases what either side received or still has to send. */
  public void releaseAll() {
    for (EmbeddedChannel ch : new EmbeddedChannel[] {a, b}) {
      for (Object o; (o = ch.readOutbound()) != null; ) ReferenceCountUtil.release(o);
      for (Object o; (o = ch.readInbound()) != null; ) ReferenceCountUtil.release(o);
    }
  }

  @Override
  public void close() {
    releaseAll();
    a.finishAndReleaseAll();
    b.finishAndReleaseAll();
  }
}
