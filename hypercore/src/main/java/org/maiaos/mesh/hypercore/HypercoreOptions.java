package org.maiaos.mesh.hypercore;

import org.maiaos.mesh.hypercore.crypto.KeyPair;
import org.maiaos.mesh.hypercore.manifest.Manifest;

/**
 * How to create a writable core. By default: a fresh random key pair and, as hypercore 11, the
 * default single-signer v1 manifest with key = manifest hash. {@code compat} makes key = public key.
 *
 * @param keyPair the signer; null for a random one
 * @param compat key = public key, raw 64-byte signatures (hypercore 10 style)
 * @param manifest a custom manifest; null for the default single-signer manifest of {@code keyPair}
 */
public record HypercoreOptions(KeyPair keyPair, boolean compat, Manifest manifest) {
  public static Builder builder() {
    return new Builder();
  }

  public static HypercoreOptions defaults() {
    return builder().build();
  }

  /** Builder for {@link HypercoreOptions}. */
  public static final class Builder {
    private KeyPair keyPair;
    private boolean compat;
    private Manifest manifest;

    private Builder() {}

    public Builder keyPair(KeyPair keyPair) {
      this.keyPair = keyPair;
      return this;
    }

    public Builder compat(boolean compat) {
      this.compat = compat;
      return this;
    }

    public Builder manifest(Manifest manifest) {
      this.manifest = manifest;
      return this;
    }

    public HypercoreOptions build() {
      return new HypercoreOptions(keyPair, compat, manifest);
    }
  }
}
