package org.maiaos.mesh.hyperswarm.dht.rpc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.channel.EventLoop;
import io.netty.channel.EventLoopGroup;
import io.netty.util.concurrent.DefaultThreadFactory;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.maiaos.mesh.hyperswarm.udx.UdxEventLoops;

class EventLoopSchedulerTest {
  private final EventLoopGroup group = UdxEventLoops.newGroup(1, new DefaultThreadFactory("scheduler-test"));
  private final EventLoop loop = group.next();
  private final EventLoopScheduler scheduler = new EventLoopScheduler(loop);

  @AfterEach
  void tearDown() throws Exception {
    group.shutdownGracefully(0, 1, TimeUnit.SECONDS).await(10, TimeUnit.SECONDS);
  }

  @Test
  void executeRunsLaterOnTheLoopInOrder() throws Exception {
    List<String> seen = new CopyOnWriteArrayList<>();
    LinkedBlockingQueue<Boolean> done = new LinkedBlockingQueue<>();
    scheduler.execute(() -> {
      // from the loop itself a task still waits its turn: the caller finishes first
      scheduler.execute(() -> {
        seen.add("inner");
        done.add(loop.inEventLoop());
      });
      seen.add("outer");
    });
    assertEquals(Boolean.TRUE, done.poll(10, TimeUnit.SECONDS));
    assertEquals(List.of("outer", "inner"), seen);
  }

  @Test
  void scheduledTasksRunAfterTheirDelayAndCancelledOnesNever() throws Exception {
    LinkedBlockingQueue<String> ran = new LinkedBlockingQueue<>();
    long t0 = scheduler.nowMillis();
    Scheduler.Cancellable off = scheduler.schedule(50, () -> ran.add("cancelled"));
    scheduler.schedule(100, () -> ran.add("kept@" + (scheduler.nowMillis() - t0)));
    off.cancel();
    String first = ran.poll(10, TimeUnit.SECONDS);
    assertTrue(first.startsWith("kept@"), first);
    assertTrue(Long.parseLong(first.substring(5)) >= 100, first);
    assertNull(ran.poll(200, TimeUnit.MILLISECONDS));
  }

  @Test
  void afterTheLoopStopsTasksAreDroppedNotThrown() throws Exception {
    group.shutdownGracefully(0, 1, TimeUnit.SECONDS).await(10, TimeUnit.SECONDS);
    LinkedBlockingQueue<String> ran = new LinkedBlockingQueue<>();
    scheduler.execute(() -> ran.add("run"));
    scheduler.schedule(1, () -> ran.add("scheduled")).cancel();
    scheduler.schedule(1, () -> ran.add("scheduled"));
    assertNull(ran.poll(100, TimeUnit.MILLISECONDS));
    assertFalse(loop.inEventLoop());
  }
}
