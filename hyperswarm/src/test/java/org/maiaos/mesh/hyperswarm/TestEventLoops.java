package org.maiaos.mesh.hyperswarm;

import static org.junit.jupiter.api.Assertions.assertFalse;

import io.netty.channel.EventLoopGroup;
import io.netty.channel.nio.NioEventLoopGroup;
import io.netty.util.concurrent.DefaultThreadFactory;
import java.util.concurrent.TimeUnit;

/** The event loop of a network test class, and the check that stopping it leaves no thread behind. */
public final class TestEventLoops {
  private static final String PREFIX = "hyperswarm-test-io";

  private TestEventLoops() {}

  public static EventLoopGroup start() {
    return new NioEventLoopGroup(2, new DefaultThreadFactory(PREFIX));
  }

  public static void stopAndCheckNoThreadLeft(EventLoopGroup group) throws InterruptedException {
    group.shutdownGracefully(0, 5, TimeUnit.SECONDS).syncUninterruptibly();
    for (Thread t : Thread.getAllStackTraces().keySet()) {
      if (!t.getName().startsWith(PREFIX)) continue;
      t.join(TimeUnit.SECONDS.toMillis(5)); // the termination future completes just before the thread ends
      assertFalse(t.isAlive(), "leaked thread " + t.getName());
    }
  }
}
