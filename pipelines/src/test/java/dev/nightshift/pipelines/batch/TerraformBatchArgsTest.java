package dev.nightshift.pipelines.batch;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.nightshift.pipelines.Pipelines;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.beam.runners.spark.SparkPipelineOptions;
import org.apache.beam.sdk.options.PipelineOptionsFactory;
import org.junit.jupiter.api.Test;

/**
 * The nightly workflow's arguments (terraform/envs/dev/main.tf, {@code batch_args}) are flags
 * {@code nightshift batch} takes: each is one of the batch's own flags, or a flag it hands to every
 * pipeline that every pipeline's options accept. So the deployed schedule cannot drift from the
 * command (a flag the command does not know would fail every night's run, in the cloud only).
 */
class TerraformBatchArgsTest {

  static final Path MAIN_TF = Path.of("..", "terraform", "envs", "dev", "main.tf");

  static List<String> batchArgs(String hcl) {
    Matcher block = Pattern.compile("batch_args\\s*=\\s*\\[(.*?)\\]", Pattern.DOTALL).matcher(hcl);
    assertTrue(block.find(), "batch_args = [...] in " + MAIN_TF);
    List<String> args = new ArrayList<>();
    Matcher s = Pattern.compile("\"((?:[^\"\\\\]|\\\\.)*)\"").matcher(block.group(1));
    while (s.find()) {
      args.add(s.group(1).replaceAll("\\$\\{[^}]*}", "bucket")); // ${module.storage.x} -> a name
    }
    return args;
  }

  /** Fails when a flag handed to the pipelines is not an option of one of them. */
  static void check(List<String> args) {
    BatchCommand.Args parsed = BatchCommand.parse(args.toArray(new String[0]));
    PipelineOptionsFactory.register(SparkPipelineOptions.class);
    for (Pipelines.Spec spec : Pipelines.ALL) {
      PipelineOptionsFactory.fromArgs(parsed.childFlags().toArray(new String[0])).as(spec.options());
    }
  }

  @Test
  void theDevEnvironmentsBatchArgsAreFlagsOfTheBatchCommand() throws Exception {
    List<String> args = batchArgs(Files.readString(MAIN_TF));
    assertFalse(args.isEmpty());
    BatchCommand.Args parsed = BatchCommand.parse(args.toArray(new String[0]));
    assertEquals("gs://bucket", parsed.get("landing", null), "inputs come from the landing bucket");
    assertEquals("gs://bucket", parsed.get("warehouse", null), "outputs go to the processed bucket");
    assertTrue(parsed.childFlags().contains("--runner=SparkRunner"), parsed.childFlags().toString());
    check(args);
  }

  @Test
  void aFlagNoPipelineKnowsIsCaught() {
    assertThrows(IllegalArgumentException.class,
        () -> check(List.of("--runner=SparkRunner", "--landing=gs://l", "--deadLetterDir=gs://d")));
  }
}
