package org.maiaos.mesh.hyperswarm.dht;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.util.ReferenceCountUtil;
import java.io.ByteArrayOutputStream;
import java.util.concurrent.CompletableFuture;

/** A test handler that collects what a channel reads; {@link #done} completes once enough arrived. */
public final class CollectBytes extends ChannelInboundHandlerAdapter {
  private final ByteArrayOutputStream got = new ByteArrayOutputStream();
  private final int expected;
  /** All bytes read, once at least the expected number arrived; fails if the channel closes first. */
  public final CompletableFuture<byte[]> done = new CompletableFuture<>();

  public CollectBytes(int expected) {
    this.expected = expected;
  }

  @Override
  public void channelRead(ChannelHandlerContext ctx, Object msg) {
    ByteBuf b = (ByteBuf) msg;
    try {
      byte[] chunk = new byte[b.readableBytes()];
      b.readBytes(chunk);
      synchronized (got) {
        got.writeBytes(chunk);
        if (got.size() >= expected) done.complete(got.toByteArray());
      }
    } finally {
      ReferenceCountUtil.release(msg);
    }
  }

  @Override
  public void channelInactive(ChannelHandlerContext ctx) {
    synchronized (got) {
      done.completeExceptionally(new AssertionError("closed after " + got.size() + " bytes"));
    }
    ctx.fireChannelInactive();
  }
}
