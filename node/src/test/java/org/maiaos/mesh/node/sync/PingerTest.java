package org.maiaos.mesh.node.sync;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.embedded.EmbeddedChannel;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** Pings from one timer per event loop; the time is the embedded loop's, advanced by hand. */
class PingerTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  /** A pinged connection with nothing else to it. */
  private static final class Member implements Pinger.Member {
    private final Channel channel;
    private int slot = -1;

    Member(Channel channel) {
      this.channel = channel;
    }

    @Override
    public Channel channel() {
      return channel;
    }

    @Override
    public int pingSlot() {
      return slot;
    }

    @Override
    public void pingSlot(int slot) {
      this.slot = slot;
    }
  }

  /** The ping in the next outbound frame: a final, unmasked text frame holding the whole message. */
  private static JsonNode nextPing(EmbeddedChannel ch) throws Exception {
    ByteBuf f = ch.readOutbound();
    assertTrue(f != null, "a ping was written");
    try {
      assertEquals(0x81, f.readUnsignedByte(), "FIN + text");
      int length = f.readUnsignedByte();
      assertTrue(length < 126, "short ping");
      assertEquals(length, f.readableBytes());
      JsonNode ping = JSON.readTree(f.toString(StandardCharsets.UTF_8));
      assertEquals("ping", ping.path("type").asText());
      assertEquals("eu-west", ping.path("dc").asText());
      assertTrue(ping.path("time").isNumber());
      return ping;
    } finally {
      f.release();
    }
  }

  private static void advanceOneRound(EmbeddedChannel ch) {
    ch.advanceTimeBy(1500, TimeUnit.MILLISECONDS);
    ch.runScheduledPendingTasks();
  }

  /** A channel whose clock moves only when a test advances it. */
  private static EmbeddedChannel frozenChannel() {
    EmbeddedChannel ch = new EmbeddedChannel();
    ch.freezeTime();
    return ch;
  }

  private static Pinger newPinger() {
    return new Pinger(1500, "\"eu-west\"");
  }

  /** A member on {@code ch} joins, and gets its first ping at once. */
  private static void joinAndTakeFirstPing(Pinger pinger, EmbeddedChannel ch) throws Exception {
    pinger.join(new Member(ch));
    nextPing(ch);
  }

  @Test
  void aJoiningConnectionIsPingedAtOnceAndThenWithEveryRound() throws Exception {
    EmbeddedChannel ch = frozenChannel();
    Pinger pinger = newPinger();
    joinAndTakeFirstPing(pinger, ch);
    assertNull(ch.readOutbound(), "one ping on joining");
    advanceOneRound(ch);
    nextPing(ch);
    advanceOneRound(ch);
    nextPing(ch);
    assertNull(ch.readOutbound());
    pinger.close(); // the frame a round keeps
    ch.finishAndReleaseAll();
  }

  @Test
  void theConnectionsOfOneLoopShareOneRoundAndOneThatLeftIsNoLongerPinged() throws Exception {
    EmbeddedChannel ch = frozenChannel();
    Pinger pinger = newPinger();
    List<Member> members = List.of(new Member(ch), new Member(ch), new Member(ch), new Member(ch));
    for (Member m : members) pinger.join(m);
    for (int i = 0; i < members.size(); i++) nextPing(ch);
    assertEquals(4, pinger.members(ch.eventLoop()));

    advanceOneRound(ch);
    for (int i = 0; i < 4; i++) nextPing(ch);
    assertNull(ch.readOutbound(), "one ping per member and round: a single timer");

    pinger.leave(members.get(1)); // from the middle: the last member takes its slot
    assertEquals(-1, members.get(1).pingSlot());
    assertEquals(1, members.get(3).pingSlot());
    pinger.leave(members.get(1)); // again: ignored
    assertEquals(3, pinger.members(ch.eventLoop()));
    advanceOneRound(ch);
    for (int i = 0; i < 3; i++) nextPing(ch);
    assertNull(ch.readOutbound());

    for (Member m : members) pinger.leave(m);
    assertEquals(0, pinger.members(ch.eventLoop()));
    advanceOneRound(ch);
    assertNull(ch.readOutbound(), "nobody left to ping");
    pinger.close(); // the frame a round keeps
    ch.finishAndReleaseAll();
  }

  @Test
  void pingsAreViewsOfOneDirectFrameThatARoundReleasesWhenItIsReplacedOrClosed() throws Exception {
    List<ByteBuf> frames = new java.util.ArrayList<>();
    io.netty.buffer.ByteBufAllocator recording = new io.netty.buffer.AbstractByteBufAllocator(true) {
      @Override
      protected ByteBuf newHeapBuffer(int initialCapacity, int maxCapacity) {
        return io.netty.buffer.Unpooled.buffer(initialCapacity, maxCapacity);
      }

      @Override
      protected ByteBuf newDirectBuffer(int initialCapacity, int maxCapacity) {
        ByteBuf b = io.netty.buffer.Unpooled.directBuffer(initialCapacity, maxCapacity);
        frames.add(b);
        return b;
      }

      @Override
      public boolean isDirectBufferPooled() {
        return false;
      }
    };
    EmbeddedChannel ch = frozenChannel();
    ch.config().setAllocator(recording);
    Pinger pinger = newPinger();
    pinger.join(new Member(ch));
    ByteBuf first = ch.readOutbound();
    assertTrue(first.isDirect(), "the socket writes the frame's own memory");
    assertEquals(1, frames.size());
    first.release();
    assertEquals(1, frames.get(0).refCnt(), "the round keeps its frame");
    Thread.sleep(2); // the next round's millisecond differs
    advanceOneRound(ch);
    nextPing(ch);
    assertEquals(2, frames.size());
    assertEquals(0, frames.get(0).refCnt(), "the replaced frame is released");
    assertEquals(1, frames.get(1).refCnt());
    pinger.close();
    assertEquals(0, frames.get(1).refCnt(), "closing releases the kept frame");
    ch.finishAndReleaseAll();
  }

  @Test
  void aConnectionThatDoesNotReadGetsNoPingQueued() throws Exception {
    EmbeddedChannel ch = frozenChannel();
    Pinger pinger = newPinger();
    joinAndTakeFirstPing(pinger, ch);
    ch.unsafe().outboundBuffer().setUserDefinedWritability(1, false);
    advanceOneRound(ch);
    assertNull(ch.readOutbound());
    ch.unsafe().outboundBuffer().setUserDefinedWritability(1, true);
    advanceOneRound(ch);
    nextPing(ch);
    pinger.close(); // the frame a round keeps
    ch.finishAndReleaseAll();
  }
}
