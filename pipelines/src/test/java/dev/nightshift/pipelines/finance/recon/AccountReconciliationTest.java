package dev.nightshift.pipelines.finance.recon;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.nightshift.pipelines.gen.GenerationReport;
import dev.nightshift.pipelines.gen.GenerationRequest;
import dev.nightshift.pipelines.finance.statements.Samples;
import dev.nightshift.pipelines.finance.statements.StatementParsers;
import dev.nightshift.schemas.DeadLetter;
import dev.nightshift.schemas.finance.StatementEntry;
import dev.nightshift.schemas.manifest.RunManifest;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Account reconciliation on the Direct Runner: on generated statements every planted break is
 * found and nothing else, every expected match is made by its rule, and every balance proves; on
 * the real camt.053 and MT940 samples the balances prove; an XXE statement is a dead letter.
 */
class AccountReconciliationTest {

  @Test
  void findsEveryPlantedBreakAndNothingElse(@TempDir Path tmp) throws IOException {
    Path in = tmp.resolve("in");
    GenerationReport g = new StatementGenerator().generate(new GenerationRequest(in, 900, 21, 0.08, null));
    AccountReconciliation.run("--inputDir=" + in, "--output=" + tmp.resolve("out"));

    Map<String, Long> breaks = new TreeMap<>();
    for (List<String> row : rows(tmp.resolve("out/breaks.csv"))) {
      breaks.merge(row.get(1), 1L, Long::sum);
    }
    assertEquals(g.planted(), breaks, "every planted break found, nothing else");
    assertEquals(4, breaks.size(), "one of each kind: " + breaks);
    Map<String, Long> matches = new TreeMap<>();
    for (List<String> row : rows(tmp.resolve("out/matched.csv"))) {
      matches.merge(row.get(1), 1L, Long::sum);
    }
    Map<String, Long> expected = new TreeMap<>();
    for (List<String> row : rows(in.resolve(StatementGenerator.EXPECTED_MATCHES_FILE))) {
      expected.put(row.get(0), Long.parseLong(row.get(1)));
    }
    assertEquals(expected, matches);
    assertEquals(5, matches.size(), "every rule used: " + matches);

    List<List<String>> proofs = rows(tmp.resolve("out/balance_proof.csv"));
    assertTrue(proofs.size() >= 6);
    Map<String, Long> continuity = new TreeMap<>();
    for (List<String> p : proofs) {
      assertEquals("OK", p.get(9), "proof of " + p);
      continuity.merge(p.get(11), 1L, Long::sum);
    }
    long accounts = proofs.stream().map(p -> p.get(0)).distinct().count();
    assertEquals(Map.of("FIRST", accounts, "OK", proofs.size() - accounts), continuity);

    RunManifest m = RunManifest.fromJson(Files.readString(tmp.resolve("out/_manifest.json")));
    assertTrue(m.audit().balanced(), m.audit().failures().toString());
    assertEquals(0, Files.readAllLines(tmp.resolve("out").resolve(dev.nightshift.transforms.core.NightshiftRun.DEAD_LETTERS_FILE)).size());
  }

  /**
   * The reference model: the same files parsed and matched in plain Java, one account at a time,
   * without Beam. The pipeline's bucketing, grouping and batching must not change a single match.
   */
  @Test
  void equalsThePlainJavaComputationAccountByAccount(@TempDir Path tmp) throws Exception {
    Path in = tmp.resolve("in");
    new StatementGenerator().generate(new GenerationRequest(in, 700, 33, 0.06, null));
    AccountReconciliation.run("--inputDir=" + in, "--output=" + tmp.resolve("out"), "--aggregationBuckets=3");

    Map<String, List<ReconMatcher.BankItem>> bank = new TreeMap<>();
    try (var files = Files.list(in.resolve(StatementGenerator.STATEMENTS_DIR))) {
      for (Path f : files.sorted().toList()) {
        for (StatementEntry e : StatementParsers.parse(f.toString(), Files.readAllBytes(f)).entries()) {
          bank.computeIfAbsent(e.account(), a -> new java.util.ArrayList<>()).add(new ReconMatcher.BankItem(
              AccountReconciliation.entryId(e), e.valueDate(), e.amount(),
              AccountReconciliation.ref(e.endToEndId()), AccountReconciliation.ref(e.bankReference()),
              e.details().stream().map(d -> new ReconMatcher.Detail(d.endToEndId(), d.amount())).toList()));
        }
      }
    }
    Map<String, List<ReconMatcher.LedgerItem>> ledger = new TreeMap<>();
    for (List<String> r : rows(in.resolve(StatementGenerator.LEDGER_FILE))) {
      ledger.computeIfAbsent(r.get(1), a -> new java.util.ArrayList<>()).add(new ReconMatcher.LedgerItem(
          r.get(0), java.time.LocalDate.parse(r.get(4)), new java.math.BigDecimal(r.get(5)), r.get(6), r.get(7)));
    }
    java.util.Set<String> modelMatches = new java.util.TreeSet<>();
    java.util.Set<String> modelBreaks = new java.util.TreeSet<>();
    ReconMatcher matcher = new ReconMatcher(2, java.math.BigDecimal.ZERO);
    for (String account : bank.keySet()) {
      ReconMatcher.Result r = matcher.match(bank.get(account), ledger.getOrDefault(account, List.of()));
      r.matches().forEach(m -> modelMatches.add(String.join(",", account, m.rule(),
          String.join(" ", m.bankIds()), String.join(" ", m.ledgerIds()))));
      r.breaks().forEach(b -> modelBreaks.add(String.join(",", account, b.type(), b.bankId(), b.ledgerId())));
    }
    java.util.Set<String> pipelineMatches = new java.util.TreeSet<>();
    rows(tmp.resolve("out/matched.csv")).forEach(r -> pipelineMatches.add(String.join(",", r.subList(0, 4))));
    java.util.Set<String> pipelineBreaks = new java.util.TreeSet<>();
    rows(tmp.resolve("out/breaks.csv")).forEach(r -> pipelineBreaks.add(String.join(",", r.subList(0, 4))));
    assertTrue(modelMatches.size() > 100, "a real workload: " + modelMatches.size());
    assertEquals(modelMatches, pipelineMatches);
    assertEquals(modelBreaks, pipelineBreaks);
  }

  @Test
  void realSamplesProveTheirBalancesAndAnXxeStatementIsADeadLetter(@TempDir Path tmp) throws IOException {
    Path statements = Files.createDirectories(tmp.resolve("in/statements"));
    Files.copy(Samples.finance(Samples.CAMT), statements.resolve(Samples.CAMT));
    Files.copy(Samples.finance(Samples.MT940), statements.resolve(Samples.MT940));
    Path secret = Files.writeString(tmp.resolve("secret.txt"), "TOP-SECRET-LEDGER-KEY");
    Files.writeString(statements.resolve("xxe.xml"),
        "<?xml version=\"1.0\"?>\n<!DOCTYPE Document [<!ENTITY x SYSTEM \"" + secret.toUri() + "\">]>\n"
            + "<Document xmlns=\"urn:iso:std:iso:20022:tech:xsd:camt.053.001.02\"><BkToCstmrStmt><Stmt>"
            + "<Id>&x;</Id></Stmt></BkToCstmrStmt></Document>\n");
    Files.writeString(tmp.resolve("in/ledger.csv"), String.join(",", StatementGenerator.LEDGER_COLUMNS) + "\n");
    AccountReconciliation.run("--inputDir=" + tmp.resolve("in"), "--output=" + tmp.resolve("out"));

    List<List<String>> proofs = rows(tmp.resolve("out/balance_proof.csv"));
    assertEquals(3, proofs.size(), proofs.toString());
    for (List<String> p : proofs) {
      assertEquals("OK", p.get(9), "proof of " + p);
    }
    // the camt sample's two statements chain: 27.00 closes the first and opens the second
    assertEquals(List.of("FIRST", "OK"), proofs.stream().filter(p -> p.get(2).equals("CAMT053")).map(p -> p.get(11)).toList());
    List<String> dead = Files.readAllLines(tmp.resolve("out").resolve(dev.nightshift.transforms.core.NightshiftRun.DEAD_LETTERS_FILE));
    assertEquals(1, dead.size(), dead.toString());
    DeadLetter d = DeadLetter.fromJson(dead.get(0));
    assertEquals("XML_DTD_FORBIDDEN", d.reasonCode());
    assertTrue(d.sourceFile().endsWith("xxe.xml"));
    for (Path f : Files.list(tmp.resolve("out")).toList()) {
      assertTrue(!Files.readString(f).contains("TOP-SECRET"), f + " leaks the entity's target");
    }
    // with an empty ledger, every bank entry is missing in the ledger: 2 camt + 21 MT940 entries
    assertEquals(23, rows(tmp.resolve("out/breaks.csv")).size());
    RunManifest m = RunManifest.fromJson(Files.readString(tmp.resolve("out/" + RunManifest.FILE_NAME)));
    assertTrue(m.audit().balanced(), m.audit().failures().toString());
  }

  static List<List<String>> rows(Path csv) throws IOException {
    List<String> lines = Files.readAllLines(csv, StandardCharsets.UTF_8);
    return lines.subList(1, lines.size()).stream().map(l -> List.of(l.split(",", -1))).toList();
  }
}
