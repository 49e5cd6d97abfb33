package org.maiaos.mesh.node.sync;

import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.function.Function;
import org.maiaos.mesh.cojson.storage.model.ContentMessage;
import org.maiaos.mesh.cojson.storage.model.KnownState;

/**
 * The mesh as a region node's sync server sees it. A client's {@code load} of a CoValue not read
 * from the other regions since start first takes in what they hold of it ({@link #read}); that
 * content is verified like a client's before it is stored and served. The server names each
 * CoValue its clients stored ({@link #stored}), so the other regions can read it again, and hears
 * the same of theirs through {@link SyncServer#regionChanged}.
 */
public interface OtherRegions {
  /** A lone sync server: nothing to read, nobody to tell. */
  OtherRegions NONE = new OtherRegions() {
    @Override
    public CompletableFuture<List<ContentMessage>> read(String id, Function<String, KnownState> have) {
      return CompletableFuture.completedFuture(List.of());
    }

    @Override
    public void stored(String id) {}
  };

  /**
   * What the other regions hold of {@code id} beyond {@code have} (what local storage holds of a
   * CoValue), dependencies first, region after region. Never parks a thread on the network; a
   * region that cannot answer is left out (and logged), so the future always completes normally.
   */
  CompletableFuture<List<ContentMessage>> read(String id, Function<String, KnownState> have);

  /**
   * Like {@link #read}, for a CoValue followed here that a change hint says another region just
   * wrote: the reader may fetch what that write appended first.
   */
  default CompletableFuture<List<ContentMessage>> readChanged(String id, Function<String, KnownState> have) {
    return read(id, have);
  }

  /** A client's content of {@code id} is now durable here. Called on the engine thread; must not block. */
  void stored(String id);

  /** What the other regions hold of {@code id} is taken in (stored here, or found not new). Engine thread; must not block. */
  default void taken(String id) {}
}
