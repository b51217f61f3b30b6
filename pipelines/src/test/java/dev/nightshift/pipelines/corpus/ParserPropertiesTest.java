package dev.nightshift.pipelines.corpus;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.nightshift.pipelines.finance.fix.FixTradeReader;
import dev.nightshift.pipelines.finance.statements.ParsedFile;
import dev.nightshift.pipelines.finance.statements.StatementException;
import dev.nightshift.pipelines.finance.statements.StatementParsers;
import dev.nightshift.schemas.finance.BankStatement;
import dev.nightshift.transforms.testing.Mutations;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Property tests of the format parsers, called as functions on random mutations of the corpus's
 * valid companion files: the FIX line reader, and camt.053 and MT940 (format detected as the
 * pipeline does). Nothing but the parser's own refusal may come out, and what comes out adds up.
 */
class ParserPropertiesTest {

  static List<String> fixLines = new ArrayList<>();
  static List<byte[]> statements = new ArrayList<>();

  @BeforeAll
  static void load() throws Exception {
    Path companions = Corpus.root().resolve("_companions");
    try (Stream<Path> logs = Files.list(companions.resolve("fix-logs"))) {
      for (Path log : logs.sorted().toList()) {
        fixLines.addAll(Files.readAllLines(log, StandardCharsets.ISO_8859_1));
      }
    }
    try (Stream<Path> files = Files.list(companions.resolve("account-reconciliation/statements"))) {
      for (Path f : files.sorted().toList()) {
        statements.add(Files.readAllBytes(f));
      }
    }
  }

  @Test
  void fixLinesAreATradeASkipOrARefusalWithAReason() {
    Mutations.forAll("FixTradeReader.read never throws", 5000, 6,
        r -> fixLines.get(r.nextInt(fixLines.size())).getBytes(StandardCharsets.ISO_8859_1),
        (input, r) -> {
          String line = new String(input, StandardCharsets.ISO_8859_1);
          FixTradeReader.Result result = FixTradeReader.read("f.log", 1, line);
          assertNotNull(result.kind());
          switch (result.kind()) {
            case TRADE -> assertNotNull(result.trade());
            case SKIPPED -> assertTrue(result.msgType() != null && !result.msgType().isEmpty());
            default -> assertTrue(result.reason() != null && result.message() != null && !result.message().isBlank(),
                "a refusal says why: " + result);
          }
        });
  }

  @Test
  void statementFilesParseOrAreRefusedAndEntriesAddUp() {
    Mutations.forAll("statement parsers: a StatementException or a file whose entries add up", 2500, 6,
        r -> statements.get(r.nextInt(statements.size())),
        (input, r) -> {
          ParsedFile parsed;
          try {
            parsed = StatementParsers.parse("s.txt", input);
          } catch (StatementException e) {
            assertTrue(e.reason() != null && !e.getMessage().isBlank());
            return;
          }
          long entries = parsed.statements().stream().mapToLong(BankStatement::entries).sum();
          assertEquals(entries, parsed.entries().size(), "every entry belongs to a statement that was kept");
          for (ParsedFile.Failure f : parsed.failures()) {
            assertTrue(f.reason() != null && !f.message().isBlank(), "a refused statement says why");
            assertTrue(f.source().line() >= 1, "and where it starts");
            assertTrue(f.source().raw().length() <= 20_003, "its raw text is capped");
          }
        });
  }
}
