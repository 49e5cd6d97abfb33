package org.maiaos.mesh.hyperswarm.dht.rpc;

import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.Arrays;
import org.maiaos.mesh.hypercore.crypto.Blake2b;
import org.maiaos.mesh.hypercore.crypto.Key32;

/**
 * Write tokens ({@code dht-rpc/lib/io.js token()/_drain()}): a token for a host is its dotted
 * string hashed with a secret as BLAKE2b key, so a node proves it can receive at that IP before it
 * may write. Two secrets: replies carry {@code token(host, 1)}, and a token made with either is
 * accepted. Every {@link #ROTATE_TICKS} drain ticks {@code s0 = s1, s1 = H(old s0)}, so a token
 * lives 7.5 to 15 s. Ticks come from the caller, so tests rotate without waiting.
 */
final class Tokens {
  public static final int ROTATE_TICKS = 10;
  private final byte[][] secrets;
  private int untilRotate = ROTATE_TICKS;

  public Tokens(SecureRandom random) {
    secrets = new byte[2][32];
    random.nextBytes(secrets[0]);
    random.nextBytes(secrets[1]);
  }

  /** For tests: fixed secrets. */
  Tokens(byte[] s0, byte[] s1) {
    secrets = new byte[][] {s0.clone(), s1.clone()};
  }

  public Key32 token(String host, int secret) {
    return Key32.of(Blake2b.keyed(secrets[secret], host.getBytes(StandardCharsets.US_ASCII)));
  }

  /** The token handed out in replies to {@code host}. */
  public Key32 current(String host) {
    return token(host, 1);
  }

  public boolean accepts(String host, Key32 token) {
    return token.equals(token(host, 1)) || token.equals(token(host, 0));
  }

  /** One 750 ms drain tick; rotates on every tenth. */
  public void tick() {
    if (--untilRotate > 0) return;
    untilRotate = ROTATE_TICKS;
    byte[] old = secrets[0];
    secrets[0] = secrets[1];
    secrets[1] = Blake2b.hash(old);
    Arrays.fill(old, (byte) 0);
  }
}
