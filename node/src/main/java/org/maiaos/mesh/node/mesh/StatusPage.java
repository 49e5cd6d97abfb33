package org.maiaos.mesh.node.mesh;

import java.util.Locale;
import org.maiaos.mesh.hypercore.crypto.Key32;

/**
 * {@code GET /}: a region node's status for a person, one self-contained HTML page (inline CSS, no
 * script, no external resource) rendered from the {@link NodeStatus} that {@code GET /status} also
 * serves, reloaded by the browser every {@link #REFRESH_SECONDS}. Every string that goes into the
 * page is escaped, region names and hex keys included, though neither can hold markup today.
 */
final class StatusPage {
  static final String CONTENT_TYPE = "text/html; charset=utf-8";
  static final int REFRESH_SECONDS = 5;
  /** Hex characters of a key shown; the whole key is in the element's title. */
  static final int SHORT_KEY_CHARS = 12;

  private static final String CSS = String.join("",
      ":root{--fg:#1f2328;--muted:#59636e;--line:#d1d9e0;--bg:#f6f8fa;--ok:#1a7f37;--okbg:#dafbe1;--off:#b42318;--offbg:#fee4e2}",
      "*{box-sizing:border-box}",
      "body{margin:0;background:var(--bg);color:var(--fg);",
      "font:15px/1.5 system-ui,-apple-system,'Segoe UI',Roboto,'Helvetica Neue',Arial,sans-serif}",
      "main{max-width:1080px;margin:0 auto;padding:28px 24px 40px}",
      ".eyebrow{margin:0;color:var(--muted);font-size:13px;text-transform:uppercase;letter-spacing:.06em}",
      "h1{margin:2px 0 20px;font-size:32px;line-height:1.2}",
      "h2{margin:0 0 10px;font-size:18px}",
      "h2 .count{margin-left:4px;color:var(--muted);font-size:14px;font-weight:400}",
      ".facts{display:grid;grid-template-columns:repeat(4,minmax(0,1fr));gap:12px;margin:0 0 28px}",
      "@media (max-width:760px){.facts{grid-template-columns:repeat(2,minmax(0,1fr))}}",
      ".facts>div,.card{background:#fff;border:1px solid var(--line);border-radius:8px}",
      ".facts>div{padding:12px 16px}",
      "dt,th{color:var(--muted);font-size:12px;font-weight:600;text-transform:uppercase;letter-spacing:.04em}",
      "dd{margin:4px 0 0;font-size:20px;font-weight:600;font-variant-numeric:tabular-nums}",
      "code{font:13px/1.4 ui-monospace,SFMono-Regular,Menlo,Consolas,'Liberation Mono',monospace}",
      "dd code{font-size:16px;font-weight:500}",
      ".card{overflow:hidden}",
      "table{width:100%;border-collapse:collapse}",
      "th,td{padding:10px 14px;text-align:left;white-space:nowrap;border-bottom:1px solid var(--line)}",
      "th{background:var(--bg)}",
      "tbody tr:last-child td{border-bottom:0}",
      "td.region{font-weight:600}",
      "tr.off td{color:var(--muted)}",
      ".num{text-align:right;font-variant-numeric:tabular-nums}",
      ".badge{display:inline-block;padding:1px 10px;border-radius:999px;font-size:13px;font-weight:600}",
      "tr.on .badge{color:var(--ok);background:var(--okbg)}",
      "tr.off .badge{color:var(--off);background:var(--offbg)}",
      ".empty{margin:0;padding:18px 16px;color:var(--muted)}",
      "footer{margin-top:14px;color:var(--muted);font-size:13px}",
      "footer p{margin:0 0 4px}",
      "a{color:#0969da}");

  private StatusPage() {}

  static String render(NodeStatus s) {
    StringBuilder b = new StringBuilder(4096 + 512 * s.peers().size());
    String region = escape(s.region());
    b.append("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">")
        .append("<meta http-equiv=\"refresh\" content=\"").append(REFRESH_SECONDS).append("\">")
        .append("<meta name=\"viewport\" content=\"width=device-width,initial-scale=1\">")
        .append("<title>").append(region).append(" \u00b7 mesh region node</title>")
        .append("<style>").append(CSS).append("</style></head>\n<body><main>\n")
        .append("<p class=\"eyebrow\">Mesh region node</p>\n")
        .append("<h1>").append(region).append("</h1>\n");

    b.append("<dl class=\"facts\">\n");
    fact(b, "Node key", key(s.publicKey()));
    fact(b, "Region bee", key(s.beeKey()));
    fact(b, "Bee length", count(s.beeLength()) + (s.beeLength() == 1 ? " block" : " blocks"));
    fact(b, "Sync clients", count(s.clients()));
    b.append("</dl>\n");

    long up = s.peers().stream().filter(NodeStatus.Peer::connected).count();
    b.append("<h2>Peer regions <span class=\"count\">").append(count(up)).append(" of ").append(count(s.peers().size()))
        .append(" connected</span></h2>\n<div class=\"card\">");
    if (s.peers().isEmpty()) {
      b.append("<p class=\"empty\">No peer region seen yet.</p>");
    } else {
      b.append("<table><thead><tr><th>Region</th><th>Status</th><th>Node key</th><th>Bee key</th>")
          .append("<th class=\"num\">Bee length</th>")
          .append("<th class=\"num\" title=\"Blocks of the bee downloaded and verified since this node started\">Downloaded</th>")
          .append("<th class=\"num\" title=\"From the region's last announced write (its clock) to its content stored here\">Lag</th>")
          .append("</tr></thead>\n<tbody>\n");
      for (NodeStatus.Peer p : s.peers()) {
        b.append("<tr class=\"").append(p.connected() ? "on" : "off").append("\">")
            .append("<td class=\"region\">").append(escape(p.region())).append("</td>")
            .append("<td><span class=\"badge\">").append(p.connected() ? "\u25cf connected" : "\u25cb not connected").append("</span></td>")
            .append("<td>").append(key(p.publicKey())).append("</td>")
            .append("<td>").append(key(p.beeKey())).append("</td>")
            .append("<td class=\"num\">").append(count(p.remoteLength())).append("</td>")
            .append("<td class=\"num\">").append(count(p.downloadedBlocks())).append("</td>")
            .append("<td class=\"num\">").append(p.lagMillis() < 0 ? "\u2014" : count(p.lagMillis()) + " ms").append("</td>")
            .append("</tr>\n");
      }
      b.append("</tbody></table>");
    }
    b.append("</div>\n<footer><p>Bee length: blocks in that region's bee as last verified here. ")
        .append("Downloaded: its blocks downloaded and verified since this node started. ")
        .append("Lag: from that region's last announced write to its content stored here (propagation lag).</p>")
        .append("<p>Refreshes every ").append(REFRESH_SECONDS).append(" s. ")
        .append("As JSON: <a href=\"/status\">/status</a> \u00b7 Prometheus: <a href=\"/metrics\">/metrics</a></p></footer>\n")
        .append("</main></body></html>\n");
    return b.toString();
  }

  private static void fact(StringBuilder b, String name, String valueHtml) {
    b.append("<div><dt>").append(escape(name)).append("</dt><dd>").append(valueHtml).append("</dd></div>\n");
  }

  /** A key as its first {@link #SHORT_KEY_CHARS} hex characters, the whole key in the title. */
  static String key(Key32 k) {
    String hex = k.hex();
    return "<code title=\"" + escape(hex) + "\">" + escape(hex.substring(0, SHORT_KEY_CHARS)) + "\u2026</code>";
  }

  private static String count(long n) {
    return String.format(Locale.ROOT, "%,d", n);
  }

  /** Text or attribute value for HTML: the five characters with a meaning there become references. */
  static String escape(String s) {
    StringBuilder b = null;
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      String r = switch (c) {
        case '&' -> "&amp;";
        case '<' -> "&lt;";
        case '>' -> "&gt;";
        case '"' -> "&quot;";
        case '\'' -> "&#39;";
        default -> null;
      };
      if (r == null) {
        if (b != null) b.append(c);
      } else {
        if (b == null) b = new StringBuilder(s.length() + 16).append(s, 0, i);
        b.append(r);
      }
    }
    return b == null ? s : b.toString();
  }
}
