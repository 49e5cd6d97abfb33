package org.maiaos.mesh.hyperswarm.dht.rpc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.maiaos.mesh.hypercore.HypercoreException;
import org.maiaos.mesh.hyperswarm.dht.messages.PeerAddress;

class DhtRpcOptionsTest {
  @Test
  void theDefaultBootstrapListIsEmptyAndTheHostIsLoopback() {
    assertTrue(DhtRpcOptions.DEFAULT.bootstrap().isEmpty(), "never a public node by default");
    assertEquals("127.0.0.1", DhtRpcOptions.DEFAULT.host());
    assertTrue(DhtRpcOptions.persistent(null).bootstrap().isEmpty());
  }

  @Test
  void parsesHostPortAndSuggestedIpEntriesWithoutDns() {
    assertEquals(List.of(new PeerAddress("127.0.0.1", 49737), new PeerAddress("192.0.2.1", 49737)),
        DhtRpcOptions.parseBootstrap(List.of("127.0.0.1:49737", "192.0.2.1@node1.example.invalid:49737")));
    assertThrows(HypercoreException.class, () -> DhtRpcOptions.parseBootstrap(List.of("127.0.0.1")));
    assertThrows(HypercoreException.class, () -> DhtRpcOptions.parseBootstrap(List.of("node1.example.invalid:49737")));
    assertThrows(HypercoreException.class, () -> DhtRpcOptions.parseBootstrap(List.of("1.2.3.4:x")));
  }
}
