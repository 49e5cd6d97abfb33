package org.maiaos.mesh.cojson.storage;

import java.nio.file.Path;
import java.util.function.LongSupplier;

/**
 * cojson's storage on SQLite (sqlite-jdbc): the schema of cojson-storage-sqlite (user_version 7),
 * WAL journal, every {@code store} one transaction, committed with {@code synchronous=FULL} before
 * {@code done} runs. The baseline backend, and the node's local cache.
 */
public final class SqliteStorage extends StorageEngine {
  private SqliteStorage(SqliteBackend db, LongSupplier clock) {
    super(db, clock);
  }

  /** Opens (creating or migrating) the database file {@code file}. */
  public static SqliteStorage open(Path file) {
    return new SqliteStorage(new SqliteBackend(file, true), System::currentTimeMillis);
  }

  /**
   * Opens with options: {@code synchronousFull=false} uses {@code synchronous=NORMAL} (a commit
   * survives a killed process but maybe not a power cut); {@code clockMillis} is the lock clock.
   */
  public static SqliteStorage open(Path file, boolean synchronousFull, LongSupplier clockMillis) {
    return new SqliteStorage(new SqliteBackend(file, synchronousFull), clockMillis);
  }
}
