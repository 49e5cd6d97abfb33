package org.maiaos.mesh.hypercore.manifest;

import static org.maiaos.mesh.hypercore.fuzz.FuzzChecks.bounded;
import static org.maiaos.mesh.hypercore.fuzz.FuzzChecks.decodeOrRefuse;
import static org.maiaos.mesh.hypercore.fuzz.FuzzChecks.requireSame;

import com.code_intelligence.jazzer.junit.FuzzTest;
import org.maiaos.mesh.hypercore.CoreError;
import org.maiaos.mesh.hypercore.encoding.Codecs;

/** A manifest (sent in {@code wire.data}, kept in the header) from any bytes: a manifest or DECODING_ERROR. */
class ManifestFuzzTest {
  @FuzzTest
  void decodesOrRefuses(byte[] input) {
    Manifest m = decodeOrRefuse(() -> Manifest.decode(bounded(input)), CoreError.DECODING_ERROR);
    if (m == null) return;
    m.toString();
    byte[] again = Codecs.encode(m, Manifest::preencode, Manifest::encode);
    requireSame(m, Manifest.decode(again));
  }
}
