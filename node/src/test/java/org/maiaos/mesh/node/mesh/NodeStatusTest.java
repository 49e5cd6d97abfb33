package org.maiaos.mesh.node.mesh;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.maiaos.mesh.hypercore.crypto.Key32;

class NodeStatusTest {
  private static final Key32 A = Key32.fromHex("aa".repeat(32));
  private static final Key32 B = Key32.fromHex("bb".repeat(32));
  private static final Key32 C = Key32.fromHex("cc".repeat(32));
  private static final Key32 D = Key32.fromHex("dd".repeat(32));

  @Test
  void writesTheStatusShapeOfCliMd() {
    NodeStatus s = new NodeStatus("us", A, B, 5, 2, List.of(new NodeStatus.Peer("eu", C, D, true, 9, 4)));
    assertEquals("{\"region\":\"us\",\"publicKey\":\"" + A.hex() + "\",\"beeKey\":\"" + B.hex() + "\",\"beeLength\":5,"
        + "\"clients\":2,\"peers\":[{\"region\":\"eu\",\"publicKey\":\"" + C.hex() + "\",\"beeKey\":\"" + D.hex() + "\","
        + "\"connected\":true,\"remoteLength\":9,\"downloadedBlocks\":4}]}", s.toJson());
  }

  @Test
  void writesAnEmptyPeerList() {
    assertEquals("{\"region\":\"us\",\"publicKey\":\"" + A.hex() + "\",\"beeKey\":\"" + B.hex() + "\",\"beeLength\":0,"
        + "\"clients\":0,\"peers\":[]}", new NodeStatus("us", A, B, 0, 0, List.of()).toJson());
  }

  @Test
  void keepsItsOwnCopyOfThePeers() {
    List<NodeStatus.Peer> peers = new ArrayList<>(List.of(new NodeStatus.Peer("eu", C, D, false, 0, 0)));
    NodeStatus s = new NodeStatus("us", A, B, 0, 0, peers);
    peers.clear();
    assertEquals(1, s.peers().size());
    assertThrows(UnsupportedOperationException.class, () -> s.peers().clear());
  }
}
