package org.maiaos.mesh.hyperswarm.mux;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;

/**
 * Pairing state of one {@code (protocol, id)} (JS {@code _infos} entries): local channels whose
 * open is not yet answered ({@code outgoing}, local ids, oldest first) and peer opens waiting for
 * a local channel ({@code incoming}, remote ids, oldest first). Aliases map to the same object.
 */
final class ChannelInfo {
  final String key;
  final String protocol;
  final byte[] id;
  final List<String> aliasKeys = new ArrayList<>();
  final List<Integer> outgoing = new ArrayList<>();
  final ArrayDeque<Integer> incoming = new ArrayDeque<>();
  int pairing;
  int opened;
  MuxChannel lastChannel;

  ChannelInfo(String key, String protocol, byte[] id) {
    this.key = key;
    this.protocol = protocol;
    this.id = id;
  }

  /** JS {@code toKey}: {@code protocol##hex(id)}, an absent or empty id as "". */
  static String key(String protocol, byte[] id) {
    return protocol + "##" + (id == null ? "" : HexFormat.of().formatHex(id));
  }

  boolean unused() {
    return opened == 0 && outgoing.isEmpty() && incoming.isEmpty();
  }
}
