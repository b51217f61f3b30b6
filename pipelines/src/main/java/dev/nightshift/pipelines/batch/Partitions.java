package dev.nightshift.pipelines.batch;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * The warehouse: one folder per pipeline, one partition per business date,
 * {@code <warehouse>/<pipeline>/business_date=<D>/}, each holding one whole run's outputs and an
 * empty {@code _SUCCESS} marker.
 *
 * <p>A run never writes into a partition. It writes into a staging folder beside it
 * ({@code business_date=<D>.staging-<attempt id>/}); only a successful, balanced run is published
 * into {@code business_date=<D>}:
 *
 * <ul>
 *   <li><b>Local folders</b> (atomic renames): {@code _SUCCESS} is written into the staging folder,
 *       the current partition is renamed aside ({@code .old-<attempt id>}), the staging folder is
 *       renamed into its place, and the old one is deleted. A reader sees the old partition whole,
 *       for an instant no partition, then the new one whole; never a mix. A crash between the two
 *       renames is repaired by {@link #recover} (the old partition is renamed back).
 *   <li><b>Object stores</b> ({@code gs://}: no directory rename): the partition's {@code _SUCCESS}
 *       is deleted first, then its objects, then the staged objects are copied in (server side) and
 *       {@code _SUCCESS} is written last. Readers that honour {@code _SUCCESS} (the batch itself,
 *       Spark, Hadoop) never read a partition without it, so never a mix; a reader that ignores it
 *       can see a partition being replaced. A crash during the copy leaves the partition without
 *       {@code _SUCCESS} until the date is rerun.
 * </ul>
 *
 * In both cases a failed run only deletes its staging folder: the previous good partition stays.
 */
final class Partitions {
  static final String SUCCESS = "_SUCCESS";
  static final String PREFIX = "business_date=";
  /** Matches exactly the published partitions' names, never a staging or old folder. */
  static final String DATE_GLOB = PREFIX + "????-??-??";

  private static final Pattern PARTITION = Pattern.compile("business_date=(\\d{4}-\\d{2}-\\d{2})");

  private final String warehouse;
  private final boolean atomicRenames;

  /** @param atomicRenames whether to publish by renaming folders (local paths only) */
  Partitions(String warehouse, boolean atomicRenames) {
    if (atomicRenames && !Storage.isLocal(warehouse)) {
      throw new IllegalArgumentException("atomic renames need a local warehouse, not " + warehouse);
    }
    this.warehouse = warehouse;
    this.atomicRenames = atomicRenames;
  }

  /** Atomic renames on local folders, the {@code _SUCCESS} protocol elsewhere. */
  static Partitions of(String warehouse) {
    return new Partitions(warehouse, Storage.isLocal(warehouse));
  }

  String warehouse() {
    return warehouse;
  }

  boolean atomicRenames() {
    return atomicRenames;
  }

  String pipelineDir(String pipeline) {
    return Storage.join(warehouse, pipeline);
  }

  String partition(String pipeline, LocalDate date) {
    return Storage.join(warehouse, pipeline, PREFIX + date);
  }

  String staging(String pipeline, LocalDate date, String attemptId) {
    return partition(pipeline, date) + ".staging-" + attemptId;
  }

  /** A file of the published partition of {@code pipeline} for {@code date}. */
  String file(String pipeline, LocalDate date, String name) {
    return Storage.join(partition(pipeline, date), name);
  }

  boolean isPublished(String pipeline, LocalDate date) {
    return Storage.exists(Storage.join(partition(pipeline, date), SUCCESS));
  }

  /** The dates of the pipeline's partition folders (published or not), ascending. */
  List<LocalDate> partitionDates(String pipeline) {
    List<LocalDate> dates = new ArrayList<>();
    for (String name : Storage.children(pipelineDir(pipeline))) {
      var m = PARTITION.matcher(name);
      if (m.matches()) {
        dates.add(LocalDate.parse(m.group(1)));
      }
    }
    dates.sort(null);
    return dates;
  }

  /** The dates of the published partitions (with {@code _SUCCESS}), ascending. */
  List<LocalDate> publishedDates(String pipeline) {
    return partitionDates(pipeline).stream().filter(d -> isPublished(pipeline, d)).toList();
  }

  /**
   * Repairs what an interrupted batch left for this pipeline and date: a partition renamed aside
   * but not replaced is renamed back; staging and old folders are deleted. Call it only while no
   * other batch works on the date (the batch holds the date's lock).
   */
  void recover(String pipeline, LocalDate date) {
    String target = partition(pipeline, date);
    String prefix = PREFIX + date + ".";
    List<String> leftovers =
        Storage.children(pipelineDir(pipeline)).stream().filter(n -> n.startsWith(prefix)).toList();
    if (atomicRenames && !Storage.exists(target)) {
      leftovers.stream()
          .filter(n -> n.startsWith(prefix + "old-"))
          .max(String::compareTo) // attempt ids start with the batch's start time
          .ifPresent(old -> {
            try {
              Storage.move(Storage.local(Storage.join(pipelineDir(pipeline), old)), Storage.local(target));
            } catch (IOException e) {
              throw new UncheckedIOException("cannot restore " + old, e);
            }
          });
    }
    for (String name : leftovers) {
      String dir = Storage.join(pipelineDir(pipeline), name);
      if (Storage.exists(dir) || !atomicRenames) {
        Storage.deleteTree(dir);
      }
    }
  }

  /** Replaces the date's partition whole with a staging folder's contents (see the class comment). */
  void publish(String pipeline, LocalDate date, String attemptId) {
    String staging = staging(pipeline, date, attemptId);
    String target = partition(pipeline, date);
    if (atomicRenames) {
      Path stagingDir = Storage.local(staging);
      Path targetDir = Storage.local(target);
      Path old = Storage.local(target + ".old-" + attemptId);
      try {
        Files.write(stagingDir.resolve(SUCCESS), new byte[0]);
        boolean replacing = Files.exists(targetDir);
        if (replacing) {
          Storage.move(targetDir, old);
        }
        try {
          Storage.move(stagingDir, targetDir);
        } catch (IOException e) {
          if (replacing) {
            Storage.move(old, targetDir);
          }
          throw e;
        }
        if (replacing) {
          Storage.deleteLocalTree(old);
        }
      } catch (IOException e) {
        throw new UncheckedIOException("cannot publish " + staging + " as " + target, e);
      }
      return;
    }
    Storage.delete(Storage.join(target, SUCCESS)); // first: readers stop trusting the partition
    Storage.deleteTree(target);
    Storage.copyTree(staging, target, List.of(SUCCESS));
    Storage.writeString(Storage.join(target, SUCCESS), "");
    Storage.deleteTree(staging);
  }

  /**
   * A glob matching {@code name} in every published partition of {@code pipeline} dated up to
   * {@code date}, for pipelines that read several days (billing, sales-report). Normally that is
   * the partitions' own glob ({@link #DATE_GLOB}). When a later or an unpublished partition exists
   * (an older date being rerun, or an object-store partition being replaced), no single Beam glob
   * can leave it out, so the files are gathered in {@code viewDir} (hard links locally, copies on
   * an object store) and the glob points there.
   *
   * @throws BatchInputException when no partition up to {@code date} is published
   */
  String upTo(String pipeline, LocalDate date, String name, String viewDir) {
    List<LocalDate> all = partitionDates(pipeline);
    List<LocalDate> published = publishedDates(pipeline).stream().filter(d -> !d.isAfter(date)).toList();
    if (published.isEmpty()) {
      throw new BatchInputException("no published partition of " + pipeline + " up to " + date
          + " in " + pipelineDir(pipeline));
    }
    if (published.equals(all)) {
      return Storage.join(pipelineDir(pipeline), DATE_GLOB, name);
    }
    Storage.deleteTree(viewDir);
    for (LocalDate d : published) {
      String source = file(pipeline, d, name);
      String copy = Storage.join(viewDir, PREFIX + d, name);
      if (!Storage.exists(source)) {
        continue;
      }
      try {
        if (Storage.isLocal(source) && Storage.isLocal(copy)) {
          Path link = Storage.local(copy);
          Files.createDirectories(link.getParent());
          try {
            Files.createLink(link, Storage.local(source));
          } catch (IOException | UnsupportedOperationException e) {
            Files.copy(Storage.local(source), link); // another file system, or no hard links
          }
        } else {
          Storage.copyTree(partition(pipeline, d), Storage.join(viewDir, PREFIX + d),
              Storage.children(partition(pipeline, d)).stream().filter(n -> !n.equals(name)).toList());
        }
      } catch (IOException e) {
        throw new UncheckedIOException("cannot gather " + source + " into " + viewDir, e);
      }
    }
    return Storage.join(viewDir, DATE_GLOB, name);
  }

  /** Throws away a failed attempt's staging folder. */
  void discard(String pipeline, LocalDate date, String attemptId) {
    Storage.deleteTree(staging(pipeline, date, attemptId));
  }
}
