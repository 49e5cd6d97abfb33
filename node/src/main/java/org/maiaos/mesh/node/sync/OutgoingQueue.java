package org.maiaos.mesh.node.sync;

import java.util.ArrayDeque;
import java.util.Deque;

/**
 * Internal. One client's outgoing messages, strict priority as cojson's {@code
 * PriorityBasedMessageQueue}: HIGH (0) before MEDIUM (3) before LOW (6), FIFO within a level.
 * Bounded by the bytes it holds; {@link #offer} refuses past the bound so the caller can drop the
 * client instead of growing the heap. Thread-safe (the engine offers, the event loop polls).
 */
final class OutgoingQueue {
  static final int HIGH = 0;
  static final int MEDIUM = 3;
  static final int LOW = 6;

  private final Deque<String> high = new ArrayDeque<>();
  private final Deque<String> medium = new ArrayDeque<>();
  private final Deque<String> low = new ArrayDeque<>();
  private final long maxBytes;
  private long bytes;

  OutgoingQueue(long maxBytes) {
    this.maxBytes = maxBytes;
  }

  /** Queues {@code json} (a UTF-16 length counts as its size); false when it would exceed the bound. */
  synchronized boolean offer(String json, int priority) {
    if (bytes + json.length() > maxBytes && bytes > 0) return false;
    bytes += json.length();
    (priority <= HIGH ? high : priority >= LOW ? low : medium).addLast(json);
    return true;
  }

  /** The next message by priority, or null. */
  synchronized String poll() {
    String s = high.pollFirst();
    if (s == null) s = medium.pollFirst();
    if (s == null) s = low.pollFirst();
    if (s != null) bytes -= s.length();
    return s;
  }

  /** The size of the next message, or -1 when empty. */
  synchronized int peekLength() {
    String s = high.peekFirst();
    if (s == null) s = medium.peekFirst();
    if (s == null) s = low.peekFirst();
    return s == null ? -1 : s.length();
  }

  synchronized long bytes() {
    return bytes;
  }

  synchronized boolean isEmpty() {
    return bytes == 0 && high.isEmpty() && medium.isEmpty() && low.isEmpty();
  }
}
