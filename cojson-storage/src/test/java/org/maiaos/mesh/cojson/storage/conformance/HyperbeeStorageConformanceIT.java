package org.maiaos.mesh.cojson.storage.conformance;

import java.nio.file.Path;
import java.util.function.LongSupplier;
import org.maiaos.mesh.cojson.storage.HyperbeeStorage;
import org.maiaos.mesh.cojson.storage.StorageApi;

/** The whole storage contract on the Hyperbee backend. */
class HyperbeeStorageConformanceIT extends StorageLifecycleSuite {
  @Override
  protected StorageApi open(Path dir, LongSupplier clockMillis) {
    return HyperbeeStorage.open(dir.resolve("bee"), clockMillis);
  }
}
