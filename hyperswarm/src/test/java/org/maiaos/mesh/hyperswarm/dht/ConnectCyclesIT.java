package org.maiaos.mesh.hyperswarm.dht;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.maiaos.mesh.hypercore.crypto.Ed25519;
import org.maiaos.mesh.hypercore.crypto.KeyPair;
import org.maiaos.mesh.hyperswarm.secretstream.SecretStreamLimits;

/**
 * 500 connect, echo, close cycles between two Java nodes through a Java network on 127.0.0.1
 * leave nothing behind: no UDX stream on either socket, no new thread, and the server's memory of
 * answered handshakes drains. Bounded: every wait 30 s.
 */
class ConnectCyclesIT {
  private static final long WAIT_S = JavaDhtNet.WAIT_S;
  private static final int CYCLES = Integer.getInteger("cycles", 500);
  private final JavaDhtNet net = new JavaDhtNet("hyperswarm-test-cycles");

  @AfterEach
  void close() throws Exception {
    net.close();
  }

  private static void waitFor(String what, BooleanSupplier c) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(WAIT_S);
    while (!c.getAsBoolean()) {
      if (System.nanoTime() - deadline > 0) throw new AssertionError("timed out waiting for " + what);
      Thread.sleep(20);
    }
  }

  private int remembered(HyperDhtServer server) throws Exception {
    CompletableFuture<Integer> n = new CompletableFuture<>();
    net.scheduler().execute(() -> n.complete(server.rememberedAnswers()));
    return n.get(WAIT_S, TimeUnit.SECONDS);
  }

  @Test
  void fiveHundredCyclesLeaveNoStreamThreadOrAnswerBehind() throws Exception {
    net.network();
    HyperDht serverNode = net.client();
    HyperDht clientNode = net.client();
    KeyPair serverKp = Ed25519.keyPair();
    HyperDhtServer server = serverNode.listen(serverKp, null, SecretStreamLimits.DEFAULTS,
        ch -> ch.pipeline().addLast(new ChannelInboundHandlerAdapter() {
          @Override
          public void channelRead(ChannelHandlerContext ctx, Object msg) {
            ctx.writeAndFlush(msg);
          }
        })).get(WAIT_S, TimeUnit.SECONDS);

    int threadsBefore = Thread.activeCount();
    byte[] ping = {1, 2, 3, 4, 5, 6, 7, 8};
    for (int i = 0; i < CYCLES; i++) {
      CollectBytes echo = new CollectBytes(ping.length);
      Channel ch = clientNode.connect(serverKp.publicKey(), Ed25519.keyPair(), SecretStreamLimits.DEFAULTS,
          c -> c.pipeline().addLast(echo)).get(WAIT_S, TimeUnit.SECONDS);
      ch.writeAndFlush(Unpooled.wrappedBuffer(ping));
      assertArrayEquals(ping, echo.done.get(WAIT_S, TimeUnit.SECONDS), "cycle " + i);
      assertTrue(ch.close().await(WAIT_S, TimeUnit.SECONDS), "cycle " + i);
    }
    waitFor("no client stream left", () -> clientNode.udxSocket().streamCount() == 0);
    waitFor("no server stream left", () -> serverNode.udxSocket().streamCount() == 0);
    assertTrue(Thread.activeCount() <= threadsBefore + 2, "threads before " + threadsBefore + ", after " + Thread.activeCount());
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(WAIT_S);
    while (remembered(server) > 0 && System.nanoTime() < deadline) Thread.sleep(200);
    assertEquals(0, remembered(server), "answers are forgotten after 10 s");
  }
}
