package org.maiaos.mesh.hyperswarm.dht.rpc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.security.SecureRandom;
import org.junit.jupiter.api.Test;
import org.maiaos.mesh.hypercore.crypto.Blake2b;
import org.maiaos.mesh.hypercore.crypto.Key32;

class TokensTest {
  @Test
  void tokenIsTheHostKeyedWithTheSecretAndIgnoresThePort() {
    byte[] s0 = new byte[32];
    byte[] s1 = new byte[32];
    s1[0] = 1;
    Tokens t = new Tokens(s0, s1);
    assertEquals(Key32.of(Blake2b.keyed(s1, "127.0.0.1".getBytes())), t.current("127.0.0.1"));
    assertEquals(Key32.of(Blake2b.keyed(s0, "127.0.0.1".getBytes())), t.token("127.0.0.1", 0));
    assertNotEquals(t.current("127.0.0.1"), t.current("127.0.0.2"));
  }

  @Test
  void aTokenLivesThroughOneRotationAndDiesAtTheSecond() {
    Tokens t = new Tokens(new SecureRandom());
    Key32 token = t.current("10.0.0.1");
    for (int i = 0; i < Tokens.ROTATE_TICKS - 1; i++) t.tick();
    assertEquals(token, t.current("10.0.0.1"), "no rotation before the tenth tick");
    t.tick();
    assertNotEquals(token, t.current("10.0.0.1"));
    assertTrue(t.accepts("10.0.0.1", token), "still accepted with the previous secret");
    for (int i = 0; i < Tokens.ROTATE_TICKS; i++) t.tick();
    assertFalse(t.accepts("10.0.0.1", token));
  }

  @Test
  void rotationHashesTheOldFirstSecret() {
    byte[] s0 = new byte[32];
    byte[] s1 = new byte[32];
    s0[5] = 9;
    s1[5] = 7;
    Tokens t = new Tokens(s0, s1);
    for (int i = 0; i < Tokens.ROTATE_TICKS; i++) t.tick();
    assertEquals(Key32.of(Blake2b.keyed(s1, "h".getBytes())), t.token("h", 0));
    assertEquals(Key32.of(Blake2b.keyed(Blake2b.hash(s0), "h".getBytes())), t.token("h", 1));
  }

  @Test
  void refusesATokenForAnotherHost() {
    Tokens t = new Tokens(new SecureRandom());
    assertFalse(t.accepts("10.0.0.2", t.current("10.0.0.1")));
  }
}
