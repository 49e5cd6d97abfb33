package org.maiaos.mesh.hypercore.fuzz;

import java.util.Arrays;
import java.util.Set;
import java.util.function.Supplier;
import org.maiaos.mesh.hypercore.ErrorCode;
import org.maiaos.mesh.hypercore.HypercoreException;

/**
 * What every fuzz target asserts (docs/fuzzing.md). A decoder given any bytes either returns a
 * value or throws a {@link HypercoreException} with one of its documented codes. Anything else (a
 * NullPointerException, an IndexOutOfBounds, an OutOfMemoryError from a huge length) fails the
 * target, and so does a documented error that merely wraps such a bug: several decoders turn any
 * RuntimeException into DECODING_ERROR as a last line of defence, and the fuzzer must still see
 * the bug behind it. Checked causes (a JSON or protobuf parser's IOException) are expected.
 */
public final class FuzzChecks {
  /** Inputs are cut to this size: a frame or block of real traffic is rarely bigger. */
  public static final int MAX_INPUT_BYTES = 64 * 1024;

  private FuzzChecks() {}

  /** {@code input} cut to {@link #MAX_INPUT_BYTES}. */
  public static byte[] bounded(byte[] input) {
    return input.length <= MAX_INPUT_BYTES ? input : Arrays.copyOf(input, MAX_INPUT_BYTES);
  }

  /**
   * Runs {@code decode}: its value, or null when it refused the input with one of
   * {@code accepted}. Any other exception propagates (the fuzzer reports it).
   */
  public static <T> T decodeOrRefuse(Supplier<T> decode, ErrorCode... accepted) {
    try {
      T value = decode.get();
      if (value == null) throw new AssertionError("decoder returned null");
      return value;
    } catch (HypercoreException e) {
      requireRefusal(e, accepted);
      return null;
    }
  }

  /** Fails unless {@code e} has one of {@code accepted} codes and no unchecked exception behind it. */
  public static void requireRefusal(HypercoreException e, ErrorCode... accepted) {
    if (!Set.of(accepted).contains(e.code())) throw new AssertionError("undocumented error code " + e.code(), e);
    for (Throwable c = e.getCause(); c != null; c = c.getCause()) {
      if ((c instanceof RuntimeException || c instanceof Error) && !(c instanceof HypercoreException)) {
        throw new AssertionError("a codec bug behind " + e.code() + ": " + c, e);
      }
    }
  }

  /** Fails unless the two decodes agree: decode(encode(decode(x))) must equal decode(x). */
  public static void requireSame(Object first, Object again) {
    if (!first.equals(again)) throw new AssertionError("round trip changed the value:\n  " + first + "\n  " + again);
  }
}
