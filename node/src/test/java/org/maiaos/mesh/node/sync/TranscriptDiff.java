package org.maiaos.mesh.node.sync;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.maiaos.mesh.cojson.storage.model.CanonicalJson;

/**
 * Compares the transcripts two servers gave for one script: step by step, messages as JSON values
 * (key order ignored, nothing else normalised), in order or as a multiset as the step says. The
 * report names every CoValue and session by an alias so that a difference reads at a glance.
 */
final class TranscriptDiff {
  private TranscriptDiff() {}

  /** One line per step whose replies differ; empty when the servers agree. */
  static List<String> differences(Transcript a, Transcript b) {
    List<String> out = new ArrayList<>();
    int n = Math.max(a.steps.size(), b.steps.size());
    for (int i = 0; i < n; i++) {
      if (i >= a.steps.size() || i >= b.steps.size()) {
        out.add("step " + (i + 1) + ": only " + (i < a.steps.size() ? a.server : b.server) + " got this far");
        continue;
      }
      Transcript.Step x = a.steps.get(i);
      Transcript.Step y = b.steps.get(i);
      if (!x.name().equals(y.name())) {
        out.add("step " + (i + 1) + ": the scripts diverged (" + x.name() + " / " + y.name() + ")");
        break;
      }
      if (x.compare() == Transcript.Compare.OWN) continue;
      boolean same = x.compare() == Transcript.Compare.SET
          ? sorted(x.replies()).equals(sorted(y.replies()))
          : canonical(x.replies()).equals(canonical(y.replies()));
      if (!same || !Objects.equals(x.note(), y.note())) out.add("step " + (i + 1) + " \"" + x.name() + "\" differs");
    }
    return out;
  }

  /** Both transcripts side by side, with ids replaced by their aliases. */
  static String report(String title, Transcript a, Transcript b, Map<String, String> aliases) {
    StringBuilder sb = new StringBuilder("=== ").append(title).append('\n');
    int n = Math.max(a.steps.size(), b.steps.size());
    List<String> diffs = differences(a, b);
    sb.append(diffs.isEmpty() ? "SAME\n" : "DIFFERENT: " + String.join("; ", diffs) + "\n");
    for (int i = 0; i < n; i++) {
      Transcript.Step x = i < a.steps.size() ? a.steps.get(i) : null;
      Transcript.Step y = i < b.steps.size() ? b.steps.get(i) : null;
      Transcript.Step any = x != null ? x : y;
      sb.append("\n--- step ").append(i + 1).append(": ").append(alias(any.name(), aliases)).append(" [").append(any.compare()).append("]\n");
      for (String f : any.framesIn()) sb.append("  in:  ").append(alias(abbreviate(f), aliases)).append('\n');
      side(sb, a.server, x, aliases);
      side(sb, b.server, y, aliases);
    }
    return sb.toString();
  }

  private static void side(StringBuilder sb, String server, Transcript.Step s, Map<String, String> aliases) {
    if (s == null) {
      sb.append("  ").append(server).append(": (no such step)\n");
      return;
    }
    sb.append("  ").append(server).append(":").append(s.replies().isEmpty() ? " (nothing)" : "").append(s.note() == null ? "" : " [" + s.note() + "]").append('\n');
    for (JsonNode m : s.replies()) sb.append("    ").append(alias(abbreviate(m.toString()), aliases)).append('\n');
  }

  /** Aliases for a writer's values and sessions, longest ids first so no alias eats part of another. */
  static Map<String, String> aliases(Map<String, String> names) {
    Map<String, String> out = new LinkedHashMap<>();
    names.entrySet().stream().sorted((p, q) -> q.getKey().length() - p.getKey().length()).forEach(e -> out.put(e.getKey(), e.getValue()));
    return out;
  }

  private static String alias(String text, Map<String, String> aliases) {
    for (Map.Entry<String, String> e : aliases.entrySet()) text = text.replace(e.getKey(), "<" + e.getValue() + ">");
    return text;
  }

  private static String abbreviate(String s) {
    return s.length() <= 4000 ? s : s.substring(0, 2000) + " …(" + s.length() + " chars)… " + s.substring(s.length() - 300);
  }

  private static List<String> canonical(List<JsonNode> ms) {
    List<String> out = new ArrayList<>();
    for (JsonNode m : ms) out.add(CanonicalJson.stringify(m));
    return out;
  }

  private static List<String> sorted(List<JsonNode> ms) {
    List<String> out = canonical(ms);
    out.sort(null);
    return out;
  }
}
