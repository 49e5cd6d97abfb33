package org.maiaos.mesh.hyperswarm.replication;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/** What a test opened (cores, replicators, channels), closed after each test in reverse order. */
final class Tracked implements AfterEachCallback {
  private final List<AutoCloseable> open = new ArrayList<>();

  <T extends AutoCloseable> T track(T c) {
    open.add(c);
    return c;
  }

  @Override
  public void afterEach(ExtensionContext context) throws Exception {
    try {
      for (int i = open.size() - 1; i >= 0; i--) open.get(i).close();
    } finally {
      open.clear();
    }
  }
}
