package org.maiaos.mesh.hypercore;

/**
 * A stable error code. Each module has one enum implementing this; callers branch on the code,
 * never on the message text.
 */
public interface ErrorCode {
  /** The code exactly as the JS reference spells it, e.g. {@code INVALID_SIGNATURE}. */
  String name();

  /** Builds an exception whose message reads {@code CODE: detail}. */
  default HypercoreException error(String detailFormat, Object... args) {
    return new HypercoreException(this, args.length == 0 ? detailFormat : String.format(detailFormat, args), null);
  }

  /** Same, keeping the underlying cause. */
  default HypercoreException error(Throwable cause, String detailFormat, Object... args) {
    return new HypercoreException(this, args.length == 0 ? detailFormat : String.format(detailFormat, args), cause);
  }
}
