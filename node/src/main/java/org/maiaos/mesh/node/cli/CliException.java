package org.maiaos.mesh.node.cli;

/** A user error the CLI reports as one line (bad argument, missing file). */
final class CliException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  CliException(String message) {
    super(message);
  }
}
