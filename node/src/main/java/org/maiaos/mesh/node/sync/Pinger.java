package org.maiaos.mesh.node.sync;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.channel.Channel;
import io.netty.channel.EventLoop;
import io.netty.util.concurrent.Future;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
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
 *
 * <p>The payload is encoded once as a whole WebSocket frame (a final text frame from the server,
 * unmasked, RFC 6455 section 5.2) and written to each connection as a view of it with a void
 * promise: a ping costs a connection no frame, promise or encoder output, only the view. The frame
 * is a pooled direct buffer of the channels' allocator, so the view is a pooled one that goes back
 * to its recycler once written, and the socket writes the frame's own memory (a heap frame was
 * copied into a direct buffer for every connection, and left a view object per connection and
 * round: half a megabyte of garbage a round at 10,000 connections). The frame encoder passes a
 * ByteBuf through untouched. Joins within the same millisecond share the frame of that
 * millisecond (the same bytes as one encoded for each); a round releases the frame it replaces.
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
    Round r = rounds.computeIfAbsent(ch.eventLoop(), Round::new);
    r.add(m);
    ping(ch, r.frameOfNow(ch.alloc()));
  }

  /**
   * The channels of every member now, gathered on each event loop (at most {@code timeout} for
   * all; a loop that does not answer in time contributes none). Not on an event loop of the rounds.
   */
  List<Channel> channels(Duration timeout) {
    long deadline = System.nanoTime() + timeout.toNanos();
    List<Future<List<Channel>>> parts = new ArrayList<>();
    List<Channel> all = new ArrayList<>();
    for (Map.Entry<EventLoop, Round> e : rounds.entrySet()) {
      Round r = e.getValue();
      if (e.getKey().inEventLoop()) all.addAll(r.channels()); // an embedded loop (tests)
      else parts.add(e.getKey().submit(r::channels));
    }
    for (Future<List<Channel>> f : parts) {
      if (f.awaitUninterruptibly(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS) && f.isSuccess()) {
        all.addAll(f.getNow());
      }
    }
    return all;
  }

  /** Releases the frames the rounds keep, each on its event loop (a server that closes; the loops may be gone already). */
  void close() {
    for (Map.Entry<EventLoop, Round> e : rounds.entrySet()) {
      Round r = e.getValue();
      if (e.getKey().inEventLoop()) {
        r.release();
      } else {
        try {
          e.getKey().execute(r::release);
        } catch (java.util.concurrent.RejectedExecutionException gone) {
          // the loop is shutting down: its pooled memory goes with it
        }
      }
    }
  }

  /** Members on {@code loop} (its event loop; tests). */
  int members(EventLoop loop) {
    Round r = rounds.get(loop);
    return r == null ? 0 : r.size();
  }

  /** Stops pinging {@code m} (its event loop); a member not in a round is ignored. */
  void leave(Member m) {
    Round r = rounds.get(m.channel().eventLoop());
    if (r != null) r.remove(m);
  }

  /** The ping of {@code millis} as one whole text frame, ready for the socket, in a direct buffer of {@code alloc}. */
  ByteBuf frame(ByteBufAllocator alloc, long millis) {
    byte[] json = ("{\"type\":\"ping\",\"time\":" + millis + ",\"dc\":" + dcJson + "}").getBytes(StandardCharsets.UTF_8);
    int header = json.length < 126 ? 2 : json.length <= 0xFFFF ? 4 : 10;
    ByteBuf f = alloc.directBuffer(header + json.length);
    f.writeByte(0x81); // FIN, text
    if (json.length < 126) {
      f.writeByte(json.length);
    } else if (json.length <= 0xFFFF) {
      f.writeByte(126).writeShort(json.length);
    } else {
      f.writeByte(127).writeLong(json.length);
    }
    return f.writeBytes(json);
  }

  /**
   * Writes {@code frame} to {@code ch} if it takes it. The channel's own void promise: a failed
   * ping is ignored, as before (the channel closes on the I/O error itself), and nothing is
   * allocated to learn it.
   */
  private static void ping(Channel ch, ByteBuf frame) {
    if (ch.isActive() && ch.isWritable()) ch.writeAndFlush(frame.retainedDuplicate(), ch.unsafe().voidPromise());
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
    /** The last frame {@link #frameOfNow} made, and its millisecond. */
    private ByteBuf lastFrame;
    private long lastMillis = -1;

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

    /** The frame of the current millisecond, kept for joins in the same millisecond (views of the one before keep it until written). */
    ByteBuf frameOfNow(ByteBufAllocator alloc) {
      long now = System.currentTimeMillis();
      if (now != lastMillis || lastFrame == null) {
        if (lastFrame != null) lastFrame.release();
        lastFrame = frame(alloc, now);
        lastMillis = now;
      }
      return lastFrame;
    }

    /** Drops the kept frame (its event loop). */
    void release() {
      if (lastFrame != null) {
        lastFrame.release();
        lastFrame = null;
      }
    }

    List<Channel> channels() {
      List<Channel> out = new ArrayList<>(members.size());
      for (Member m : members) out.add(m.channel());
      return out;
    }

    int size() {
      return members.size();
    }

    private void tick() {
      if (members.isEmpty()) return;
      ByteBuf frame = frameOfNow(members.get(0).channel().alloc());
      for (int i = 0; i < members.size(); i++) ping(members.get(i).channel(), frame);
    }
  }
}
