package dev.nightshift.pipelines.finance.statements;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.nightshift.schemas.DeadLetter;
import dev.nightshift.schemas.finance.BankStatement;
import dev.nightshift.schemas.finance.FinanceReasons;
import dev.nightshift.schemas.finance.StatementEntry;
import dev.nightshift.schemas.manifest.RunManifest;
import dev.nightshift.transforms.audit.RunAudit;
import dev.nightshift.transforms.core.NightshiftOptions;
import dev.nightshift.transforms.core.NightshiftRun;
import dev.nightshift.transforms.core.StepCounters;
import dev.nightshift.transforms.sink.SortedSink;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.apache.beam.sdk.options.PipelineOptionsFactory;
import org.apache.beam.sdk.transforms.MapElements;
import org.apache.beam.sdk.values.TypeDescriptors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The reader on the Direct Runner: two real files flow, an XXE file is one dead letter. */
class ReadStatementsTest {

  @Test
  void goodFilesFlowAndTheXxeFileIsOneDeadLetter(@TempDir Path tmp) throws Exception {
    Path in = Files.createDirectories(tmp.resolve("in"));
    Path out = tmp.resolve("out");
    Files.copy(Samples.finance(Samples.CAMT), in.resolve("a.xml"));
    Files.copy(Samples.finance(Samples.MT940), in.resolve("b.sta"));
    String secret = "SECRET-" + System.nanoTime();
    Path secretFile = Files.writeString(tmp.resolve("secret.txt"), secret);
    Files.writeString(
        in.resolve("c.xml"),
        "<?xml version=\"1.0\"?>\n<!DOCTYPE Document [<!ENTITY s SYSTEM \"" + secretFile.toUri() + "\">]>\n"
            + "<Document><BkToCstmrStmt><Stmt><Id>&s;</Id></Stmt></BkToCstmrStmt></Document>\n",
        UTF_8);

    NightshiftOptions options =
        PipelineOptionsFactory.fromArgs("--output=" + out, "--runner=DirectRunner").as(NightshiftOptions.class);
    NightshiftRun run = NightshiftRun.create("statements-test", options);
    ReadStatements.Result read = ReadStatements.read(run, "read-statements", in + "/*");
    SortedSink.write(run, "write-statements", "statements.txt", null,
        read.statements().apply("format-statements", MapElements.into(TypeDescriptors.strings())
            .via((BankStatement s) -> s.format() + "|" + s.statementId() + "|" + s.account() + "|"
                + s.opening().toPlainString() + "|" + s.entriesTotal().toPlainString() + "|"
                + s.closing().toPlainString() + "|" + s.entries())));
    SortedSink.write(run, "write-entries", "entries.txt", null,
        read.entries().apply("format-entries", MapElements.into(TypeDescriptors.strings())
            .via((StatementEntry e) -> e.statementId() + "|" + e.source().line() + "|"
                + e.amount().toPlainString() + "|" + e.endToEndId())));
    run.audit()
        .link(read.statementStep(), "write-statements")
        .expect("write-entries", "writes every entry read",
            List.of(RunAudit.term(read.entriesCounter())),
            List.of(RunAudit.term(StepCounters.inName("write-entries"))));
    NightshiftRun.Summary summary = run.execute();

    List<String> statements = Files.readAllLines(out.resolve("statements.txt"));
    assertEquals(
        List.of(
            "CAMT053|253EURNL26VAYB8060476890|NL26VAYB8060476890|18.15|8.85|27.00|1",
            "CAMT053|254EURNL26VAYB8060476890|NL26VAYB8060476890|27.00|-7.00|20.00|1",
            "MT940|P123456000000001/00000|NL68INGB0000012345|436.90|-190.45|246.45|21"),
        statements);
    assertEquals(23, Files.readAllLines(out.resolve("entries.txt")).size());

    List<String> deadLines = Files.readAllLines(out.resolve(NightshiftRun.DEAD_LETTERS_FILE));
    assertEquals(1, deadLines.size());
    DeadLetter dead = DeadLetter.fromJson(deadLines.get(0));
    assertEquals(FinanceReasons.XML_DTD_FORBIDDEN, dead.reasonCode());
    assertTrue(dead.sourceFile().endsWith("c.xml"), dead.sourceFile());
    assertEquals("read-statements", dead.step());
    for (Path f : List.of(out.resolve("statements.txt"), out.resolve("entries.txt"),
        out.resolve(NightshiftRun.DEAD_LETTERS_FILE), out.resolve(RunManifest.FILE_NAME))) {
      assertFalse(Files.readString(f).contains(secret), f.toString());
    }

    RunManifest m = RunManifest.fromJson(Files.readString(out.resolve(RunManifest.FILE_NAME)));
    assertEquals("SUCCEEDED", m.status());
    assertTrue(m.audit().balanced(), m.audit().toString());
    RunManifest.StepCounts files = m.steps().get("read-statements");
    assertEquals(3, files.in());
    assertEquals(2, files.out());
    assertEquals(1, files.dead());
    assertEquals(3L, files.other().get("statements"));
    assertEquals(23L, files.other().get("entries"));
    assertEquals(3, summary.counter("split-statements/in"));
    assertEquals(3, summary.counter("split-statements/out"));
  }
}
