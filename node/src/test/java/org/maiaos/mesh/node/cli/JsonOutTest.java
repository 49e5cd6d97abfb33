package org.maiaos.mesh.node.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.junit.jupiter.api.Test;

class JsonOutTest {
  @Test
  void writesFieldsInOrderAndEscapesStrings() {
    assertEquals("{\"a\":1,\"b\":null,\"c\":\"x\\\"\\n\",\"d\":true}",
        new JsonOut().put("a", 1).put("b", null).put("c", "x\"\n").put("d", true).toString());
  }

  @Test
  void writesAListAsAnArrayOfStrings() {
    assertEquals("{\"publicKey\":\"ab\",\"relayAddresses\":[\"1.2.3.4:5\",\"q\\\"\"]}",
        new JsonOut().put("publicKey", "ab").put("relayAddresses", List.of("1.2.3.4:5", "q\"")).toString());
    assertEquals("{\"relayAddresses\":[]}", new JsonOut().put("relayAddresses", List.of()).toString());
  }
}
