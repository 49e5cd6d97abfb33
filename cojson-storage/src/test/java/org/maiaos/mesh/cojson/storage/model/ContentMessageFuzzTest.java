package org.maiaos.mesh.cojson.storage.model;

import static org.maiaos.mesh.hypercore.fuzz.FuzzChecks.bounded;
import static org.maiaos.mesh.hypercore.fuzz.FuzzChecks.decodeOrRefuse;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.nio.charset.StandardCharsets;
import org.maiaos.mesh.cojson.storage.StorageError;

/**
 * A cojson {@code content} message from any bytes: a checked message or MALFORMED_CONTENT (the
 * decoder's one documented error). A message prints back as JSON that parses to a message
 * printing the same, and its size and known state are computable.
 */
class ContentMessageFuzzTest {
  @FuzzTest
  void contentParsesOrRefuses(byte[] input) {
    byte[] in = bounded(input);
    ContentMessage m = decodeOrRefuse(() -> ContentMessage.parse(in, Limits.DEFAULT), StorageError.MALFORMED_CONTENT);
    if (m == null) return;
    m.contentSize();
    String json = m.toJson();
    String again = ContentMessage.parse(json.getBytes(StandardCharsets.UTF_8), Limits.DEFAULT).toJson();
    if (!json.equals(again)) throw new AssertionError("content round trip changed it:\n  " + json + "\n  " + again);
  }
}
