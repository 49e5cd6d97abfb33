package org.maiaos.mesh.hypercore.tree;

import static org.maiaos.mesh.hypercore.fuzz.FuzzChecks.bounded;
import static org.maiaos.mesh.hypercore.fuzz.FuzzChecks.decodeOrRefuse;
import static org.maiaos.mesh.hypercore.fuzz.FuzzChecks.requireSame;

import com.code_intelligence.jazzer.junit.FuzzTest;
import org.maiaos.mesh.hypercore.CoreError;

/** {@code wire.request} from any bytes: a request or DECODING_ERROR, and decode∘encode is the identity. */
class RequestFuzzTest {
  @FuzzTest
  void decodesOrRefuses(byte[] input) {
    Request r = decodeOrRefuse(() -> Request.decode(bounded(input)), CoreError.DECODING_ERROR);
    if (r == null) return;
    r.toString();
    requireSame(r, Request.decode(r.encode()));
  }
}
