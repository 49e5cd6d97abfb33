package org.maiaos.mesh.node.mesh;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.maiaos.mesh.hypercore.CoreError;
import org.maiaos.mesh.hypercore.Hypercore;
import org.maiaos.mesh.hypercore.HypercoreException;
import org.maiaos.mesh.hypercore.crypto.Caps;
import org.maiaos.mesh.hypercore.crypto.Key32;

/** Named cores and replicas in one directory; the primary key survives, and damage is refused. */
class CoreStoreTest {
  @TempDir Path dir;

  @Test
  void namedCoresKeepTheirKeysAcrossReopens() {
    Key32 key;
    try (CoreStore store = CoreStore.open(dir)) {
      Hypercore bee = store.get("bee");
      assertTrue(bee.writable());
      assertSame(bee, store.get("bee"), "one open core per name");
      assertEquals(StoreKeys.coreKey(store.keyPair("bee")), bee.key());
      assertNotEquals(bee.key(), store.get("other").key());
      bee.append("hello".getBytes());
      key = bee.key();
    }
    try (CoreStore store = CoreStore.open(dir)) {
      Hypercore bee = store.get("bee");
      assertEquals(key, bee.key(), "the same primary key, so the same core");
      assertArrayEquals("hello".getBytes(), bee.get(0));
      assertSame(bee, store.get(key), "our own core by key is the writable one");
      assertEquals(2, store.list().size());
      assertSame(bee, store.byDiscoveryKey(Caps.discoveryKey(key)));
    }
  }

  @Test
  void aGivenPrimaryKeyMustMatchAndAReplicaIsSparseAndReadOnly(@TempDir Path other) {
    Key32 pk = Key32.of(new byte[] {1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1});
    Key32 writerKey;
    try (CoreStore store = CoreStore.open(dir, pk)) {
      writerKey = store.get("bee").key();
    }
    HypercoreException e = assertThrows(HypercoreException.class,
        () -> CoreStore.open(dir, Key32.of(new byte[32])).close());
    assertEquals(CoreError.BAD_ARGUMENT, e.code());
    try (CoreStore store = CoreStore.open(other)) {
      Hypercore replica = store.get(writerKey);
      assertFalse(replica.writable());
      assertEquals(0, replica.length());
    }
  }

  @Test
  void aDamagedPrimaryKeyIsRefusedNotReplaced() throws Exception {
    CoreStore.open(dir).close();
    Path f = dir.resolve(CoreStore.PRIMARY_KEY_FILE);
    byte[] before = Files.readAllBytes(f);
    Files.write(f, new byte[] {1, 2, 3});
    HypercoreException e = assertThrows(HypercoreException.class, () -> CoreStore.open(dir));
    assertEquals(CoreError.STORAGE_CORRUPT, e.code());
    assertEquals(3, Files.size(f), "left as it was for the operator");
    Files.write(f, before);
    CoreStore.open(dir).close();
  }

  @Test
  void temporariesACrashLeftBehindAreRemoved() throws Exception {
    Key32 key;
    try (CoreStore store = CoreStore.open(dir)) {
      key = store.get("bee").key();
    }
    // what a crash between writing and renaming leaves: a half-made core and a half-written key
    Path halfCore = dir.resolve(CoreStore.CORES_DIR).resolve(".tmp-" + "ab".repeat(32));
    Files.createDirectories(halfCore);
    Files.write(halfCore.resolve("header"), new byte[] {9});
    Files.write(dir.resolve(".tmp-" + CoreStore.PRIMARY_KEY_FILE), new byte[] {7});
    try (CoreStore store = CoreStore.open(dir)) {
      assertFalse(Files.exists(halfCore));
      assertFalse(Files.exists(dir.resolve(".tmp-" + CoreStore.PRIMARY_KEY_FILE)));
      assertEquals(List.of(Caps.discoveryKey(key)), store.list());
      assertEquals(key, store.get("bee").key());
    }
  }
}
