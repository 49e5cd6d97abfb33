package org.maiaos.mesh.hyperswarm.dht.rpc;

/** The internal command numbers ({@code dht-rpc/lib/commands.js}); they travel with the internal flag. */
final class Commands {
  public static final int PING = 0;
  public static final int PING_NAT = 1;
  public static final int FIND_NODE = 2;
  public static final int DOWN_HINT = 3;
  public static final int DELAYED_PING = 4;

  private Commands() {}
}
