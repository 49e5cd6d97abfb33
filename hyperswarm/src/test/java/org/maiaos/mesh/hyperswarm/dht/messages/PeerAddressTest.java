package org.maiaos.mesh.hyperswarm.dht.messages;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.Random;
import org.junit.jupiter.api.Test;
import org.maiaos.mesh.hypercore.CoreError;
import org.maiaos.mesh.hypercore.HypercoreException;
import org.maiaos.mesh.hypercore.encoding.State;

class PeerAddressTest {
  /** The rule as first written (split on dots, 1-3 digits, at most 255 each), kept as the oracle. */
  private static Integer oracle(String host) {
    String[] parts = host.split("\\.", -1);
    if (parts.length != 4) return null;
    int v = 0;
    for (String p : parts) {
      if (p.isEmpty() || p.length() > 3 || !p.chars().allMatch(c -> c >= '0' && c <= '9')) return null;
      int n = Integer.parseInt(p);
      if (n > 255) return null;
      v = v << 8 | n;
    }
    return v;
  }

  /** The address as the encoder sees it, or null when the record refuses the host. */
  private static Integer parsed(String host) {
    try {
      PeerAddress a = new PeerAddress(host, 7);
      State s = State.of(a.toBytes());
      byte[] b = s.buffer;
      return (b[0] & 0xFF) << 24 | (b[1] & 0xFF) << 16 | (b[2] & 0xFF) << 8 | (b[3] & 0xFF);
    } catch (HypercoreException e) {
      assertEquals(CoreError.BAD_ARGUMENT, e.code());
      return null;
    }
  }

  @Test
  void acceptsExactlyWhatTheSplitRuleAccepts() {
    Random rnd = new Random(20261207);
    String alphabet = "0123456789..9a -";
    int accepted = 0;
    for (int i = 0; i < 100_000; i++) {
      StringBuilder sb = new StringBuilder();
      if (i % 2 == 0) {
        // near-addresses: four numbers of 0-4 digits, sometimes a stray char or dot
        for (int p = 0; p < 4; p++) {
          if (p > 0) sb.append('.');
          int digits = rnd.nextInt(6) == 0 ? rnd.nextInt(5) : 1 + rnd.nextInt(3);
          for (int d = 0; d < digits; d++) sb.append((char) ('0' + rnd.nextInt(10)));
        }
        if (rnd.nextInt(8) == 0) sb.insert(rnd.nextInt(sb.length() + 1), alphabet.charAt(rnd.nextInt(alphabet.length())));
      } else {
        int len = rnd.nextInt(18);
        for (int k = 0; k < len; k++) sb.append(alphabet.charAt(rnd.nextInt(alphabet.length())));
      }
      String host = sb.toString();
      Integer want = oracle(host);
      assertEquals(want, parsed(host), host);
      if (want != null) accepted++;
    }
    assertEquals(true, accepted > 10_000, "too few valid addresses generated: " + accepted);
  }

  @Test
  void decodesWhatItEncodes() {
    PeerAddress a = new PeerAddress("255.0.10.1", 65535);
    assertEquals(a, PeerAddress.decode(State.of(a.toBytes())));
    assertEquals("255.0.10.1:65535", a.key());
    assertEquals(a, PeerAddress.of(a.toSocketAddress()));
  }

  @Test
  void refusesNullAndBadPorts() {
    assertThrows(HypercoreException.class, () -> new PeerAddress(null, 1));
    assertThrows(HypercoreException.class, () -> new PeerAddress("1.2.3.4", 65536));
    assertThrows(HypercoreException.class, () -> new PeerAddress("1.2.3.4", -1));
  }
}
