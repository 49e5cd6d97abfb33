package org.maiaos.mesh.node.cli;

import java.nio.file.Path;
import java.util.HexFormat;
import java.util.concurrent.Callable;
import org.maiaos.mesh.hypercore.CoreError;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code mesh core fetch KEY --connect HOST:PORT --index N [--dir DIR] --json}: connects as the
 * initiator, verifies the remote length (upgrade proof and signature), downloads block N only.
 * Fails at once with the cause when the peer shows it cannot answer, else after {@code --timeout}.
 */
@Command(name = "fetch", description = "Fetch one block of a remote core, verified, downloading nothing else.", mixinStandardHelpOptions = true)
final class FetchCommand implements Callable<Integer> {
  @Parameters(index = "0", paramLabel = "KEY", description = "The core key (64 hex characters).") String key;
  @Option(names = "--connect", required = true, paramLabel = "HOST:PORT", description = "A peer serving the core (`mesh core serve`).") String connect;
  @Option(names = "--index", required = true, paramLabel = "N", description = "The block to download (only it, with its proof).") long index;
  @Option(names = "--dir", paramLabel = "DIR", description = "Keep the sparse replica here (default: a temp dir, removed after).") Path dir;
  @Option(names = "--json", description = "Print one JSON object.") boolean json;
  @Option(names = "--timeout", paramLabel = "SECONDS", defaultValue = "30",
      description = "Give up after this many seconds without the block (default: ${DEFAULT-VALUE}). A peer that shows it cannot answer fails at once.")
  long timeoutSeconds;

  @Override
  public Integer call() throws Exception {
    try (RemoteReplica remote = RemoteReplica.connect(key, connect, dir, RemoteReplica.timeout(timeoutSeconds))) {
      long remoteLength = remote.update();
      if (index < 0 || index >= remoteLength) {
        throw CoreError.BLOCK_NOT_AVAILABLE.error("block %d is out of range (remote length %d)", index, remoteLength);
      }
      byte[] value = remote.get(index);
      String hex = HexFormat.of().formatHex(value);
      if (json) {
        System.out.println(new JsonOut().put("index", index).put("value", hex).put("remoteLength", remoteLength)
            .put("downloadedBlocks", remote.replicator.stats().downloadedBlocks()).toString());
      } else {
        System.out.println(hex);
      }
      return 0;
    }
  }
}
