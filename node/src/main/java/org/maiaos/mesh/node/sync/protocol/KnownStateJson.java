package org.maiaos.mesh.node.sync.protocol;

import java.util.Map;
import org.maiaos.mesh.cojson.storage.model.KnownState;
import org.maiaos.mesh.hypercore.encoding.JsonStringify;

/** Internal. The {@code "id":…,"header":…,"sessions":{…}} fields that load and known share. */
final class KnownStateJson {
  private KnownStateJson() {}

  static String fields(KnownState k) {
    StringBuilder sb = new StringBuilder("\"id\":").append(string(k.id())).append(",\"header\":").append(k.header()).append(",\"sessions\":{");
    boolean first = true;
    for (Map.Entry<String, Long> e : k.sessions().entrySet()) {
      if (!first) sb.append(',');
      first = false;
      JsonStringify.appendString(sb, e.getKey());
      sb.append(':').append(e.getValue());
    }
    return sb.append('}').toString();
  }

  static String string(String s) {
    StringBuilder sb = new StringBuilder();
    JsonStringify.appendString(sb, s);
    return sb.toString();
  }
}
