package org.maiaos.mesh.node.sync;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.EventLoop;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * Internal. The pings of every sync connection, as {@code jazz-run} sends them ({@code
 * {"type":"ping","time":...,"dc":...}} every {@code interval}): one timer per event loop walks the
 * connections of that loop and sends each the same payload, encoded once per round, instead of a
 * scheduled task and a fresh message per connection. A connection gets its first ping as it joins
 * and then one with every round (the second within {@code interval}). A connection that does not
 * read gets no more pings queued. Rounds and their members are touched on their event loop only.
 */
final class Pinger {
  private final long intervalMillis;
  private final String dcJson;
  private final Map<EventLoop, Round> rounds = new ConcurrentHashMap<>();

  Pinger(long intervalMillis, String dcJson) {
    this.intervalMillis = intervalMillis;
    this.dcJson = dcJson;
  }

  /** Pings {@code ch} now and with every round from here on (its event loop). */
  void join(Member m) {
    Channel ch = m.channel();
    rounds.computeIfAbsent(ch.eventLoop(), Round::new).add(m);
    ByteBuf payload = payload();
    ping(ch, payload);
    payload.release();
  }

  /** Stops pinging {@code m} (its event loop); a member not in a round is ignored. */
  void leave(Member m) {
    Round r = rounds.get(m.channel().eventLoop());
    if (r != null) r.remove(m);
  }

  private ByteBuf payload() {
    String json = "{\"type\":\"ping\",\"time\":" + System.currentTimeMillis() + ",\"dc\":" + dcJson + "}";
    return Unpooled.copiedBuffer(json, StandardCharsets.UTF_8);
  }

  private static void ping(Channel ch, ByteBuf payload) {
    if (ch.isActive() && ch.isWritable()) ch.writeAndFlush(new TextWebSocketFrame(payload.retainedDuplicate()));
  }

  /** A pinged connection: its slot in its round (-1 when in none), kept by the round. */
  interface Member {
    Channel channel();

    int pingSlot();

    void pingSlot(int slot);
  }

  /** The members of one event loop, in an array list with swap-remove (4 bytes per connection). */
  private final class Round {
    private final ArrayList<Member> members = new ArrayList<>();

    Round(EventLoop loop) {
      loop.scheduleAtFixedRate(this::tick, intervalMillis, intervalMillis, TimeUnit.MILLISECONDS);
    }

    void add(Member m) {
      if (m.pingSlot() >= 0) return;
      m.pingSlot(members.size());
      members.add(m);
    }

    void remove(Member m) {
      int slot = m.pingSlot();
      if (slot < 0 || slot >= members.size() || members.get(slot) != m) return;
      Member last = members.remove(members.size() - 1);
      if (last != m) {
        members.set(slot, last);
        last.pingSlot(slot);
      }
      m.pingSlot(-1);
    }

    private void tick() {
      if (members.isEmpty()) return;
      ByteBuf payload = payload();
      try {
        for (int i = 0; i < members.size(); i++) ping(members.get(i).channel(), payload);
      } finally {
        payload.release();
      }
    }
  }
}
