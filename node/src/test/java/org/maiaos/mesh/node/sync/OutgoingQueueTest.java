package org.maiaos.mesh.node.sync;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class OutgoingQueueTest {
  private static OutgoingQueue filled() {
    OutgoingQueue q = new OutgoingQueue(1 << 20);
    q.offer("low1", OutgoingQueue.LOW);
    q.offer("med1", OutgoingQueue.MEDIUM);
    q.offer("high1", OutgoingQueue.HIGH);
    q.offer("med2", OutgoingQueue.MEDIUM);
    q.offer("high2", OutgoingQueue.HIGH);
    return q;
  }

  @Test
  void aSocketThatKeepsUpGetsMessagesInPushOrder() {
    OutgoingQueue q = filled();
    for (String s : new String[] {"low1", "med1", "high1", "med2", "high2"}) assertEquals(s, q.poll());
    assertNull(q.poll());
  }

  @Test
  void aBackedUpSocketGetsHighBeforeMediumBeforeLowUntilTheBacklogIsGone() {
    OutgoingQueue q = filled();
    q.backedUp();
    for (String s : new String[] {"high1", "high2", "med1", "med2", "low1"}) assertEquals(s, q.poll());
    assertNull(q.poll());
    assertTrue(q.isEmpty());
    q.offer("a", OutgoingQueue.LOW);
    q.offer("b", OutgoingQueue.HIGH);
    assertEquals("a", q.poll(), "drained: back to push order");
  }

  @Test
  void refusesPastItsByteBoundButAlwaysTakesOneMessage() {
    OutgoingQueue q = new OutgoingQueue(10);
    assertTrue(q.offer("x".repeat(50), OutgoingQueue.HIGH), "a single message larger than the bound still goes");
    assertFalse(q.offer("y", OutgoingQueue.HIGH));
    assertEquals(50, q.bytes());
    q.poll();
    assertTrue(q.offer("0123456789", OutgoingQueue.MEDIUM));
    assertFalse(q.offer("z", OutgoingQueue.LOW));
    assertEquals(10, q.peekLength());
  }
}
