package org.maiaos.mesh.node.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.maiaos.mesh.hyperswarm.dht.messages.PeerAddress;

/** {@code --bootstrap} lists as the CLI parses them; no name lookups, no network. */
class BootstrapTest {
  @Test
  void parsesTrimsAndDeduplicatesInOrder() {
    assertEquals(List.of(new PeerAddress("127.0.0.1", 5), new PeerAddress("10.0.0.1", 6)),
        Bootstrap.parse(" 127.0.0.1:5 , 10.0.0.1:6,127.0.0.1:5"));
  }

  @Test
  void anEmptyListIsNoNodesButRequiredRefusesIt() {
    assertEquals(List.of(), Bootstrap.parse(""));
    CliException e = assertThrows(CliException.class, () -> Bootstrap.required(" "));
    assertTrue(e.getMessage().startsWith("BAD_ARGUMENT: --bootstrap needs at least one HOST:PORT"), e.getMessage());
  }

  @Test
  void refusesMalformedEntriesNamingThem() {
    for (String bad : List.of("127.0.0.1", "127.0.0.1:", ":5", "127.0.0.1:x", "127.0.0.1:70000", "127.0.0.1:0", "127.0.0.1:5,,127.0.0.1:6",
        "256.0.0.1:5", "[::1]:5")) {
      CliException e = assertThrows(CliException.class, () -> Bootstrap.parse(bad), bad);
      assertTrue(e.getMessage().startsWith("BAD_ARGUMENT: "), e.getMessage());
    }
  }
}
