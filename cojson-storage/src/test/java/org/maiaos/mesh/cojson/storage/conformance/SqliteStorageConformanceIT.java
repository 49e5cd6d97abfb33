package org.maiaos.mesh.cojson.storage.conformance;

import java.nio.file.Path;
import java.util.function.LongSupplier;
import org.maiaos.mesh.cojson.storage.SqliteStorage;
import org.maiaos.mesh.cojson.storage.StorageApi;

/** The whole storage contract on the SQLite backend. */
class SqliteStorageConformanceIT extends StorageLifecycleSuite {
  @Override
  protected StorageApi open(Path dir, LongSupplier clockMillis) {
    return SqliteStorage.open(dir.resolve("storage.db"), true, clockMillis);
  }
}
