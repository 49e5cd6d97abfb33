package org.maiaos.mesh.hyperswarm.dht;

/** hyperdht's commands ({@code lib/constants.js COMMANDS}): non-internal, so they reuse small numbers. */
final class HyperCommands {
  static final int PEER_HANDSHAKE = 0;
  static final int PEER_HOLEPUNCH = 1;
  static final int FIND_PEER = 2;
  static final int LOOKUP = 3;
  static final int ANNOUNCE = 4;
  static final int UNANNOUNCE = 5;
  static final int MUTABLE_PUT = 6;
  static final int MUTABLE_GET = 7;
  static final int IMMUTABLE_PUT = 8;
  static final int IMMUTABLE_GET = 9;
  static final int PLUGIN = 10;

  /** Wire error codes of hyperdht replies ({@code lib/constants.js ERROR}). */
  static final int SEQ_REUSED = 16;
  static final int SEQ_TOO_LOW = 17;

  private HyperCommands() {}
}
