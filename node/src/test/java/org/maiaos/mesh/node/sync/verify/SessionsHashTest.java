package org.maiaos.mesh.node.sync.verify;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.maiaos.mesh.cojson.storage.model.Base58;
import org.maiaos.mesh.cojson.storage.model.Blake3;
import org.maiaos.mesh.cojson.storage.model.KnownState;

class SessionsHashTest {
  private static String expected(String canonical) {
    return "shortHash_z" + Base58.encode(Blake3.hash(canonical.getBytes(StandardCharsets.UTF_8), 19));
  }

  @Test
  void isTheShortHashOfTheSortedSessionsObject() {
    Map<String, Long> sessions = new LinkedHashMap<>();
    sessions.put("co_zB_session_zY", 3L);
    sessions.put("co_zA_session_zX", 12L);
    sessions.put("sealer_zS/signer_zT_session_zQ", 1L);
    assertEquals(expected("{\"co_zA_session_zX\":12,\"co_zB_session_zY\":3,\"sealer_zS/signer_zT_session_zQ\":1}"), SessionsHash.of(sessions));
    assertEquals(SessionsHash.of(sessions), SessionsHash.of(new KnownState("co_zV", true, sessions)));
  }

  @Test
  void anEmptyStateHashesTheEmptyObject() {
    assertEquals(expected("{}"), SessionsHash.of(KnownState.empty("co_zV")));
  }

  @Test
  void orderDoesNotMatterButCountsDo() {
    Map<String, Long> a = new LinkedHashMap<>();
    a.put("x_session_z1", 1L);
    a.put("y_session_z2", 2L);
    Map<String, Long> b = new LinkedHashMap<>();
    b.put("y_session_z2", 2L);
    b.put("x_session_z1", 1L);
    assertEquals(SessionsHash.of(a), SessionsHash.of(b));
    b.put("x_session_z1", 2L);
    assertNotEquals(SessionsHash.of(a), SessionsHash.of(b));
  }
}
