package dev.nightshift.pipelines.batch;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.channels.Channels;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.apache.beam.sdk.io.FileSystems;
import org.apache.beam.sdk.io.fs.MatchResult;
import org.apache.beam.sdk.io.fs.MoveOptions.StandardMoveOptions;
import org.apache.beam.sdk.io.fs.ResourceId;
import org.apache.beam.sdk.util.MimeTypes;

/**
 * The few file operations a batch needs on its landing area and warehouse, on a local folder
 * ({@code java.nio}: atomic renames, real directories) or on any Beam file system such as
 * {@code gs://} (objects under a prefix: listing, server-side copy, delete; no directory rename).
 * Paths are strings with {@code /} separators, as Beam takes them.
 */
final class Storage {
  private Storage() {}

  /**
   * Tests only: treat local paths as an object store would be treated, through Beam's file system
   * API (listing by glob, copy, delete; no directory rename, empty folders ignored), so that the
   * code path {@code gs://} takes runs on a local folder.
   */
  static volatile boolean objectStoreForTests = false;

  /** A path without a scheme, or with {@code file://}, is a local folder. */
  static boolean isLocal(String path) {
    return !objectStoreForTests && (!path.contains("://") || path.startsWith("file://"));
  }

  static Path local(String path) {
    return Path.of(path.startsWith("file://") ? path.substring("file://".length()) : path);
  }

  /** {@code dir/name/...}, without doubled separators. */
  static String join(String dir, String... names) {
    StringBuilder out = new StringBuilder(dir.endsWith("/") ? dir.substring(0, dir.length() - 1) : dir);
    for (String name : names) {
      out.append('/').append(name);
    }
    return out.toString();
  }

  /** The last path element. */
  static String name(String path) {
    String p = path.endsWith("/") ? path.substring(0, path.length() - 1) : path;
    return p.substring(p.lastIndexOf('/') + 1);
  }

  static boolean exists(String file) {
    if (isLocal(file)) {
      return Files.exists(local(file));
    }
    return !match(file).isEmpty();
  }

  /** The files a Beam glob matches ({@code *}, {@code ?}, {@code [..]}, {@code **}), sorted. */
  static List<String> match(String glob) {
    try {
      MatchResult result = FileSystems.match(glob);
      List<String> out = new ArrayList<>();
      if (result.status() == MatchResult.Status.OK) {
        for (MatchResult.Metadata m : result.metadata()) {
          out.add(m.resourceId().toString());
        }
      }
      out.sort(null);
      return out;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot list " + glob, e);
    }
  }

  /** Names of the entries directly under a folder (local) or prefix (object store), sorted. */
  static List<String> children(String dir) {
    if (isLocal(dir)) {
      Path d = local(dir);
      if (!Files.isDirectory(d)) {
        return List.of();
      }
      try (Stream<Path> s = Files.list(d)) {
        return s.map(p -> p.getFileName().toString()).sorted().toList();
      } catch (IOException e) {
        throw new UncheckedIOException("cannot list " + dir, e);
      }
    }
    String prefix = join(dir, "");
    List<String> names = new ArrayList<>();
    for (String file : match(join(dir, "**"))) {
      String rest = file.substring(file.indexOf(prefix) + prefix.length());
      String first = rest.contains("/") ? rest.substring(0, rest.indexOf('/')) : rest;
      if (!first.isEmpty() && !names.contains(first)) {
        names.add(first);
      }
    }
    names.sort(null);
    return names;
  }

  static String readString(String file) {
    try (InputStream in = Channels.newInputStream(FileSystems.open(resource(file)))) {
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + file, e);
    }
  }

  /** Writes a whole file; locally under a temporary name then renamed, so no reader sees half. */
  static void writeString(String file, String text) {
    byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
    try {
      if (isLocal(file)) {
        Path target = local(file);
        Files.createDirectories(target.toAbsolutePath().getParent());
        Path tmp = target.resolveSibling("." + target.getFileName() + ".tmp");
        Files.write(tmp, bytes);
        move(tmp, target);
        return;
      }
      try (OutputStream out = Channels.newOutputStream(FileSystems.create(resource(file), MimeTypes.TEXT))) {
        out.write(bytes);
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write " + file, e);
    }
  }

  /** Deletes one file; missing is fine. */
  static void delete(String file) {
    try {
      if (isLocal(file)) {
        Files.deleteIfExists(local(file));
        return;
      }
      FileSystems.delete(List.of(resource(file)), StandardMoveOptions.IGNORE_MISSING_FILES);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot delete " + file, e);
    }
  }

  /** Deletes a folder (local) or every object under a prefix (object store); missing is fine. */
  static void deleteTree(String dir) {
    try {
      if (isLocal(dir)) {
        deleteLocalTree(local(dir));
        return;
      }
      List<ResourceId> files = new ArrayList<>();
      for (String f : match(join(dir, "**"))) {
        files.add(resource(f));
      }
      FileSystems.delete(files, StandardMoveOptions.IGNORE_MISSING_FILES);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot delete " + dir, e);
    }
  }

  static void deleteLocalTree(Path dir) throws IOException {
    if (!Files.exists(dir)) {
      return;
    }
    Files.walkFileTree(dir, new SimpleFileVisitor<>() {
      @Override
      public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
        Files.deleteIfExists(file);
        return FileVisitResult.CONTINUE;
      }

      @Override
      public FileVisitResult postVisitDirectory(Path d, IOException e) throws IOException {
        if (e != null && !(e instanceof NoSuchFileException)) {
          throw e;
        }
        Files.deleteIfExists(d);
        return FileVisitResult.CONTINUE;
      }
    });
  }

  /**
   * Copies every file under {@code src} to the same relative name under {@code dst}, leaving out
   * the names in {@code except}: a server-side copy on an object store, a plain copy locally.
   */
  static void copyTree(String src, String dst, List<String> except) {
    String prefix = join(src, "");
    List<ResourceId> from = new ArrayList<>();
    List<ResourceId> to = new ArrayList<>();
    for (String f : match(join(src, "**"))) {
      String rel = f.substring(f.indexOf(prefix) + prefix.length());
      if (!except.contains(rel)) {
        from.add(resource(f));
        to.add(resource(join(dst, rel)));
      }
    }
    try {
      if (isLocal(dst)) {
        for (ResourceId t : to) {
          Files.createDirectories(local(t.toString()).getParent());
        }
      }
      FileSystems.copy(from, to);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot copy " + src + " to " + dst, e);
    }
  }

  /** Uploads a local folder tree to {@code dst} on any file system. */
  static void upload(Path localDir, String dst) {
    try (Stream<Path> files = Files.walk(localDir)) {
      for (Path f : files.filter(Files::isRegularFile).sorted().toList()) {
        String rel = localDir.relativize(f).toString().replace('\\', '/');
        try (OutputStream out =
            Channels.newOutputStream(FileSystems.create(resource(join(dst, rel)), MimeTypes.BINARY))) {
          Files.copy(f, out);
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot upload " + localDir + " to " + dst, e);
    }
  }

  /** An atomic rename of a local file or folder (same file system). */
  static void move(Path from, Path to) throws IOException {
    try {
      Files.move(from, to, StandardCopyOption.ATOMIC_MOVE);
    } catch (AtomicMoveNotSupportedException e) {
      throw new IOException("cannot rename " + from + " to " + to + " atomically", e);
    }
  }

  static ResourceId resource(String file) {
    return FileSystems.matchNewResource(file, false);
  }
}
