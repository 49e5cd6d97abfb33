package org.maiaos.mesh.cojson.storage.conformance;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import java.util.function.LongSupplier;
import org.junit.jupiter.api.Test;
import org.maiaos.mesh.cojson.storage.HybridStorage;
import org.maiaos.mesh.cojson.storage.HyperbeeStorage;
import org.maiaos.mesh.cojson.storage.SqliteStorage;
import org.maiaos.mesh.cojson.storage.StorageApi;
import org.maiaos.mesh.cojson.storage.interop.CojsonFixtures;
import org.maiaos.mesh.cojson.storage.model.ContentMessage;

/**
 * The whole storage contract on {@code --storage hybrid} (SQLite primary, region bee following),
 * and that the bee holds what SQLite holds after every write, even after falling behind.
 */
class HybridStorageConformanceIT extends StorageLifecycleSuite {
  @Override
  protected StorageApi open(Path dir, LongSupplier clockMillis) {
    return HybridStorage.of(SqliteStorage.open(dir.resolve("local.sqlite"), true, clockMillis), HyperbeeStorage.open(dir.resolve("bee"), clockMillis));
  }

  /** Every fixture as the bee serves it equals what SQLite serves: transactions, known state. */
  private void assertBeeHoldsWhatSqliteHolds() {
    storage.close();
    try (SqliteStorage sqlite = SqliteStorage.open(dir.resolve("local.sqlite"), true, clock::get);
        HyperbeeStorage bee = HyperbeeStorage.open(dir.resolve("bee"), clock::get)) {
      for (CojsonFixtures.Value v : fx.all()) {
        assertEquals(sqlite.loadKnownState(v.id()), bee.loadKnownState(v.id()), v.name());
        assertEquals(Loaded.of(sqlite, v.id()).transactionsOf(v.id()), Loaded.of(bee, v.id()).transactionsOf(v.id()), v.name());
      }
    } finally {
      storage = open(dir, clock::get);
    }
  }

  @Test
  void theRegionBeeHoldsEveryWriteAsSqliteDoes() {
    storeAllFixtures(true);
    assertBeeHoldsWhatSqliteHolds();
  }

  @Test
  void aBeeThatFellBehindCatchesUpAtTheValuesNextWrite() {
    // as after a crash between the two commits: SQLite has the first messages of every value, the bee none
    storage.close();
    try (SqliteStorage sqlite = SqliteStorage.open(dir.resolve("local.sqlite"), true, clock::get)) {
      for (CojsonFixtures.Value v : fx.all()) {
        List<ContentMessage> msgs = v.incrementalMessages();
        for (ContentMessage m : msgs.subList(0, Math.max(1, msgs.size() / 2))) assertTrue(sqlite.store(m, NO_CORRECTION, null));
      }
    }
    storage = open(dir, clock::get);
    for (CojsonFixtures.Value v : fx.all()) {
      List<ContentMessage> msgs = v.incrementalMessages();
      storeAll(msgs.subList(Math.max(1, msgs.size() / 2), msgs.size()));
      if (msgs.size() == 1) storeAll(msgs); // nothing new: the value's next write is this repeat
    }
    assertBeeHoldsWhatSqliteHolds();
  }
}
