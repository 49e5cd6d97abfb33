package org.maiaos.mesh.hyperbee;

import java.time.Duration;
import java.util.Objects;
import org.maiaos.mesh.hypercore.CoreError;

/**
 * How to open a bee.
 *
 * @param keyEncoding keys' encoding (default {@link Encoding#BINARY})
 * @param valueEncoding values' encoding (default {@link Encoding#BINARY})
 * @param alwaysDuplicate hyperbee's default {@code true}: a put of the value a key already has still
 *     appends a block; {@code false} skips it
 * @param readonly refuse writes even on a writable core
 * @param hasMetadata write header metadata (hyperbee's {@code metadata} option) in block 0
 * @param contentFeed header metadata {@code contentFeed}, or null
 * @param userData header metadata {@code userData}, or null
 * @param cacheBytes budget of the decoded-block cache shared by the bee and its views
 * @param lockTimeout longest wait for the write lock
 * @param jsGetShortcut answer {@code get} with JS hyperbee's shortcut, stale answers included (see
 *     docs/hyperbee.md); off by default, for interop tests only
 */
public record HyperbeeOptions<K, V>(Encoding<K> keyEncoding, Encoding<V> valueEncoding, boolean alwaysDuplicate,
    boolean readonly, boolean hasMetadata, byte[] contentFeed, byte[] userData, long cacheBytes, Duration lockTimeout, boolean jsGetShortcut) {
  public static final long DEFAULT_CACHE_BYTES = 32L << 20;
  public static final Duration DEFAULT_LOCK_TIMEOUT = Duration.ofSeconds(60);

  public HyperbeeOptions {
    Objects.requireNonNull(keyEncoding, "keyEncoding");
    Objects.requireNonNull(valueEncoding, "valueEncoding");
    Objects.requireNonNull(lockTimeout, "lockTimeout");
    if (cacheBytes < 0) throw CoreError.BAD_ARGUMENT.error("cacheBytes %d", cacheBytes);
    contentFeed = contentFeed == null ? null : contentFeed.clone();
    userData = userData == null ? null : userData.clone();
  }

  public static HyperbeeOptions<byte[], byte[]> defaults() {
    return builder(Encoding.BINARY, Encoding.BINARY).build();
  }

  public static <K, V> Builder<K, V> builder(Encoding<K> keyEncoding, Encoding<V> valueEncoding) {
    return new Builder<>(keyEncoding, valueEncoding);
  }

  /** Builder for {@link HyperbeeOptions}. */
  public static final class Builder<K, V> {
    private final Encoding<K> keyEncoding;
    private final Encoding<V> valueEncoding;
    private boolean alwaysDuplicate = true;
    private boolean readonly;
    private boolean hasMetadata;
    private byte[] contentFeed;
    private byte[] userData;
    private long cacheBytes = DEFAULT_CACHE_BYTES;
    private Duration lockTimeout = DEFAULT_LOCK_TIMEOUT;
    private boolean jsGetShortcut;

    private Builder(Encoding<K> keyEncoding, Encoding<V> valueEncoding) {
      this.keyEncoding = keyEncoding;
      this.valueEncoding = valueEncoding;
    }

    public Builder<K, V> alwaysDuplicate(boolean v) {
      alwaysDuplicate = v;
      return this;
    }

    public Builder<K, V> readonly(boolean v) {
      readonly = v;
      return this;
    }

    /** Header metadata; either may be null (then that field is not written). */
    public Builder<K, V> metadata(byte[] contentFeed, byte[] userData) {
      this.hasMetadata = true;
      this.contentFeed = contentFeed;
      this.userData = userData;
      return this;
    }

    public Builder<K, V> cacheBytes(long v) {
      cacheBytes = v;
      return this;
    }

    public Builder<K, V> lockTimeout(Duration v) {
      lockTimeout = v;
      return this;
    }

    public Builder<K, V> jsGetShortcut(boolean v) {
      jsGetShortcut = v;
      return this;
    }

    public HyperbeeOptions<K, V> build() {
      return new HyperbeeOptions<>(keyEncoding, valueEncoding, alwaysDuplicate, readonly, hasMetadata, contentFeed,
          userData, cacheBytes, lockTimeout, jsGetShortcut);
    }
  }
}
