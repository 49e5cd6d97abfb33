package org.maiaos.mesh.node.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;

/** A directory a command made for itself and removes, with everything in it, when it ends. */
final class TempDir implements AutoCloseable {
  final Path path;

  private TempDir(Path path) {
    this.path = path;
  }

  static TempDir create(String prefix) throws IOException {
    return new TempDir(Files.createTempDirectory(prefix));
  }

  @Override
  public void close() throws IOException {
    deleteTree(path);
  }

  /** Deletes {@code root} and what it holds; a file that cannot be deleted fails the whole call. */
  static void deleteTree(Path root) throws IOException {
    if (!Files.exists(root)) return;
    try (Stream<Path> walk = Files.walk(root)) {
      for (Path p : (Iterable<Path>) walk.sorted(Comparator.reverseOrder())::iterator) Files.delete(p);
    }
  }
}
