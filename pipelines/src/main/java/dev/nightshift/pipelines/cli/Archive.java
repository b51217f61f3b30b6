package dev.nightshift.pipelines.cli;

import dev.nightshift.schemas.manifest.ArchiveManifest;
import dev.nightshift.schemas.manifest.RunManifest;
import dev.nightshift.transforms.archive.Archiver;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.channels.Channels;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.apache.beam.sdk.extensions.gcp.options.GcsOptions;
import org.apache.beam.sdk.io.FileSystems;
import org.apache.beam.sdk.io.fs.ResourceId;
import org.apache.beam.sdk.options.Description;
import org.apache.beam.sdk.options.PipelineOptionsFactory;
import org.apache.beam.sdk.options.Validation;

/**
 * {@code nightshift archive --manifest <run output>/_manifest.json --to gs://bucket/prefix}: moves
 * the inputs of a successful run to an archive location with storage class ARCHIVE ({@link
 * Archiver}). The manifest may be local or on {@code gs://}; {@code --project}, {@code
 * --gcsEndpoint} and {@code --credentialFactoryClass} are Beam's GCP flags, as for a run.
 *
 * <p>Exit codes: 0 every input archived (or already archived), 1 usage, 2 invalid options or a run
 * that did not succeed, 4 some inputs not archived (named on stderr; their sources are left in
 * place, and running the command again completes the archive).
 */
public final class Archive {
  private Archive() {}

  /** The command's flags, on top of Beam's GCS ones. */
  public interface Options extends GcsOptions {
    @Description("The run's manifest: <run output>/_manifest.json (local or gs://).")
    @Validation.Required
    String getManifest();

    void setManifest(String value);

    @Description("Where the inputs go: gs://bucket/prefix (storage class ARCHIVE).")
    @Validation.Required
    String getTo();

    void setTo(String value);
  }

  static int run(String[] args, PrintStream out, PrintStream err) {
    if (List.of(args).contains("--help")) {
      out.println("nightshift archive --manifest <run output>/_manifest.json --to gs://bucket/prefix"
          + " [--project=P] [--gcsEndpoint=URL] [--credentialFactoryClass=CLASS]");
      PipelineOptionsFactory.register(Options.class);
      PipelineOptionsFactory.printHelp(out, Options.class);
      return Nightshift.OK;
    }
    Options options;
    try {
      PipelineOptionsFactory.register(Options.class);
      options = PipelineOptionsFactory.fromArgs(joined(args)).withValidation().as(Options.class);
    } catch (IllegalArgumentException e) {
      err.println("nightshift archive: " + e.getMessage());
      return Nightshift.USAGE;
    }
    FileSystems.setDefaultPipelineOptions(options);
    RunManifest run = read(options.getManifest());
    if (!"SUCCEEDED".equals(run.status()) || !run.audit().balanced()) {
      throw new IllegalArgumentException("the run of " + run.pipeline() + " in " + options.getManifest() + " is "
          + run.status() + ": the inputs of a run that did not succeed are not archived");
    }
    ResourceId manifestId = FileSystems.matchNewResource(options.getManifest(), false);
    String outputDir = manifestId.getCurrentDirectory().toString();
    out.println("Archiving the " + run.inputs().size() + " inputs of " + run.pipeline() + " to " + options.getTo() + " ...");
    ArchiveManifest m = Archiver.archive(options, run, manifestId.toString(), outputDir, options.getTo());
    for (ArchiveManifest.FileEntry f : m.files()) {
      PrintStream to = f.failed() ? err : out;
      to.printf(Locale.ROOT, "  %-16s %s -> %s%s%n", f.status(), f.source(), f.destination(),
          f.failed() ? ": " + f.message() : "  (" + f.bytes() + " bytes, crc32c " + f.crc32c() + ", " + f.storageClass() + ")");
    }
    out.println("Archive manifest: " + m.archiveTo() + "/" + ArchiveManifest.FILE_NAME + " and " + outputDir
        + ArchiveManifest.FILE_NAME);
    if (!m.complete()) {
      err.println("nightshift archive: " + m.failures().size() + " of " + m.files().size()
          + " inputs were not archived; their sources are left in place. Run the command again to complete it.");
      return Nightshift.FAILED;
    }
    out.println("Archive " + m.status() + ".");
    return Nightshift.OK;
  }

  private static RunManifest read(String path) {
    try (InputStream in = Channels.newInputStream(FileSystems.open(FileSystems.matchSingleFileSpec(path).resourceId()))) {
      return RunManifest.fromJson(new String(in.readAllBytes(), StandardCharsets.UTF_8));
    } catch (IOException e) {
      throw new IllegalArgumentException("cannot read the run manifest " + path + ": " + e.getMessage(), e);
    }
  }

  /** {@code --flag value} becomes {@code --flag=value}, the form Beam's parser takes. */
  static String[] joined(String[] args) {
    List<String> out = new ArrayList<>();
    for (int i = 0; i < args.length; i++) {
      String a = args[i];
      if (a.startsWith("--") && !a.contains("=") && i + 1 < args.length && !args[i + 1].startsWith("--")) {
        out.add(a + "=" + args[++i]);
      } else {
        out.add(a);
      }
    }
    return out.toArray(new String[0]);
  }
}
