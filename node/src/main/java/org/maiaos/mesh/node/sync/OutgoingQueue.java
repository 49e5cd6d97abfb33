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

  /** Created with the first message, dropped once drained: an idle client's queue holds no arrays. */
  private Deque<Item> high;
  private Deque<Item> medium;
  private Deque<Item> low;
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
    Deque<Item> to;
    if (priority <= HIGH) to = high == null ? (high = new ArrayDeque<>()) : high;
    else if (priority >= LOW) to = low == null ? (low = new ArrayDeque<>()) : low;
    else to = medium == null ? (medium = new ArrayDeque<>()) : medium;
    to.addLast(new Item(seq++, json));
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
    if (bytes == 0) {
      backedUp = false;
      if (empty(high) && empty(medium) && empty(low)) high = medium = low = null; // drained: give the arrays back
    }
    return i.json;
  }

  /** The size of the next message, or -1 when empty. */
  synchronized int peekLength() {
    Deque<Item> from = next();
    return from == null ? -1 : from.peekFirst().json.length();
  }

  private Deque<Item> next() {
    if (backedUp) {
      if (!empty(high)) return high;
      if (!empty(medium)) return medium;
      return empty(low) ? null : low;
    }
    Deque<Item> best = empty(high) ? null : high;
    if (!empty(medium) && (best == null || medium.peekFirst().seq < best.peekFirst().seq)) best = medium;
    if (!empty(low) && (best == null || low.peekFirst().seq < best.peekFirst().seq)) best = low;
    return best;
  }

  private static boolean empty(Deque<Item> d) {
    return d == null || d.isEmpty();
  }

  synchronized long bytes() {
    return bytes;
  }

  synchronized boolean isEmpty() {
    return bytes == 0 && empty(high) && empty(medium) && empty(low);
  }
}
