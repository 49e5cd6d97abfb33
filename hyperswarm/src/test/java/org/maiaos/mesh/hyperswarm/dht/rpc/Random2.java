package org.maiaos.mesh.hyperswarm.dht.rpc;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.maiaos.mesh.hypercore.crypto.Key32;
import org.maiaos.mesh.hyperswarm.dht.messages.DhtRequest;
import org.maiaos.mesh.hyperswarm.dht.messages.DhtResponse;
import org.maiaos.mesh.hyperswarm.dht.messages.PeerAddress;

/** Random dht-rpc messages for the codec tests, covering every flag and every uint width. */
final class Random2 {
  private Random2() {}

  static PeerAddress address(Random r) {
    return new PeerAddress(r.nextInt(256) + "." + r.nextInt(256) + "." + r.nextInt(256) + "." + r.nextInt(256),
        r.nextInt(65536));
  }

  static Key32 key(Random r) {
    byte[] b = new byte[32];
    r.nextBytes(b);
    return Key32.of(b);
  }

  static byte[] value(Random r) {
    byte[] v = new byte[r.nextInt(4) == 0 ? 253 + r.nextInt(400) : r.nextInt(40)];
    r.nextBytes(v);
    return v;
  }

  static long uint(Random r) {
    switch (r.nextInt(4)) {
      case 0: return r.nextInt(0xfd);
      case 1: return r.nextInt(0x10000);
      case 2: return r.nextLong() & 0xFFFFFFFFL;
      default: return r.nextLong() & ((1L << 53) - 1);
    }
  }

  static DhtRequest request(Random r) {
    return new DhtRequest(r.nextInt(65536), address(r), r.nextBoolean() ? key(r) : null, r.nextBoolean() ? key(r) : null,
        r.nextBoolean(), uint(r), r.nextBoolean() ? key(r) : null, r.nextBoolean() ? value(r) : null);
  }

  static DhtResponse response(Random r) {
    List<PeerAddress> nodes = new ArrayList<>();
    int n = r.nextBoolean() ? 0 : 1 + r.nextInt(20);
    for (int i = 0; i < n; i++) nodes.add(address(r));
    return new DhtResponse(r.nextInt(65536), address(r), r.nextBoolean() ? key(r) : null, r.nextBoolean() ? key(r) : null,
        nodes, r.nextBoolean() ? 0 : uint(r), r.nextBoolean() ? value(r) : null);
  }
}
