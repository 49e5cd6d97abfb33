package org.maiaos.mesh.hyperswarm.wire;

import org.maiaos.mesh.hypercore.encoding.State;
import org.maiaos.mesh.hypercore.encoding.Uint;

/**
 * Message 0, {@code sync}: the sender's fork and length, and the length it believes the receiver
 * has ({@code uint flags | uint fork | uint length | uint remoteLength}).
 */
public record Sync(long fork, long length, long remoteLength,
    boolean canUpgrade, boolean uploading, boolean downloading, boolean hasManifest, boolean allowPush) {
  public Sync {
    Checks.requireUint(fork, "fork");
    Checks.requireUint(length, "length");
    Checks.requireUint(remoteLength, "remoteLength");
  }

  int flags() {
    return (canUpgrade ? 1 : 0) | (uploading ? 2 : 0) | (downloading ? 4 : 0) | (hasManifest ? 8 : 0) | (allowPush ? 16 : 0);
  }

  public static void preencode(State s, Sync m) {
    s.end++; // flags
    Uint.preencode(s, m.fork);
    Uint.preencode(s, m.length);
    Uint.preencode(s, m.remoteLength);
  }

  public static void encode(State s, Sync m) {
    Uint.encode(s, m.flags());
    Uint.encode(s, m.fork);
    Uint.encode(s, m.length);
    Uint.encode(s, m.remoteLength);
  }

  public static Sync decode(State s) {
    long f = Uint.decode(s);
    long fork = Uint.decode(s);
    long length = Uint.decode(s);
    long remoteLength = Uint.decode(s);
    return new Sync(fork, length, remoteLength, (f & 1) != 0, (f & 2) != 0, (f & 4) != 0, (f & 8) != 0, (f & 16) != 0);
  }
}
