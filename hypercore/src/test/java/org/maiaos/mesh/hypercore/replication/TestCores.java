package org.maiaos.mesh.hypercore.replication;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.maiaos.mesh.hypercore.Hypercore;
import org.maiaos.mesh.hypercore.HypercoreOptions;
import org.maiaos.mesh.hypercore.crypto.Ed25519;
import org.maiaos.mesh.hypercore.tree.Request;
import org.maiaos.mesh.hypercore.tree.RequestUpgrade;

/** The cores the replication tests hand proofs between, with no network. */
final class TestCores {
  private TestCores() {}

  static byte[] utf8(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  /** A writer in {@code dir} (a fixed key pair) holding {@code "block 0"}, {@code "block 1"}, ... */
  static Hypercore writer(Path dir, int blocks) {
    Hypercore core = Hypercore.create(dir, HypercoreOptions.builder().keyPair(Ed25519.keyPair(new byte[32])).build());
    List<byte[]> batch = new ArrayList<>();
    for (int i = 0; i < blocks; i++) batch.add(utf8("block " + i));
    core.append(batch);
    return core;
  }

  /** A replica of {@code w} that has verified its head and holds no block. */
  static Hypercore headOnlyReplica(Path dir, Hypercore w) {
    Hypercore r = Hypercore.createReplica(dir, w.key(), w.manifest());
    r.replication().verifyAndStore(w.replication().proof(new Request(1, 0, null, null, null, new RequestUpgrade(0, w.length()), false, 0)));
    return r;
  }
}
