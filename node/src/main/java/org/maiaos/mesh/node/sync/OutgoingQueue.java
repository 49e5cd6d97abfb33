package org.maiaos.mesh.node.sync;

import java.util.ArrayDeque;
import java.util.Deque;

/**
 * Internal. One client's outgoing messages, as cojson-transport-ws sends them: in push order while
 * the socket keeps up, and by strict priority once it is backed up (HIGH 0 before MEDIUM 3 before
 * LOW 6, FIFO within a level; {@code PriorityBasedMessageQueue}) until the backlog is gone.
 * Bounded by the bytes it holds; {@link #offer} refuses past the bound so the caller can drop the
 * client instead of growing the heap. Thread-safe (the engine offers, the event loop polls).
 */
final class OutgoingQueue {
  static final int HIGH = 0;
  static final int MEDIUM = 3;
  static final int LOW = 6;

  private record Item(long seq, String json) {}

  private final Deque<Item> high = new ArrayDeque<>();
  private final Deque<Item> medium = new ArrayDeque<>();
  private final Deque<Item> low = new ArrayDeque<>();
  private final long maxBytes;
  private long bytes;
  private long seq;
  private boolean backedUp;

  OutgoingQueue(long maxBytes) {
    this.maxBytes = maxBytes;
  }

  /** Queues {@code json} (a UTF-16 length counts as its size); false when it would exceed the bound. */
  synchronized boolean offer(String json, int priority) {
    if (bytes + json.length() > maxBytes && bytes > 0) return false;
    bytes += json.length();
    (priority <= HIGH ? high : priority >= LOW ? low : medium).addLast(new Item(seq++, json));
    return true;
  }

  /** The socket could not take everything: order by priority until the queue has drained. */
  synchronized void backedUp() {
    if (bytes > 0) backedUp = true;
  }

  /** The next message: the oldest, or while backed up the oldest of the highest priority; null when empty. */
  synchronized String poll() {
    Deque<Item> from = next();
    if (from == null) {
      backedUp = false;
      return null;
    }
    Item i = from.pollFirst();
    bytes -= i.json.length();
    if (bytes == 0) backedUp = false;
    return i.json;
  }

  /** The size of the next message, or -1 when empty. */
  synchronized int peekLength() {
    Deque<Item> from = next();
    return from == null ? -1 : from.peekFirst().json.length();
  }

  private Deque<Item> next() {
    if (backedUp) {
      if (!high.isEmpty()) return high;
      if (!medium.isEmpty()) return medium;
      return low.isEmpty() ? null : low;
    }
    Deque<Item> best = null;
    for (Deque<Item> d : java.util.List.of(high, medium, low)) {
      if (!d.isEmpty() && (best == null || d.peekFirst().seq < best.peekFirst().seq)) best = d;
    }
    return best;
  }

  synchronized long bytes() {
    return bytes;
  }

  synchronized boolean isEmpty() {
    return bytes == 0 && high.isEmpty() && medium.isEmpty() && low.isEmpty();
  }
}
