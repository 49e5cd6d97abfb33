package org.maiaos.mesh.hyperswarm.replication;

/** The message types of a {@code hypercore/alpha} channel, in the order JS registers them. */
final class MessageType {
  public static final int SYNC = 0;
  public static final int REQUEST = 1;
  public static final int CANCEL = 2;
  public static final int DATA = 3;
  public static final int NO_DATA = 4;
  public static final int WANT = 5;
  public static final int UNWANT = 6;
  public static final int BITFIELD = 7;
  public static final int RANGE = 8;
  public static final int EXTENSION = 9;
  public static final int COUNT = 10;

  private MessageType() {}

  static String name(int type) {
    return switch (type) {
      case SYNC -> "sync";
      case REQUEST -> "request";
      case CANCEL -> "cancel";
      case DATA -> "data";
      case NO_DATA -> "noData";
      case WANT -> "want";
      case UNWANT -> "unwant";
      case BITFIELD -> "bitfield";
      case RANGE -> "range";
      case EXTENSION -> "extension";
      default -> "unknown(" + type + ")";
    };
  }
}
