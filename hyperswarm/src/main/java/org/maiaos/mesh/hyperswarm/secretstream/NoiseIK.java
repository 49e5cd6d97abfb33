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
 * The {@code Noise_IK_Ed25519_ChaChaPoly_BLAKE2b} handshake HyperDHT runs (noise-handshake with
 * noise-curve-ed): the prologue, then the responder's static public key as the pre-message, and
 * <pre>
 *   1  I -&gt; R  e, es, s, ss    e.pub(32) || enc(s.pub)(48) || enc(payload)(16+)
 *   2  R -&gt; I  e, ee, se        e.pub(32) || enc(payload)(16+)
 * </pre>
 * The initiator calls {@code send, recv}; the responder {@code recv, send}. Any malformed or
 * forged message is a DECODING_ERROR, after which the object is unusable. Not thread-safe.
 */
public final class NoiseIK {
  public static final String PROTOCOL_NAME = "Noise_IK_Ed25519_ChaChaPoly_BLAKE2b";
  private static final int KEY_BYTES = 32;
  private static final int TAG_BYTES = 16;
  private static final int ENCRYPTED_KEY_BYTES = KEY_BYTES + TAG_BYTES;

  private final boolean initiator;
  private final KeyPair staticKeyPair;
  private KeyPair ephemeral;
  private final SymmetricState state;
  private Key32 remoteEphemeral;
  private Key32 remoteStatic;
  private int step;
  private boolean failed;
  private NoiseResult result;

  private NoiseIK(boolean initiator, KeyPair staticKeyPair, Key32 remoteStatic, byte[] prologue, KeyPair ephemeral) {
    if (staticKeyPair == null || staticKeyPair.secretKey() == null) {
      throw CoreError.BAD_ARGUMENT.error("Noise needs a static key pair with its secret key");
    }
    if (prologue == null) throw CoreError.BAD_ARGUMENT.error("Noise prologue must not be null");
    if (initiator && remoteStatic == null) throw CoreError.BAD_ARGUMENT.error("Noise IK initiator needs the responder's public key");
    this.initiator = initiator;
    this.staticKeyPair = staticKeyPair;
    this.remoteStatic = remoteStatic;
    this.ephemeral = ephemeral;
    this.state = new SymmetricState(PROTOCOL_NAME.getBytes(StandardCharsets.US_ASCII));
    state.mixHash(prologue.clone());
    // pre-message <- s: the responder's static key
    state.mixHash(initiator ? remoteStatic.toByteArray() : staticKeyPair.publicKey().toByteArray());
  }

  /** The client side, which knows the server's static public key. */
  public static NoiseIK initiator(KeyPair staticKeyPair, Key32 remoteStaticPublicKey, byte[] prologue) {
    return new NoiseIK(true, staticKeyPair, remoteStaticPublicKey, prologue, null);
  }

  /** The server side, which learns the client's static key from message 1. */
  public static NoiseIK responder(KeyPair staticKeyPair, byte[] prologue) {
    return new NoiseIK(false, staticKeyPair, null, prologue, null);
  }

  /** With a given ephemeral key pair, for known-answer tests only. */
  static NoiseIK initiator(KeyPair staticKeyPair, Key32 remoteStaticPublicKey, byte[] prologue, KeyPair ephemeral) {
    return new NoiseIK(true, staticKeyPair, remoteStaticPublicKey, prologue, ephemeral);
  }

  /** With a given ephemeral key pair, for known-answer tests only. */
  static NoiseIK responder(KeyPair staticKeyPair, byte[] prologue, KeyPair ephemeral) {
    return new NoiseIK(false, staticKeyPair, null, prologue, ephemeral);
  }

  public boolean isInitiator() {
    return initiator;
  }

  public boolean isComplete() {
    return result != null;
  }

  /** True when the next call must be {@link #send(byte[])}. */
  public boolean isSending() {
    return result == null && (step == 0) == initiator;
  }

  /** The peer's static key: known from the start to the initiator, after message 1 to the responder. */
  public Key32 remoteStaticKey() {
    return remoteStatic;
  }

  /** The outcome; only once {@link #isComplete()}. */
  public NoiseResult result() {
    if (result == null) throw CoreError.INVALID_OPERATION.error("Noise handshake not complete");
    return result;
  }

  public byte[] send(byte[] payload) {
    checkTurn(true);
    try {
      byte[] out;
      if (step == 0) {
        byte[] e = writeEphemeral();
        state.mixKey(CurveEd.dh(remoteStatic, ephemeral)); // es, initiator side
        byte[] s = state.encryptAndHash(staticKeyPair.publicKey().toByteArray());
        state.mixKey(CurveEd.dh(remoteStatic, staticKeyPair)); // ss
        out = NoiseMessages.concat(e, s, state.encryptAndHash(payload));
      } else {
        byte[] e = writeEphemeral();
        state.mixKey(CurveEd.dh(remoteEphemeral, ephemeral)); // ee
        state.mixKey(CurveEd.dh(remoteStatic, ephemeral)); // se, responder side
        out = NoiseMessages.concat(e, state.encryptAndHash(payload));
      }
      advance();
      return out;
    } catch (RuntimeException e) {
      throw fail(e);
    }
  }

  /** Reads the peer's handshake message and returns its payload. */
  public byte[] recv(byte[] message) {
    checkTurn(false);
    try {
      if (message == null) throw CoreError.DECODING_ERROR.error("handshake message is null");
      if (message.length > SymmetricState.MAX_MESSAGE_BYTES) {
        throw CoreError.DECODING_ERROR.error("handshake message of %d bytes over 65535", message.length);
      }
      int min = step == 0 ? KEY_BYTES + ENCRYPTED_KEY_BYTES + TAG_BYTES : KEY_BYTES + TAG_BYTES;
      if (message.length < min) {
        throw CoreError.DECODING_ERROR.error("handshake message of %d bytes is too short (at least %d)", message.length, min);
      }
      int at = 0;
      remoteEphemeral = Key32.of(Arrays.copyOfRange(message, 0, KEY_BYTES));
      at += KEY_BYTES;
      state.mixHash(remoteEphemeral.toByteArray());
      if (step == 0) {
        state.mixKey(CurveEd.dh(remoteEphemeral, staticKeyPair)); // es, responder side
        Key32 rs = Key32.of(state.decryptAndHash(Arrays.copyOfRange(message, at, at + ENCRYPTED_KEY_BYTES)));
        at += ENCRYPTED_KEY_BYTES;
        state.mixKey(CurveEd.dh(rs, staticKeyPair)); // ss
        byte[] payload = state.decryptAndHash(Arrays.copyOfRange(message, at, message.length));
        remoteStatic = rs;
        advance();
        return payload;
      }
      state.mixKey(CurveEd.dh(remoteEphemeral, ephemeral)); // ee
      state.mixKey(CurveEd.dh(remoteEphemeral, staticKeyPair)); // se, initiator side
      byte[] payload = state.decryptAndHash(Arrays.copyOfRange(message, at, message.length));
      advance();
      return payload;
    } catch (RuntimeException e) {
      throw fail(e);
    }
  }

  private HypercoreException fail(RuntimeException e) {
    failed = true;
    state.clear();
    ephemeral = null;
    return NoiseMessages.failure(e, "Noise IK handshake", step);
  }

  private byte[] writeEphemeral() {
    if (ephemeral == null) ephemeral = Ed25519.keyPair();
    return state.mixPublicKey(ephemeral);
  }

  private void advance() {
    if (++step < 2) return;
    result = state.finish(initiator, remoteStatic);
    ephemeral = null;
  }

  private void checkTurn(boolean sending) {
    NoiseMessages.checkOpen(failed, result != null);
    if (isSending() != sending) throw NoiseMessages.wrongTurn("IK", initiator, sending, step);
  }
}
