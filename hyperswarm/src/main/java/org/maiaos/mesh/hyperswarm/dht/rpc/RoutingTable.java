package org.maiaos.mesh.hyperswarm.dht.rpc;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.function.BiConsumer;
import org.maiaos.mesh.hypercore.crypto.Key32;

/**
 * The Kademlia table of {@code kademlia-routing-table}: 256 rows indexed by the number of leading
 * bits an id shares with ours, each holding at most k nodes sorted by id. A full row refuses the
 * newcomer and tells {@code onFullRow}, so the node can re-ping the row's oldest and swap.
 * {@link #closest} walks from the shared-prefix row down to row 0, then up: the same approximate
 * order JS produces, so closer-node lists match.
 */
final class RoutingTable {
  public static final int K = 20;
  private final Key32 id;
  private final byte[] idBytes;
  private final int k;
  @SuppressWarnings("unchecked")
  private final List<Node>[] rows = new List[256];
  private final BiConsumer<Node, Integer> onFullRow;
  private int size;

  RoutingTable(Key32 id, int k, BiConsumer<Node, Integer> onFullRow) {
    this.id = id;
    this.idBytes = id.toByteArray();
    this.k = k;
    this.onFullRow = onFullRow;
  }

  public Key32 id() {
    return id;
  }

  public int k() {
    return k;
  }

  public int size() {
    return size;
  }

  /** Row index: leading bits shared with our id; our own id is row 255. */
  int diff(byte[] other) {
    for (int i = 0; i < 32; i++) {
      int x = (other[i] ^ idBytes[i]) & 0xFF;
      if (x != 0) return i * 8 + Integer.numberOfLeadingZeros(x) - 24;
    }
    return 255;
  }

  /** Adds or replaces by id; false when the row is full (after telling {@code onFullRow}). */
  boolean add(Node node) {
    int r = diff(node.idBytes);
    List<Node> row = rows[r];
    if (row == null) row = rows[r] = new ArrayList<>(4);
    int at = search(row, node.idBytes, r >> 3);
    if (at >= 0) {
      row.set(at, node);
      return true;
    }
    if (row.size() >= k) {
      onFullRow.accept(node, r);
      return false;
    }
    row.add(-at - 1, node);
    size++;
    return true;
  }

  boolean remove(Key32 nodeId) {
    byte[] b = nodeId.toByteArray();
    int r = diff(b);
    List<Node> row = rows[r];
    if (row == null) return false;
    int at = search(row, b, r >> 3);
    if (at < 0) return false;
    row.remove(at);
    size--;
    return true;
  }

  public Node get(Key32 nodeId) {
    byte[] b = nodeId.toByteArray();
    int r = diff(b);
    List<Node> row = rows[r];
    if (row == null) return null;
    int at = search(row, b, r >> 3);
    return at < 0 ? null : row.get(at);
  }

  /** The nodes of row {@code r}, in id order (a copy). */
  List<Node> row(int r) {
    return rows[r] == null ? List.of() : List.copyOf(rows[r]);
  }

  public List<Node> closest(Key32 target) {
    return closest(target, k);
  }

  public List<Node> closest(Key32 target, int limit) {
    List<Node> out = new ArrayList<>(Math.min(limit, Math.max(size, 0)));
    int d = diff(target.toByteArray());
    for (int i = d; i >= 0 && out.size() < limit; i--) push(i, limit, out);
    for (int i = d + 1; i < rows.length && out.size() < limit; i++) push(i, limit, out);
    return out;
  }

  private void push(int i, int limit, List<Node> out) {
    List<Node> row = rows[i];
    if (row == null) return;
    int n = Math.min(limit - out.size(), row.size());
    for (int j = 0; j < n; j++) out.add(row.get(j));
  }

  public List<Node> toList() {
    return closest(id, Integer.MAX_VALUE);
  }

  Node random(Random random) {
    if (size == 0) return null;
    int n = random.nextInt(size);
    for (List<Node> row : rows) {
      if (row == null) continue;
      if (n < row.size()) return row.get(n);
      n -= row.size();
    }
    return null;
  }

  /** Binary search by id, comparing from the row's first differing byte as JS does. */
  private static int search(List<Node> row, byte[] idb, int fromByte) {
    int l = 0;
    int r = row.size() - 1;
    while (l <= r) {
      int m = (l + r) >>> 1;
      int c = compare(idb, row.get(m).idBytes, fromByte);
      if (c == 0) return m;
      if (c < 0) r = m - 1;
      else l = m + 1;
    }
    return -(l + 1);
  }

  private static int compare(byte[] a, byte[] b, int from) {
    for (int i = from; i < a.length; i++) {
      int x = a[i] & 0xFF;
      int y = b[i] & 0xFF;
      if (x != y) return x < y ? -1 : 1;
    }
    return 0;
  }
}
