package org.maiaos.mesh.node.sync.protocol;

import static org.maiaos.mesh.hypercore.fuzz.FuzzChecks.bounded;
import static org.maiaos.mesh.hypercore.fuzz.FuzzChecks.decodeOrRefuse;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.nio.charset.StandardCharsets;
import org.maiaos.mesh.cojson.storage.model.Limits;
import org.maiaos.mesh.node.sync.SyncError;

/**
 * One line of a cojson sync frame from any bytes: a message (possibly an IgnoredMessage) or
 * MALFORMED_MESSAGE. A message that is not ignored prints back as JSON that decodes to a message
 * printing the same.
 */
class SyncMessageCodecFuzzTest {
  @FuzzTest
  void lineDecodesOrRefuses(byte[] input) {
    byte[] in = bounded(input);
    SyncMessage m = decodeOrRefuse(() -> SyncMessageCodec.decode(in, Limits.DEFAULT), SyncError.MALFORMED_MESSAGE);
    if (m == null || m instanceof IgnoredMessage) return;
    String json = m.toJson();
    String again = SyncMessageCodec.decode(json.getBytes(StandardCharsets.UTF_8), Limits.DEFAULT).toJson();
    if (!json.equals(again)) throw new AssertionError("sync message round trip changed it:\n  " + json + "\n  " + again);
  }
}
