package org.maiaos.mesh.hypercore.manifest;

import java.util.ArrayList;
import java.util.List;
import org.maiaos.mesh.hypercore.CoreError;
import org.maiaos.mesh.hypercore.crypto.Blake2b;
import org.maiaos.mesh.hypercore.crypto.Caps;
import org.maiaos.mesh.hypercore.crypto.Key32;
import org.maiaos.mesh.hypercore.encoding.Bytes;
import org.maiaos.mesh.hypercore.encoding.Codecs;
import org.maiaos.mesh.hypercore.encoding.Fixed;
import org.maiaos.mesh.hypercore.encoding.State;
import org.maiaos.mesh.hypercore.encoding.Uint;

/**
 * A core's manifest ({@code lib/messages.js manifest}, {@code lib/verifier.js createManifest}): who
 * signs it and how. The core key is the hash of its encoding ({@link #hash()}), except for compat
 * cores, whose key is the single signer's public key.
 */
public record Manifest(
    int version,
    boolean allowPatch,
    int quorum,
    List<Signer> signers,
    Prologue prologue,
    List<Key32> linked,
    byte[] userData) {

  static final int MAX_SIGNERS = 1024;
  private static final int FLAG_PATCH = 1;
  private static final int FLAG_PROLOGUE = 2;
  private static final int FLAG_LINKED = 4;
  private static final int FLAG_USER_DATA = 8;
  private static final int HASH_BLAKE2B = 0;

  public Manifest {
    signers = List.copyOf(signers);
    linked = linked == null ? null : List.copyOf(linked);
    userData = userData == null ? null : userData.clone();
    if (version < 0 || version > 3) throw CoreError.BAD_ARGUMENT.error("manifest version %d", version);
    if (quorum < 0 || quorum > signers.size()) {
      throw CoreError.BAD_ARGUMENT.error("quorum %d with %d signers", quorum, signers.size());
    }
    if (version < 2 && (userData != null || (linked != null && !linked.isEmpty()))) {
      throw CoreError.BAD_ARGUMENT.error("linked and userData need manifest version 2");
    }
  }

  /** The hypercore 11 default: v1, one ed25519 signer in the default namespace, quorum 1. */
  public static Manifest defaultSigner(Key32 publicKey) {
    return new Manifest(1, false, 1, List.of(new Signer(Caps.DEFAULT_NAMESPACE, publicKey)), null, null, null);
  }

  /** A legacy v0 single-signer manifest. */
  public static Manifest v0Signer(Key32 publicKey) {
    return new Manifest(0, false, 1, List.of(new Signer(Caps.DEFAULT_NAMESPACE, publicKey)), null, null, null);
  }

  /** {@code B2b(MANIFEST || encode(manifest))}: the core key of a manifest-addressed core. */
  public Key32 hash() {
    byte[] enc = encode();
    byte[] in = new byte[32 + enc.length];
    System.arraycopy(Caps.MANIFEST.toByteArray(), 0, in, 0, 32);
    System.arraycopy(enc, 0, in, 32, enc.length);
    return Key32.of(Blake2b.hash(in));
  }

  /** True for a core whose key is its single signer's public key (verifier.js isCompat). */
  public boolean isCompatWith(Key32 key) {
    return signers.size() == 1 && signers.get(0).publicKey().equals(key);
  }

  public byte[] encode() {
    return Codecs.encode(this, Manifest::preencode, Manifest::encode);
  }

  public static Manifest decode(byte[] bytes) {
    return Codecs.decodeAll(bytes, Manifest::decode);
  }

  public static void preencode(State s, Manifest m) {
    s.end++; // version
    if (m.version == 0) {
      s.end += 2; // hash, type
      if (m.prologue != null && m.signers.isEmpty()) {
        s.end += 32;
      } else if (m.isV0Single()) {
        Signer.preencode(s, m.signers.get(0));
      } else {
        s.end++; // flags
        Uint.preencode(s, m.quorum);
        preencodeSigners(s, m.signers);
      }
      return;
    }
    s.end += 2; // flags, hash
    Uint.preencode(s, m.quorum);
    preencodeSigners(s, m.signers);
    if (m.prologue != null) {
      s.end += 32;
      Uint.preencode(s, m.prologue.length());
    }
    if (m.linked != null) {
      Uint.preencode(s, m.linked.size());
      s.end += 32 * m.linked.size();
    }
    if (m.userData != null) Bytes.preencode(s, m.userData);
  }

  public static void encode(State s, Manifest m) {
    Uint.encode(s, m.version);
    if (m.version == 0) {
      Uint.encode(s, HASH_BLAKE2B);
      if (m.prologue != null && m.signers.isEmpty()) {
        Uint.encode(s, 0);
        Fixed.encode(s, m.prologue.hash().toByteArray(), 32);
      } else if (m.isV0Single()) {
        Uint.encode(s, 1);
        Signer.encode(s, m.signers.get(0));
      } else {
        Uint.encode(s, 2);
        Uint.encode(s, m.allowPatch ? 1 : 0);
        Uint.encode(s, m.quorum);
        encodeSigners(s, m.signers);
      }
      return;
    }
    int flags = (m.allowPatch ? FLAG_PATCH : 0)
        | (m.prologue != null ? FLAG_PROLOGUE : 0)
        | (m.linked != null ? FLAG_LINKED : 0)
        | (m.userData != null ? FLAG_USER_DATA : 0);
    Uint.encode(s, flags);
    Uint.encode(s, HASH_BLAKE2B);
    Uint.encode(s, m.quorum);
    encodeSigners(s, m.signers);
    if (m.prologue != null) {
      Fixed.encode(s, m.prologue.hash().toByteArray(), 32);
      Uint.encode(s, m.prologue.length());
    }
    if (m.linked != null) {
      Uint.encode(s, m.linked.size());
      for (Key32 k : m.linked) Fixed.encode(s, k.toByteArray(), 32);
    }
    if (m.userData != null) Bytes.encode(s, m.userData);
  }

  public static Manifest decode(State s) {
    long version = Uint.decode(s);
    if (version == 0) return decodeV0(s);
    if (version > 3) throw CoreError.DECODING_ERROR.error("unknown manifest version %d", version);
    long flags = Uint.decode(s);
    decodeHash(s);
    long quorum = Uint.decode(s, MAX_SIGNERS);
    List<Signer> signers = decodeSigners(s);
    Prologue prologue = null;
    List<Key32> linked = null;
    byte[] userData = null;
    if ((flags & FLAG_PROLOGUE) != 0) prologue = new Prologue(Key32.of(Fixed.decode(s, 32)), Uint.decode(s));
    if ((flags & FLAG_LINKED) != 0) {
      int n = Uint.decodeCount(s, MAX_SIGNERS);
      linked = new ArrayList<>(n);
      for (int i = 0; i < n; i++) linked.add(Key32.of(Fixed.decode(s, 32)));
    }
    if ((flags & FLAG_USER_DATA) != 0) userData = Bytes.decode(s);
    try {
      // 11.37.1 decodes version 3 as well: it behaves as version 2 but keeps its number (and hash).
      return new Manifest((int) version, (flags & FLAG_PATCH) != 0, (int) quorum, signers, prologue, linked, userData);
    } catch (org.maiaos.mesh.hypercore.HypercoreException e) {
      throw CoreError.DECODING_ERROR.error(e, "invalid manifest: %s", e.getMessage());
    }
  }

  private static Manifest decodeV0(State s) {
    decodeHash(s);
    long type = Uint.decode(s);
    if (type == 0) {
      return new Manifest(0, false, 0, List.of(), new Prologue(Key32.of(Fixed.decode(s, 32)), 0), null, null);
    }
    if (type == 1) return new Manifest(0, false, 1, List.of(Signer.decode(s)), null, null, null);
    if (type != 2) throw CoreError.DECODING_ERROR.error("unknown v0 manifest type %d", type);
    long flags = Uint.decode(s);
    long quorum = Uint.decode(s, MAX_SIGNERS);
    List<Signer> signers = decodeSigners(s);
    if (quorum > signers.size()) throw CoreError.DECODING_ERROR.error("quorum %d with %d signers", quorum, signers.size());
    return new Manifest(0, (flags & 1) != 0, (int) quorum, signers, null, null, null);
  }

  private boolean isV0Single() {
    return quorum == 1 && signers.size() == 1 && !allowPatch;
  }

  private static void decodeHash(State s) {
    long h = Uint.decode(s);
    if (h != HASH_BLAKE2B) throw CoreError.DECODING_ERROR.error("unknown hash id %d", h);
  }

  private static void preencodeSigners(State s, List<Signer> signers) {
    Uint.preencode(s, signers.size());
    s.end += 65 * signers.size();
  }

  private static void encodeSigners(State s, List<Signer> signers) {
    Uint.encode(s, signers.size());
    for (Signer x : signers) Signer.encode(s, x);
  }

  private static List<Signer> decodeSigners(State s) {
    int n = Uint.decodeCount(s, MAX_SIGNERS);
    List<Signer> out = new ArrayList<>(n);
    for (int i = 0; i < n; i++) out.add(Signer.decode(s));
    return out;
  }

  @Override
  public byte[] userData() {
    return userData == null ? null : userData.clone();
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Manifest m && java.util.Arrays.equals(m.encode(), encode());
  }

  @Override
  public int hashCode() {
    return java.util.Arrays.hashCode(encode());
  }

  @Override
  public String toString() {
    return "Manifest[v" + version + ", quorum=" + quorum + ", signers=" + signers.size() + "]";
  }
}
