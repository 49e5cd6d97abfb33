package org.maiaos.mesh.hypercore.manifest;

import java.util.ArrayList;
import java.util.List;
import org.maiaos.mesh.hypercore.encoding.Fixed;
import org.maiaos.mesh.hypercore.encoding.State;
import org.maiaos.mesh.hypercore.encoding.Uint;
import org.maiaos.mesh.hypercore.tree.TreeNode;

/**
 * The stored signature of a manifest v1+ core ({@code messages.js multiSignature}):
 * {@code uint n, n x (uint signer | fixed64 signature | uint patch), uint m, m x node}. A single
 * signer with no patch is {@code 01 00 <sig 64> 00 00}, 68 bytes.
 */
record MultiSignature(List<Proof> proofs, List<TreeNode> patch) {
  static final int MAX_PROOFS = 1024;
  static final int MAX_PATCH_NODES = 128;

  /** One signer's contribution; {@code patch} = how many blocks past the length it signed. */
  public record Proof(int signer, byte[] signature, long patch) {}

  public MultiSignature {
    proofs = List.copyOf(proofs);
    patch = List.copyOf(patch);
  }

  public static MultiSignature single(byte[] signature) {
    return new MultiSignature(List.of(new Proof(0, signature, 0)), List.of());
  }

  public byte[] encode() {
    State s = new State();
    Uint.preencode(s, proofs.size());
    for (Proof p : proofs) {
      Uint.preencode(s, p.signer);
      s.end += 64;
      Uint.preencode(s, p.patch);
    }
    Uint.preencode(s, patch.size());
    for (TreeNode n : patch) TreeNode.preencode(s, n);
    s.alloc();
    Uint.encode(s, proofs.size());
    for (Proof p : proofs) {
      Uint.encode(s, p.signer);
      Fixed.encode(s, p.signature, 64);
      Uint.encode(s, p.patch);
    }
    Uint.encode(s, patch.size());
    for (TreeNode n : patch) TreeNode.encode(s, n);
    return s.buffer;
  }

  /** Decodes; throws DECODING_ERROR on any malformed input. */
  public static MultiSignature decode(byte[] bytes) {
    State s = State.of(bytes);
    int n = Uint.decodeCount(s, MAX_PROOFS);
    List<Proof> proofs = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      int signer = (int) Uint.decode(s, MAX_PROOFS);
      byte[] sig = Fixed.decode(s, 64);
      proofs.add(new Proof(signer, sig, Uint.decode(s)));
    }
    int m = Uint.decodeCount(s, MAX_PATCH_NODES);
    List<TreeNode> patch = new ArrayList<>(m);
    for (int i = 0; i < m; i++) patch.add(TreeNode.decode(s));
    return new MultiSignature(proofs, patch);
  }
}
