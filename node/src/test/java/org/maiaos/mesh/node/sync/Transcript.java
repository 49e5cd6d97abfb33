package org.maiaos.mesh.node.sync;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.maiaos.mesh.hypercore.HypercoreException;
import org.maiaos.mesh.node.sync.client.SyncClient;
import org.maiaos.mesh.node.sync.client.SyncFrames;

/**
 * What one server answered in one differential case: a list of steps, each the frames a
 * connection sent and every message that connection then received (pings aside). Two transcripts
 * of the same script, one per server, are compared step by step ({@link TranscriptDiff}).
 */
final class Transcript {
  /** Replies arrive within this much silence of each other; the window is how "no reply" is seen. */
  static final Duration QUIET = Duration.ofMillis(Long.getLong("sync.diff.quietMs", 700));
  /** The longest a step waits for the message it expects (the Java dependency wait is 30 s). */
  static final Duration EXPECT = Duration.ofSeconds(20);

  /** How a step's replies are compared between the servers. */
  enum Compare {
    /** Same messages in the same order. */
    SEQUENCE,
    /** Same messages, any order (where only durability timing decides the order). */
    SET,
    /** A difference we keep on purpose: each side's replies are asserted by the script, the report shows both. */
    OWN
  }

  record Step(String name, String connection, Compare compare, List<String> framesIn, List<JsonNode> replies, String note) {}

  final String server;
  final List<Step> steps = new ArrayList<>();

  Transcript(String server) {
    this.server = server;
  }

  /**
   * Sends {@code frames} on {@code c} (each one text frame), waits for a message matching {@code
   * until} (none: just the quiet window), then records everything {@code c} received.
   */
  List<JsonNode> exchange(String name, SyncClient c, Compare compare, SyncFrames.Until until, String... frames) {
    for (String f : frames) c.sendText(f);
    return collect(name, c, compare, until, List.of(frames));
  }

  /** Records what {@code c} received without sending anything (the other side of another connection's step). */
  List<JsonNode> collect(String name, SyncClient c, Compare compare, SyncFrames.Until until) {
    return collect(name, c, compare, until, List.of());
  }

  private List<JsonNode> collect(String name, SyncClient c, Compare compare, SyncFrames.Until until, List<String> framesIn) {
    String note = null;
    if (until != null) {
      try {
        c.awaitMessage(until.test(), EXPECT);
      } catch (HypercoreException e) {
        note = "no " + until + (c.closed() != null ? " before the close" : " within " + EXPECT);
      }
    }
    List<JsonNode> replies = c.quiet(QUIET);
    SyncClient.Closed closed = c.closed();
    if (closed != null) note = (note == null ? "" : note + "; ") + "closed " + closed.statusCode() + " " + closed.reason();
    steps.add(new Step(name, c.toString(), compare, framesIn, replies, note));
    return replies;
  }

  /** A fact that is not a message (a close code, an exception), compared as text. */
  void note(String name, Compare compare, String text) {
    steps.add(new Step(name, "", compare, List.of(), List.of(), text));
  }
}
