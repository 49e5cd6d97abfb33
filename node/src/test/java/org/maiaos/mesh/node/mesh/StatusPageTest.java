package org.maiaos.mesh.node.mesh;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.maiaos.mesh.hypercore.crypto.Key32;

class StatusPageTest {
  private static final Key32 US_NODE = Key32.fromHex("a1".repeat(32));
  private static final Key32 US_BEE = Key32.fromHex("b2".repeat(32));
  private static final Key32 EU_NODE = Key32.fromHex("0123456789abcdef".repeat(4));
  private static final Key32 EU_BEE = Key32.fromHex("fedcba9876543210".repeat(4));
  private static final Key32 AP_NODE = Key32.fromHex("c3".repeat(32));
  private static final Key32 AP_BEE = Key32.fromHex("d4".repeat(32));

  private static List<String> rows(String html) {
    Matcher m = Pattern.compile("<tr class=\"(on|off)\">(.*?)</tr>").matcher(html);
    List<String> out = new java.util.ArrayList<>();
    while (m.find()) out.add(m.group(1) + " " + m.group(2).replaceAll("<[^>]*>", "|").replaceAll("\\|+", "|"));
    return out;
  }

  @Test
  void showsAConnectedPeerAndOneThatIsNot() {
    String html = StatusPage.render(new NodeStatus("us", US_NODE, US_BEE, 1_234_567, 3, List.of(
        new NodeStatus.Peer("ap", AP_NODE, AP_BEE, false, 0, 0),
        new NodeStatus.Peer("eu", EU_NODE, EU_BEE, true, 42, 7))));

    assertTrue(html.startsWith("<!DOCTYPE html>"), html);
    assertTrue(html.contains("<title>us \u00b7 mesh region node</title>"), html);
    assertTrue(html.contains("<h1>us</h1>"), html);
    assertTrue(html.contains("<code title=\"" + US_NODE.hex() + "\">a1a1a1a1a1a1\u2026</code>"), html);
    assertTrue(html.contains("<code title=\"" + US_BEE.hex() + "\">b2b2b2b2b2b2\u2026</code>"), html);
    assertTrue(html.contains("<dd>1,234,567 blocks</dd>"), html);
    assertTrue(html.contains("<dt>Sync clients</dt><dd>3</dd>"), html);
    assertTrue(html.contains("1 of 2 connected"), html);
    assertEquals(List.of(
        "off |ap|\u25cb not connected|c3c3c3c3c3c3\u2026|d4d4d4d4d4d4\u2026|0|0|\u2014|",
        "on |eu|\u25cf connected|0123456789ab\u2026|fedcba987654\u2026|42|7|\u2014|"), rows(html));
    assertTrue(html.contains("<code title=\"" + EU_BEE.hex() + "\">"), html);
  }

  @Test
  void saysSoWhenNoPeerRegionIsKnown() {
    String html = StatusPage.render(new NodeStatus("us", US_NODE, US_BEE, 1, 0, List.of()));
    assertTrue(html.contains("No peer region seen yet."), html);
    assertTrue(html.contains("0 of 0 connected"), html);
    assertTrue(html.contains("<dd>1 block</dd>"), html);
    assertFalse(html.contains("<table"), html);
    assertEquals(List.of(), rows(html));
  }

  @Test
  void escapesEveryStringThatGoesIntoThePage() {
    String evil = "<script>alert(\"x\")</script>&'";
    String html = StatusPage.render(new NodeStatus(evil, US_NODE, US_BEE, 0, 0,
        List.of(new NodeStatus.Peer(evil, EU_NODE, EU_BEE, true, 0, 0))));
    String escaped = "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;&amp;&#39;";
    assertFalse(html.contains("<script"), html);
    assertFalse(html.contains("alert(\"x\")"), html);
    assertTrue(html.contains("<title>" + escaped + " \u00b7"), html);
    assertTrue(html.contains("<h1>" + escaped + "</h1>"), html);
    assertTrue(html.contains("<td class=\"region\">" + escaped + "</td>"), html);
  }

  @Test
  void escapeReplacesTheFiveMarkupCharactersAndKeepsTheRest() {
    assertEquals("a&amp;b&lt;c&gt;d&quot;e&#39;f \u00e9", StatusPage.escape("a&b<c>d\"e'f \u00e9"));
    String plain = "eu-west-1";
    assertSame(plain, StatusPage.escape(plain));
  }

  @Test
  void isSelfContainedAndRefreshes() {
    String html = StatusPage.render(new NodeStatus("us", US_NODE, US_BEE, 0, 0,
        List.of(new NodeStatus.Peer("eu", EU_NODE, EU_BEE, true, 0, 0))));
    assertTrue(html.contains("<meta http-equiv=\"refresh\" content=\"5\">"), html);
    assertTrue(html.contains("<meta charset=\"utf-8\">"), html);
    for (String external : List.of("<script", "<link", "<img", "src=", "url(", "@import", "http://", "https://")) {
      assertFalse(html.contains(external), external + " in " + html);
    }
    assertEquals("text/html; charset=utf-8", StatusPage.CONTENT_TYPE);
  }

  @Test
  void showsAPeersPropagationLagOnceMeasured() {
    String page = StatusPage.render(new NodeStatus("us", US_NODE, US_BEE, 10, 0, List.of(
        new NodeStatus.Peer("ap", AP_NODE, AP_BEE, true, 5, 1),
        new NodeStatus.Peer("eu", EU_NODE, EU_BEE, true, 42, 7, 87))));
    assertTrue(page.contains(">87 ms</td>"), page);
    assertTrue(page.contains(">\u2014</td>"), "not measured yet: " + page);
  }
}
