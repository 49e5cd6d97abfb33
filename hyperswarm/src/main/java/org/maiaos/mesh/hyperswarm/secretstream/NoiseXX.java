package org.maiaos.mesh.hyperswarm.secretstream;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import org.maiaos.mesh.hypercore.CoreError;
import org.maiaos.mesh.hypercore.HypercoreException;
import org.maiaos.mesh.hypercore.crypto.CurveEd;
import org.maiaos.mesh.hypercore.crypto.Ed25519;
import org.maiaos.mesh.hypercore.crypto.Key32;
import org.maiaos.mesh.hypercore.crypto.KeyPair;

/**
 * The {@code Noise_XX_Ed25519_ChaChaPoly_BLAKE2b} handshake as @hyperswarm/secret-stream runs it
 * with noise-handshake and noise-curve-ed: an empty prologue, Ed25519 static and ephemeral keys,
 * and the three messages
 * <pre>
 *   1  I -&gt; R  e                 e.pub(32) || payload
 *   2  R -&gt; I  e, ee, s, es      e.pub(32) || enc(s.pub)(48) || enc(payload)(16+)
 *   3  I -&gt; R  s, se             enc(s.pub)(48) || enc(payload)(16+)
 * </pre>
 * The initiator calls {@code send, recv, send}; the responder {@code recv, send, recv}. Any
 * malformed or forged message is a DECODING_ERROR, after which the object is unusable. Not
 * thread-safe.
 */
final class NoiseXX {
  public static final String PROTOCOL_NAME = "Noise_XX_Ed25519_ChaChaPoly_BLAKE2b";
  private static final byte[] EMPTY = new byte[0];
  private static final int KEY_BYTES = 32;
  private static final int ENCRYPTED_KEY_BYTES = KEY_BYTES + 16;

  private final boolean initiator;
  private final KeyPair staticKeyPair;
  private KeyPair ephemeral;
  private SymmetricState state;
  private Key32 remoteEphemeral;
  private Key32 remoteStatic;
  private int step;
  private boolean failed;
  private NoiseResult result;

  /** A handshake with a fresh random ephemeral key. */
  public NoiseXX(boolean initiator, KeyPair staticKeyPair) {
    this(initiator, staticKeyPair, null);
  }

  /** With a given ephemeral key pair, for known-answer tests only. */
  NoiseXX(boolean initiator, KeyPair staticKeyPair, KeyPair ephemeral) {
    if (staticKeyPair == null || staticKeyPair.secretKey() == null) {
      throw CoreError.BAD_ARGUMENT.error("Noise needs a static key pair with its secret key");
    }
    this.initiator = initiator;
    this.staticKeyPair = staticKeyPair;
    this.ephemeral = ephemeral;
    this.state = new SymmetricState(PROTOCOL_NAME.getBytes(StandardCharsets.US_ASCII));
    state.mixHash(EMPTY); // the prologue is empty, but it is still hashed
  }

  public boolean isInitiator() {
    return initiator;
  }

  /** True after the last message was sent or received. */
  public boolean isComplete() {
    return result != null;
  }

  /** True when the next call must be {@link #send()}. */
  public boolean isSending() {
    return result == null && (step % 2 == 0) == initiator;
  }

  /** The outcome; only once {@link #isComplete()}. */
  public NoiseResult result() {
    if (result == null) throw CoreError.INVALID_OPERATION.error("Noise handshake not complete");
    return result;
  }

  /** The next handshake message, with an empty payload (secret-stream never sends one). */
  public byte[] send() {
    return send(EMPTY);
  }

  public byte[] send(byte[] payload) {
    checkTurn(true);
    try {
      byte[] out = write(payload);
      advance();
      return out;
    } catch (RuntimeException e) {
      // the peer's ephemeral key (from its last message) may be refused only now, by the DH
      throw fail(e);
    }
  }

  private byte[] write(byte[] payload) {
    byte[] out;
    switch (step) {
      case 0 -> {
        byte[] e = writeEphemeral();
        out = NoiseMessages.concat(e, state.encryptAndHash(payload));
      }
      case 1 -> {
        byte[] e = writeEphemeral();
        state.mixKey(CurveEd.dh(remoteEphemeral, ephemeral)); // ee
        byte[] s = state.encryptAndHash(staticKeyPair.publicKey().toByteArray());
        state.mixKey(CurveEd.dh(remoteEphemeral, staticKeyPair)); // es, responder side
        out = NoiseMessages.concat(e, s, state.encryptAndHash(payload));
      }
      default -> {
        byte[] s = state.encryptAndHash(staticKeyPair.publicKey().toByteArray());
        state.mixKey(CurveEd.dh(remoteEphemeral, staticKeyPair)); // se, initiator side
        out = NoiseMessages.concat(s, state.encryptAndHash(payload));
      }
    }
    return out;
  }

  /** Reads the peer's next handshake message and returns its payload. */
  public byte[] recv(byte[] message) {
    checkTurn(false);
    try {
      int at = 0;
      byte[] payload;
      switch (step) {
        case 0 -> {
          remoteEphemeral = readKey(message, at);
          at += KEY_BYTES;
          state.mixHash(remoteEphemeral.toByteArray());
          payload = state.decryptAndHash(Arrays.copyOfRange(message, at, message.length));
        }
        case 1 -> {
          remoteEphemeral = readKey(message, at);
          at += KEY_BYTES;
          state.mixHash(remoteEphemeral.toByteArray());
          state.mixKey(CurveEd.dh(remoteEphemeral, ephemeral)); // ee
          remoteStatic = Key32.of(state.decryptAndHash(slice(message, at, ENCRYPTED_KEY_BYTES)));
          at += ENCRYPTED_KEY_BYTES;
          state.mixKey(CurveEd.dh(remoteStatic, ephemeral)); // es, initiator side
          payload = state.decryptAndHash(Arrays.copyOfRange(message, at, message.length));
        }
        default -> {
          remoteStatic = Key32.of(state.decryptAndHash(slice(message, at, ENCRYPTED_KEY_BYTES)));
          at += ENCRYPTED_KEY_BYTES;
          state.mixKey(CurveEd.dh(remoteStatic, ephemeral)); // se, responder side
          payload = state.decryptAndHash(Arrays.copyOfRange(message, at, message.length));
        }
      }
      advance();
      return payload;
    } catch (RuntimeException e) {
      throw fail(e);
    }
  }

  private HypercoreException fail(RuntimeException e) {
    failed = true;
    state.clear();
    return NoiseMessages.failure(e, "Noise handshake", step);
  }

  private byte[] writeEphemeral() {
    if (ephemeral == null) ephemeral = Ed25519.keyPair();
    return state.mixPublicKey(ephemeral);
  }

  private void advance() {
    if (++step < 3) return;
    result = state.finish(initiator, remoteStatic);
    ephemeral = null;
  }

  private void checkTurn(boolean sending) {
    NoiseMessages.checkOpen(failed, result != null);
    if (isSending() != sending) throw NoiseMessages.wrongTurn("XX", initiator, sending, step);
  }

  private static Key32 readKey(byte[] message, int at) {
    return Key32.of(slice(message, at, KEY_BYTES));
  }

  private static byte[] slice(byte[] message, int at, int len) {
    if (message.length - at < len) {
      throw CoreError.DECODING_ERROR.error("handshake message of %d bytes is too short", message.length);
    }
    return Arrays.copyOfRange(message, at, at + len);
  }
}
