package org.maiaos.mesh.hyperswarm.dht.rpc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.maiaos.mesh.hypercore.crypto.Key32;
import org.maiaos.mesh.hyperswarm.dht.messages.PeerAddress;

class RoutingTableTest {
  private final List<Node> full = new ArrayList<>();
  private final Key32 self = Key32.of(new byte[32]);
  private final RoutingTable table = new RoutingTable(self, 20, (n, row) -> full.add(n));

  private static Node node(byte[] id, int port) {
    return new Node(Key32.of(id), new PeerAddress("127.0.0.1", port), null);
  }

  private static byte[] id(int firstByte, int secondByte) {
    byte[] b = new byte[32];
    b[0] = (byte) firstByte;
    b[1] = (byte) secondByte;
    return b;
  }

  @Test
  void rowIsTheSharedPrefixLength() {
    assertEquals(0, table.diff(id(0x80, 0)));
    assertEquals(7, table.diff(id(0x01, 0)));
    assertEquals(8, table.diff(id(0, 0x80)));
    assertEquals(255, table.diff(new byte[32]));
  }

  @Test
  void aFullRowRefusesTheNewcomerAndSaysSo() {
    for (int i = 0; i < 20; i++) assertTrue(table.add(node(id(0x80 | i, 0), i + 1)));
    Node extra = node(id(0xff, 0), 99);
    assertFalse(table.add(extra));
    assertEquals(List.of(extra), full);
    assertEquals(20, table.size());
    assertNull(table.get(extra.id));
  }

  @Test
  void addingTheSameIdReplacesInsteadOfGrowing() {
    Node a = node(id(0x80, 1), 1);
    Node b = node(id(0x80, 1), 2);
    table.add(a);
    table.add(b);
    assertEquals(1, table.size());
    assertSame(b, table.get(a.id));
    assertTrue(table.remove(a.id));
    assertFalse(table.remove(a.id));
    assertEquals(0, table.size());
  }

  @Test
  void rowsKeepIdOrder() {
    Random r = new Random(3);
    for (int i = 0; i < 15; i++) table.add(node(id(0x80 | r.nextInt(128), r.nextInt(256)), i + 1));
    List<Node> row = table.row(0);
    for (int i = 1; i < row.size(); i++) {
      assertTrue(java.util.Arrays.compareUnsigned(row.get(i - 1).idBytes, row.get(i).idBytes) < 0);
    }
  }

  @Test
  void closestWalksDownFromTheTargetRowThenUp() {
    Node r0 = node(id(0x80, 0), 1);
    Node r1 = node(id(0x40, 0), 2);
    Node r7 = node(id(0x01, 0), 3);
    table.add(r0);
    table.add(r1);
    table.add(r7);
    // a target in row 1: row 1, then row 0, then rows above
    assertEquals(List.of(r1, r0, r7), table.closest(Key32.of(id(0x40, 5))));
    assertEquals(List.of(r1, r0), table.closest(Key32.of(id(0x40, 5)), 2));
  }

  @Test
  void closestNeverReturnsMoreThanK() {
    Random r = new Random(5);
    for (int i = 0; i < 500; i++) {
      byte[] b = new byte[32];
      r.nextBytes(b);
      table.add(node(b, i + 1));
    }
    assertEquals(20, table.closest(Key32.of(new byte[32])).size());
    assertTrue(table.size() <= 20 * 256);
  }
}
