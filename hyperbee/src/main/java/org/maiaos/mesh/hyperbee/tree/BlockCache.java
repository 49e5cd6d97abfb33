package org.maiaos.mesh.hyperbee.tree;

import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The decoded blocks of one core, least recently used first out, bounded by an approximate byte
 * budget. Entries are immutable {@link NodeBlock}s, so one cache serves a bee and all its views;
 * it is cleared when the core's fork changes (a truncation may give a seq new contents).
 */
public final class BlockCache {
  private final long maxBytes;
  private final LinkedHashMap<Long, NodeBlock> map = new LinkedHashMap<>(256, 0.75f, true);
  private long bytes;
  private long fork;

  public BlockCache(long maxBytes) {
    this.maxBytes = maxBytes;
  }

  synchronized NodeBlock get(long fork, long seq) {
    if (fork != this.fork) return null;
    return map.get(seq);
  }

  synchronized void put(long fork, NodeBlock block) {
    if (maxBytes <= 0) return;
    if (fork != this.fork) {
      clearLocked();
      this.fork = fork;
    }
    NodeBlock old = map.put(block.seq(), block);
    if (old != null) bytes -= old.weight();
    bytes += block.weight();
    Iterator<Map.Entry<Long, NodeBlock>> it = map.entrySet().iterator();
    while (bytes > maxBytes && it.hasNext()) {
      bytes -= it.next().getValue().weight();
      it.remove();
    }
  }

  public synchronized void clear() {
    clearLocked();
  }

  private void clearLocked() {
    map.clear();
    bytes = 0;
  }

  public synchronized int size() {
    return map.size();
  }
}
