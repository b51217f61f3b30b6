package dev.nightshift.benchmarks;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.stream.Stream;

/**
 * The canonical result of a run: per part, its lines sorted (as Java strings, which for these
 * ASCII outputs is byte order) and hashed with SHA-256 as {@code line\n...}; the run's checksum is
 * the SHA-256 of the parts' names and hashes. A part is a Beam output file (its header skipped), a
 * DuckDB result file, or a Spark output folder of text files.
 */
record Canonical(List<Part> parts, String checksum) {

  record Part(String name, long lines, String sha256) {}

  static Canonical of(Path runDir, List<String> parts, boolean beam) {
    List<Part> out = new ArrayList<>();
    MessageDigest all = sha256();
    for (String name : parts) {
      List<String> lines = lines(runDir.resolve(name), beam);
      lines.sort(null);
      MessageDigest d = sha256();
      for (String line : lines) {
        d.update(line.getBytes(StandardCharsets.UTF_8));
        d.update((byte) '\n');
      }
      String hash = HexFormat.of().formatHex(d.digest());
      out.add(new Part(name, lines.size(), hash));
      all.update((name + " " + hash + "\n").getBytes(StandardCharsets.UTF_8));
    }
    return new Canonical(List.copyOf(out), HexFormat.of().formatHex(all.digest()));
  }

  String shortChecksum() {
    return checksum.substring(0, 16);
  }

  long lines() {
    return parts.stream().mapToLong(Part::lines).sum();
  }

  private static List<String> lines(Path path, boolean skipHeader) {
    try {
      List<Path> files = new ArrayList<>();
      if (Files.isDirectory(path)) {
        try (Stream<Path> s = Files.list(path)) {
          s.filter(p -> !p.getFileName().toString().startsWith(".") && !p.getFileName().toString().startsWith("_"))
              .sorted().forEach(files::add);
        }
      } else if (Files.isRegularFile(path)) {
        files.add(path);
      } else {
        throw new IllegalStateException("the run wrote no " + path);
      }
      List<String> lines = new ArrayList<>();
      for (Path f : files) {
        try (BufferedReader r = Files.newBufferedReader(f, StandardCharsets.UTF_8)) {
          String line = r.readLine();
          if (skipHeader) {
            line = r.readLine();
          }
          for (; line != null; line = r.readLine()) {
            lines.add(line);
          }
        }
      }
      return lines;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static MessageDigest sha256() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
