package org.maiaos.mesh.hyperswarm.udx;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.socket.ChannelInputShutdownEvent;
import io.netty.handler.codec.LengthFieldBasedFrameDecoder;
import io.netty.handler.codec.LengthFieldPrepender;
import io.netty.util.concurrent.DefaultThreadFactory;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.maiaos.mesh.hypercore.HypercoreException;

/** Ordinary Netty handlers run over a UdxStream unchanged: a framed echo. */
class UdxStreamPipelineTest {
  private static final long WAIT_SECONDS = 60;
  private EventLoopGroup group;
  private UdxSocket a;
  private UdxSocket b;

  @BeforeEach
  void setUp() {
    group = UdxEventLoops.newGroup(2, new DefaultThreadFactory("hyperswarm-udxpipe"));
    a = UdxSocket.bind(group, new InetSocketAddress("127.0.0.1", 0));
    b = UdxSocket.bind(group, new InetSocketAddress("127.0.0.1", 0));
  }

  @AfterEach
  void tearDown() throws Exception {
    a.close();
    b.close();
    group.shutdownGracefully(0, 1, TimeUnit.SECONDS).await(10, TimeUnit.SECONDS);
  }

  @Test
  void aLengthPrefixedEchoRunsOverUdx() throws Exception {
    UdxStream client = a.createStream(10);
    UdxStream server = b.createStream(20);
    server.pipeline().addLast(new LengthFieldBasedFrameDecoder(1 << 20, 0, 4, 0, 4), new LengthFieldPrepender(4),
        new SimpleChannelInboundHandler<ByteBuf>() {
          @Override
          protected void channelRead0(ChannelHandlerContext ctx, ByteBuf msg) {
            ctx.writeAndFlush(msg.retain());
          }

          @Override
          public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
            if (evt instanceof ChannelInputShutdownEvent) ((UdxStream) ctx.channel()).shutdownOutput();
          }
        });
    BlockingQueue<byte[]> echoed = new LinkedBlockingQueue<>();
    client.pipeline().addLast(new LengthFieldBasedFrameDecoder(1 << 20, 0, 4, 0, 4), new LengthFieldPrepender(4),
        new SimpleChannelInboundHandler<ByteBuf>() {
          @Override
          protected void channelRead0(ChannelHandlerContext ctx, ByteBuf msg) {
            echoed.add(ByteBufUtil.getBytes(msg));
          }
        });
    server.connectOnFirstPacket(10);
    assertTrue(client.connect(20, b.localAddress()).await(WAIT_SECONDS, TimeUnit.SECONDS));
    Random rng = new Random(Long.getLong("test.seed", 3L));
    List<byte[]> frames = new ArrayList<>();
    for (int i = 0; i < 200; i++) {
      byte[] f = new byte[i % 10 == 0 ? 0 : rng.nextInt(100_000)];
      rng.nextBytes(f);
      frames.add(f);
      client.write(Unpooled.wrappedBuffer(f));
    }
    client.flush();
    for (byte[] f : frames) {
      byte[] got = echoed.poll(WAIT_SECONDS, TimeUnit.SECONDS);
      assertNotNull(got, "echo stalled");
      assertArrayEquals(f, got);
    }
    assertTrue(client.shutdownOutput().await(WAIT_SECONDS, TimeUnit.SECONDS));
    assertTrue(client.closeFuture().await(WAIT_SECONDS, TimeUnit.SECONDS));
    assertTrue(server.closeFuture().await(WAIT_SECONDS, TimeUnit.SECONDS));
    assertNull(client.closeCause());
    assertNull(server.closeCause());
    assertEquals(0, a.streamCount());
    assertEquals(0, b.streamCount());
  }

  @Test
  void closeBeforeTheEndAbortsThePeerWithEconnreset() throws Exception {
    UdxStream client = a.createStream(10);
    UdxStream server = b.createStream(20);
    List<Throwable> errors = new ArrayList<>();
    server.pipeline().addLast(new ChannelInboundHandlerAdapter() {
      @Override
      public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        errors.add(cause);
      }
    });
    assertTrue(server.connect(10, a.localAddress()).await(WAIT_SECONDS, TimeUnit.SECONDS));
    assertTrue(client.connect(20, b.localAddress()).await(WAIT_SECONDS, TimeUnit.SECONDS));
    client.close().await(WAIT_SECONDS, TimeUnit.SECONDS);
    assertTrue(server.closeFuture().await(WAIT_SECONDS, TimeUnit.SECONDS));
    assertEquals(UdxError.ECONNRESET, ((HypercoreException) server.closeCause()).code());
    assertEquals(1, errors.size());
  }

  @Test
  void writesOtherThanByteBufFailAndStreamIdsAreUnique() throws Exception {
    UdxStream s = a.createStream(10);
    assertTrue(s.connect(20, b.localAddress()).await(WAIT_SECONDS, TimeUnit.SECONDS));
    ExecutionException e = assertThrows(ExecutionException.class, () -> s.writeAndFlush("text").get(WAIT_SECONDS, TimeUnit.SECONDS));
    assertTrue(e.getCause() instanceof UnsupportedOperationException);
    assertThrows(HypercoreException.class, () -> a.createStream(10));
    assertFalse(s.connect(21, b.localAddress()).await(WAIT_SECONDS, TimeUnit.SECONDS) && s.remoteId() == 21);
    s.close();
  }
}
