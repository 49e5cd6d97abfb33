package org.maiaos.mesh.hypercore.interop;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The child-process timeout fires whatever the child does with its stdout. */
class NodeScriptTest {
  @TempDir Path tmp;

  @Test
  void aChildThatNeverExitsNorClosesStdoutIsKilledAtTheDeadline() {
    IllegalStateException e = assertThrows(IllegalStateException.class,
        () -> NodeScript.run(tmp, List.of("node", "-e", "setInterval(() => process.stdout.write('.'), 10)"), null, 2, TimeUnit.SECONDS));
    assertTrue(e.getMessage().startsWith("timed out after 2 SECONDS"), e.getMessage());
  }

  @Test
  void aSilentChildIsKilledAtTheDeadline() {
    IllegalStateException e = assertThrows(IllegalStateException.class,
        () -> NodeScript.run(tmp, List.of("node", "-e", "setInterval(() => {}, 1000)"), null, 1, TimeUnit.SECONDS));
    assertTrue(e.getMessage().startsWith("timed out"), e.getMessage());
  }

  @Test
  void aGrandchildHoldingStdoutOpenDoesNotBlockPastTheDeadline() {
    // the child exits at once, but a detached grandchild keeps the stdout pipe open
    String js = "require('child_process').spawn('sleep', ['6'], {stdio: ['ignore', 'inherit', 'ignore'], detached: true}).unref()";
    IllegalStateException e = assertThrows(IllegalStateException.class,
        () -> NodeScript.run(tmp, List.of("node", "-e", js), null, 2, TimeUnit.SECONDS));
    assertTrue(e.getMessage().contains("reading the output"), e.getMessage());
  }

  @Test
  void outputAndExitCodeStillCount() {
    assertEquals("{\"a\":1}\n", NodeScript.run(tmp, List.of("node", "-e", "process.stdin.pipe(process.stdout)"),
        "{\"a\":1}\n".getBytes(java.nio.charset.StandardCharsets.UTF_8), 30, TimeUnit.SECONDS));
    IllegalStateException e = assertThrows(IllegalStateException.class,
        () -> NodeScript.run(tmp, List.of("node", "-e", "process.exit(3)"), null, 30, TimeUnit.SECONDS));
    assertTrue(e.getMessage().startsWith("exit 3"), e.getMessage());
  }
}
