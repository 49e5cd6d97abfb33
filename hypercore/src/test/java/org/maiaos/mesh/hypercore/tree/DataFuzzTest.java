package org.maiaos.mesh.hypercore.tree;

import static org.maiaos.mesh.hypercore.fuzz.FuzzChecks.bounded;
import static org.maiaos.mesh.hypercore.fuzz.FuzzChecks.decodeOrRefuse;
import static org.maiaos.mesh.hypercore.fuzz.FuzzChecks.requireSame;

import com.code_intelligence.jazzer.junit.FuzzTest;
import org.maiaos.mesh.hypercore.CoreError;

/**
 * {@code wire.data} (block, hash, seek and upgrade proofs, manifest) from any bytes: a message or
 * DECODING_ERROR, and decode∘encode is the identity.
 */
class DataFuzzTest {
  @FuzzTest
  void decodesOrRefuses(byte[] input) {
    Data d = decodeOrRefuse(() -> Data.decode(bounded(input)), CoreError.DECODING_ERROR);
    if (d == null) return;
    d.toString();
    requireSame(d, Data.decode(d.encode()));
  }
}
