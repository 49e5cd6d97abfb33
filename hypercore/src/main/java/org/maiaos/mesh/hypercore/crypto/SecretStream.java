package org.maiaos.mesh.hypercore.crypto;

import java.util.Arrays;
import org.maiaos.mesh.hypercore.CoreError;

/**
 * libsodium's {@code crypto_secretstream_xchacha20poly1305}, shaped as sodium-secretstream's
 * {@code Push} and {@code Pull}: one direction of a secret-stream each. Every message costs
 * {@link #A_BYTES} (a tag byte and a 16-byte MAC); messages must be pulled in the order they were
 * pushed. Neither object is thread-safe.
 */
public final class SecretStream {
  public static final int KEY_BYTES = 32;
  public static final int HEADER_BYTES = 24;
  public static final int A_BYTES = 17;
  public static final byte TAG_MESSAGE = 0;
  public static final byte TAG_FINAL = 3;
  private static final int STATE_BYTES = SodiumExtra.crypto_secretstream_xchacha20poly1305_statebytes();

  private SecretStream() {}

  private static void checkKey(byte[] key) {
    if (key == null || key.length != KEY_BYTES) throw CoreError.BAD_ARGUMENT.error("secretstream key must be 32 bytes");
  }

  /** The sending half: {@code init_push} at construction, then one {@link #next} per message. */
  public static final class Push {
    private final byte[] state = new byte[STATE_BYTES];
    private final byte[] header = new byte[HEADER_BYTES];

    public Push(byte[] key) {
      checkKey(key);
      if (SodiumExtra.crypto_secretstream_xchacha20poly1305_init_push(state, header, key) != 0) {
        throw CoreError.ASSERTION.error("crypto_secretstream_xchacha20poly1305_init_push failed");
      }
    }

    /** The 24-byte header the receiver needs for {@link Pull#init}. */
    public byte[] header() {
      return header.clone();
    }

    /** Encrypts one message with {@link #TAG_MESSAGE}: {@code m.length + 17} bytes. */
    public byte[] next(byte[] m) {
      return next(m, TAG_MESSAGE);
    }

    public byte[] next(byte[] m, byte tag) {
      byte[] c = new byte[m.length + A_BYTES];
      if (SodiumExtra.crypto_secretstream_xchacha20poly1305_push(state, c, null, m, m.length, null, 0, tag) != 0) {
        throw CoreError.ASSERTION.error("crypto_secretstream_xchacha20poly1305_push failed");
      }
      return c;
    }
  }

  /** The receiving half: {@link #init} with the sender's header, then one {@link #next} per message. */
  public static final class Pull {
    private final byte[] state = new byte[STATE_BYTES];
    private final byte[] key;
    private final byte[] tag = new byte[1];
    private boolean initialised;

    public Pull(byte[] key) {
      checkKey(key);
      this.key = key.clone();
    }

    public void init(byte[] header) {
      if (header == null || header.length != HEADER_BYTES) {
        throw CoreError.DECODING_ERROR.error("secretstream header must be 24 bytes");
      }
      if (SodiumExtra.crypto_secretstream_xchacha20poly1305_init_pull(state, header, key) != 0) {
        throw CoreError.DECODING_ERROR.error("secretstream header rejected");
      }
      Arrays.fill(key, (byte) 0);
      initialised = true;
    }

    /** Decrypts the next message; DECODING_ERROR if it is shorter than 17 bytes or does not authenticate. */
    public byte[] next(byte[] c) {
      if (!initialised) throw CoreError.INVALID_OPERATION.error("secretstream pull before its header");
      if (c.length < A_BYTES) throw CoreError.DECODING_ERROR.error("secretstream message of %d bytes is shorter than 17", c.length);
      byte[] m = new byte[c.length - A_BYTES];
      if (SodiumExtra.crypto_secretstream_xchacha20poly1305_pull(state, m, null, tag, c, c.length, null, 0) != 0) {
        throw CoreError.DECODING_ERROR.error("secretstream message does not authenticate");
      }
      return m;
    }

    /** The tag of the last message pulled (secret-stream ignores it). */
    public byte lastTag() {
      return tag[0];
    }
  }
}
