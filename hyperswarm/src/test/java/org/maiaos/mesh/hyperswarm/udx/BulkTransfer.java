package org.maiaos.mesh.hyperswarm.udx;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.socket.ChannelInputShutdownEvent;
import java.net.InetSocketAddress;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/** Test helpers: send N seeded bytes over a stream, and count and hash what a stream receives. */
final class BulkTransfer {
  private BulkTransfer() {}

  static MessageDigest sha256() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  /** What a receiver saw: byte count and SHA-256 hex, once the peer ended. */
  record Received(long bytes, String sha256) {}

  /** Hashes everything read; completes on the peer's END. Optionally echoes it back. */
  static final class Sink extends ChannelInboundHandlerAdapter {
    final CompletableFuture<Received> done = new CompletableFuture<>();
    private final MessageDigest md = sha256();
    private final boolean echo;
    private long bytes;

    Sink(boolean echo) {
      this.echo = echo;
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
      ByteBuf b = (ByteBuf) msg;
      bytes += b.readableBytes();
      md.update(b.nioBuffer());
      if (echo) {
        ctx.write(b);
        if (!ctx.channel().isWritable()) ctx.channel().config().setAutoRead(false);
      } else {
        b.release();
      }
    }

    @Override
    public void channelReadComplete(ChannelHandlerContext ctx) {
      if (echo) ctx.flush();
    }

    @Override
    public void channelWritabilityChanged(ChannelHandlerContext ctx) {
      if (echo && ctx.channel().isWritable()) ctx.channel().config().setAutoRead(true);
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
      if (evt instanceof ChannelInputShutdownEvent) {
        done.complete(new Received(bytes, HexFormat.of().formatHex(md.digest())));
        if (echo) {
          ctx.flush();
          ((UdxStream) ctx.channel()).shutdownOutput();
        }
      }
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
      done.completeExceptionally(cause);
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
      done.completeExceptionally(new IllegalStateException("closed before END"));
    }
  }

  /** Writes {@code total} seeded bytes as fast as writability allows, then END; completes with their SHA-256. */
  static final class Source extends ChannelInboundHandlerAdapter {
    final CompletableFuture<String> sent = new CompletableFuture<>();
    private final MessageDigest md = sha256();
    private final Random rng;
    private final long total;
    private long written;

    Source(long total, long seed) {
      this.total = total;
      this.rng = new Random(seed);
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) {
      pump(ctx);
      ctx.fireChannelActive();
    }

    @Override
    public void channelWritabilityChanged(ChannelHandlerContext ctx) {
      pump(ctx);
      ctx.fireChannelWritabilityChanged();
    }

    private void pump(ChannelHandlerContext ctx) {
      while (written < total && ctx.channel().isWritable()) {
        int n = (int) Math.min(16384 + rng.nextInt(16384), total - written);
        byte[] chunk = new byte[n];
        rng.nextBytes(chunk);
        md.update(chunk);
        written += n;
        ctx.write(Unpooled.wrappedBuffer(chunk));
      }
      ctx.flush();
      if (written == total && !sent.isDone()) {
        sent.complete(HexFormat.of().formatHex(md.digest()));
        ((UdxStream) ctx.channel()).shutdownOutput();
      }
    }
  }

  /**
   * A stream on {@code a} sends {@code ab} bytes to one on {@code b} while that one sends {@code ba}
   * back, {@code aTo}/{@code bTo} being where each side's packets go; checks count and hash on both
   * sides and that both streams then close cleanly.
   */
  static void exchange(UdxSocket a, UdxSocket b, InetSocketAddress aTo, InetSocketAddress bTo, long ab, long ba,
      long waitSeconds) throws Exception {
    UdxStream sa = a.createStream(1);
    UdxStream sb = b.createStream(2);
    Source srcA = new Source(ab, 1);
    Sink sinkA = new Sink(false);
    Source srcB = new Source(ba, 2);
    Sink sinkB = new Sink(false);
    sa.pipeline().addLast(srcA, sinkA);
    sb.pipeline().addLast(srcB, sinkB);
    sa.connect(2, aTo);
    sb.connect(1, bTo);
    Received atB = sinkB.done.get(waitSeconds, TimeUnit.SECONDS);
    Received atA = sinkA.done.get(waitSeconds, TimeUnit.SECONDS);
    assertEquals(ab, atB.bytes());
    assertEquals(srcA.sent.get(waitSeconds, TimeUnit.SECONDS), atB.sha256());
    assertEquals(ba, atA.bytes());
    assertEquals(srcB.sent.get(waitSeconds, TimeUnit.SECONDS), atA.sha256());
    assertTrue(sa.closeFuture().await(waitSeconds, TimeUnit.SECONDS));
    assertTrue(sb.closeFuture().await(waitSeconds, TimeUnit.SECONDS));
    assertFalse(sa.isOpen());
    assertFalse(sb.isOpen());
    assertNull(sa.closeCause());
    assertNull(sb.closeCause());
  }
}
