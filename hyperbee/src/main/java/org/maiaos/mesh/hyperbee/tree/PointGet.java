package org.maiaos.mesh.hyperbee.tree;

import java.util.Arrays;
import org.maiaos.mesh.hypercore.CoreError;

/**
 * {@link TreeBatch#get} for a version with no pending blocks (every plain {@code get}): the same
 * walk, the same answers, but over the shared immutable {@link NodeBlock}s instead of a batch's
 * mutable copies, so a get on a warm cache allocates nothing. A batch with pending writes still
 * uses TreeBatch's walk, which sees them.
 */
public final class PointGet {
  private PointGet() {}

  /**
   * The block holding {@code key}'s latest put in the version {@code coreLength} (the core's length
   * when the read started) or {@code checkout} (0: none) sees, or null.
   */
  public static NodeBlock get(BeeCore bee, TreeBatch.Config config, long coreLength, long checkout, byte[] key) {
    long visible = checkout > 0 ? Math.max(coreLength, checkout) : coreLength;
    long version = Math.max(1, checkout > 0 ? checkout : coreLength);
    if (version < 2) return null;
    NodeBlock block = block(bee, visible, version - 1, false);
    long offset = 0;
    for (int depth = 0; ; depth++) {
      TreeBatch.checkDepth(depth);
      YoloIndex.Level level = block.level(offset);
      if (Arrays.equals(block.key(), key)) {
        if (config.jsGetShortcut()) return block.isDeletion() ? null : block;
        for (long k : level.keys()) {
          if (k == block.seq()) return block;
        }
      }
      int s = 0;
      int e = level.keyCount();
      int c = 0;
      while (s < e) {
        int mid = (s + e) >>> 1;
        long k = level.key(mid);
        c = Bytes.compare(key, k == block.seq() ? block.key() : block(bee, visible, k, true).key());
        if (c == 0) return block(bee, visible, k, true);
        if (c < 0) e = mid;
        else s = mid + 1;
      }
      if (level.childCount() == 0) return null;
      int child = c < 0 ? e : s;
      long childSeq = level.childSeq(child);
      offset = level.childOffset(child);
      if (childSeq != block.seq()) block = block(bee, visible, childSeq, true);
    }
  }

  /** As TreeBatch.readable: a pointer beyond the version is a malformed block, a root beyond it is not there. */
  private static NodeBlock block(BeeCore bee, long visible, long seq, boolean pointer) {
    if (seq >= visible) {
      if (pointer) throw CoreError.DECODING_ERROR.error("pointer to block %d beyond the core (%d blocks)", seq, visible);
      throw CoreError.BLOCK_NOT_AVAILABLE.error("block %d is beyond this version (%d blocks)", seq, visible);
    }
    return bee.node(seq);
  }
}
