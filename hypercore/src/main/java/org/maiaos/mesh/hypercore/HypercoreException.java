package org.maiaos.mesh.hypercore;

/** The one exception type of the stack; {@link #code()} says what went wrong. */
public final class HypercoreException extends RuntimeException {
  private static final long serialVersionUID = 1L;
  private final ErrorCode code;

  HypercoreException(ErrorCode code, String detail, Throwable cause) {
    super(code.name() + ": " + detail, cause);
    this.code = code;
  }

  public ErrorCode code() {
    return code;
  }
}
