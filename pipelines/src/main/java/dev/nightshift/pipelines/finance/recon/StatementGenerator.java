package dev.nightshift.pipelines.finance.recon;

import dev.nightshift.pipelines.gen.DatasetGenerator;
import dev.nightshift.pipelines.gen.GenerationReport;
import dev.nightshift.pipelines.gen.GenerationRequest;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.Writer;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.DayOfWeek;
import java.time.LocalDate;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.SortedMap;
import java.util.SplittableRandom;
import java.util.TreeMap;

/**
 * Generates bank statements and the matching internal ledger for {@code account-reconciliation}:
 * for each account and each of the last three business days one statement, as ISO 20022
 * camt.053.001.02 (even accounts) or SWIFT MT940 with the FIN envelope (odd accounts), whose
 * balances chain (each opening is the previous closing); and {@code ledger.csv}.
 *
 * <p>Every entry belongs to exactly one scenario: matched by end-to-end id, by bank reference, by
 * amount and date, a camt batch (TxDtls) against several ledger lines, two bank entries against one
 * ledger line, or, at {@code badRate}, one planted break of each kind in turn (missing in the bank,
 * missing in the ledger, amount differs, date differs). Amounts are unique per account, so no
 * entry can match anything but its counterpart. {@code generation.json} records the planted breaks,
 * {@code expected_matches.csv} the matches per rule.
 *
 * <p>{@code size} is the number of bank-side scenarios (roughly entries).
 */
public final class StatementGenerator implements DatasetGenerator {
  public static final String NAME = "finance-statements";
  public static final LocalDate DEFAULT_BUSINESS_DATE = LocalDate.of(2026, 11, 25);
  public static final String LEDGER_FILE = "ledger.csv";
  public static final String STATEMENTS_DIR = "statements";
  /** The matches a correct reconciliation makes, per rule ({@code rule,matches}). */
  public static final String EXPECTED_MATCHES_FILE = "expected_matches.csv";
  public static final String[] LEDGER_COLUMNS = {
    "ledger_id", "account", "currency", "booking_date", "value_date", "amount", "end_to_end_id",
    "reference", "description"
  };

  private static final String[] BREAKS = {
    ReconMatcher.MISSING_IN_BANK, ReconMatcher.MISSING_IN_LEDGER, ReconMatcher.AMOUNT_DIFFERS,
    ReconMatcher.DATE_DIFFERS
  };

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public String description() {
    return "Bank statements (camt.053 and MT940) with a matching ledger and planted breaks";
  }

  /** One bank entry as written to a statement. */
  private record Entry(
      LocalDate valueDate, BigDecimal amount, String e2e, String bankRef, List<BigDecimal> batch,
      List<String> batchIds) {}

  private record Ledger(String id, LocalDate valueDate, BigDecimal amount, String e2e, String ref) {}

  @Override
  public GenerationReport generate(GenerationRequest request) throws IOException {
    LocalDate businessDate = request.businessDateOr(DEFAULT_BUSINESS_DATE);
    SplittableRandom random = new SplittableRandom(request.seed());
    Path out = request.outDir();
    Path statements = out.resolve(STATEMENTS_DIR);
    Files.createDirectories(statements);
    List<LocalDate> days = new ArrayList<>();
    for (LocalDate d = businessDate; days.size() < 3; d = d.minusDays(1)) {
      if (d.getDayOfWeek() != DayOfWeek.SATURDAY && d.getDayOfWeek() != DayOfWeek.SUNDAY) {
        days.add(0, d);
      }
    }
    int accounts = (int) Math.max(2, Math.min(500, request.size() / 150));
    long perStatement = Math.max(1, request.size() / ((long) accounts * days.size()));
    SortedMap<String, Long> planted = new TreeMap<>();
    SortedMap<String, Long> matches = new TreeMap<>();
    SortedMap<String, Long> rows = new TreeMap<>();
    long scenario = 0;
    long breakTurn = 0;
    long ledgerSeq = 0;
    long statementFiles = 0;
    try (Writer ledgerOut = Files.newBufferedWriter(out.resolve(LEDGER_FILE), StandardCharsets.UTF_8)) {
      ledgerOut.write(String.join(",", LEDGER_COLUMNS) + "\n");
      long ledgerRows = 0;
      for (int a = 0; a < accounts; a++) {
        String iban = iban(a);
        boolean camt = a % 2 == 0;
        Set<BigDecimal> used = new HashSet<>();
        BigDecimal balance = money(random.nextInt(10_000, 500_000));
        for (int d = 0; d < days.size(); d++) {
          LocalDate day = days.get(d);
          List<Entry> entries = new ArrayList<>();
          List<Ledger> ledger = new ArrayList<>();
          for (long i = 0; i < perStatement; i++, scenario++) {
            String tag = iban.substring(iban.length() - 6) + "-" + scenario;
            BigDecimal amount = unique(random, used);
            boolean isBreak = random.nextDouble() < request.badRate();
            if (isBreak) {
              String kind = BREAKS[(int) (breakTurn++ % BREAKS.length)];
              planted.merge(kind, 1L, Long::sum);
              switch (kind) {
                case ReconMatcher.MISSING_IN_BANK ->
                    ledger.add(new Ledger("L" + (ledgerSeq++), day, amount, "", ""));
                case ReconMatcher.MISSING_IN_LEDGER ->
                    entries.add(new Entry(day, amount, "", "", List.of(), List.of()));
                case ReconMatcher.AMOUNT_DIFFERS -> {
                  entries.add(new Entry(day, amount, "E2E-" + tag, "", List.of(), List.of()));
                  ledger.add(new Ledger("L" + (ledgerSeq++), day, unique(random, used), "E2E-" + tag, ""));
                }
                default -> { // DATE_DIFFERS: beyond any sensible tolerance
                  entries.add(new Entry(day, amount, "E2E-" + tag, "", List.of(), List.of()));
                  ledger.add(new Ledger("L" + (ledgerSeq++), day.minusDays(10), amount, "E2E-" + tag, ""));
                }
              }
              continue;
            }
            int kind = random.nextInt(camt ? 5 : 4);
            switch (kind) {
              case 0 -> { // end-to-end id
                entries.add(new Entry(day, amount, "E2E-" + tag, "", List.of(), List.of()));
                ledger.add(new Ledger("L" + (ledgerSeq++), day.minusDays(random.nextInt(2)), amount, "E2E-" + tag, ""));
                matches.merge(ReconMatcher.E2E, 1L, Long::sum);
              }
              case 1 -> { // bank reference only
                entries.add(new Entry(day, amount, "", "BR" + tag, List.of(), List.of()));
                ledger.add(new Ledger("L" + (ledgerSeq++), day, amount, "", "BR" + tag));
                matches.merge(ReconMatcher.REFERENCE, 1L, Long::sum);
              }
              case 2 -> { // no ids: amount and value date
                entries.add(new Entry(day, amount, "", "", List.of(), List.of()));
                ledger.add(new Ledger("L" + (ledgerSeq++), day.minusDays(random.nextInt(2)), amount, "", ""));
                matches.merge(ReconMatcher.AMOUNT_DATE, 1L, Long::sum);
              }
              case 3 -> { // two bank entries, one ledger line
                BigDecimal second = unique(random, used);
                entries.add(new Entry(day, amount, "E2E-" + tag, "", List.of(), List.of()));
                entries.add(new Entry(day, second, "E2E-" + tag, "", List.of(), List.of()));
                ledger.add(new Ledger("L" + (ledgerSeq++), day, amount.add(second), "E2E-" + tag, ""));
                used.add(amount.add(second));
                matches.merge(ReconMatcher.MANY_TO_ONE, 1L, Long::sum);
              }
              default -> { // camt batch: one entry, 2-4 ledger lines
                int n = random.nextInt(2, 5);
                List<BigDecimal> parts = new ArrayList<>();
                List<String> ids = new ArrayList<>();
                BigDecimal total = BigDecimal.ZERO;
                for (int k = 0; k < n; k++) {
                  BigDecimal part = unique(random, used).abs();
                  parts.add(part);
                  ids.add("E2E-" + tag + "-" + k);
                  total = total.add(part);
                  ledger.add(new Ledger("L" + (ledgerSeq++), day, part, "E2E-" + tag + "-" + k, ""));
                }
                used.add(total);
                entries.add(new Entry(day, total, "", "BATCH" + tag, parts, ids));
                matches.merge(ReconMatcher.ONE_TO_MANY, 1L, Long::sum);
              }
            }
          }
          BigDecimal opening = balance;
          for (Entry e : entries) {
            balance = balance.add(e.amount());
          }
          String statementId = "STMT-" + iban.substring(iban.length() - 6) + "-" + day.format(DateTimeFormatter.BASIC_ISO_DATE);
          // File names carry no account number: paths go into manifests and logs, which must not.
          Path file = statements.resolve(String.format(Locale.ROOT, "%s_account%03d_%s%s",
              camt ? "camt053" : "mt940", a + 1, day, camt ? ".xml" : ".txt"));
          try (Writer w = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
            if (camt) {
              writeCamt(w, statementId, iban, day, opening, balance, entries);
            } else {
              writeMt940(w, statementId, iban, day, d, opening, balance, entries);
            }
          }
          statementFiles++;
          for (Ledger l : ledger) {
            ledgerOut.write(String.join(",", l.id(), iban, "EUR", day.toString(), l.valueDate().toString(),
                l.amount().toPlainString(), l.e2e(), l.ref(), "posting " + l.id()) + "\n");
            ledgerRows++;
          }
        }
      }
      rows.put(LEDGER_FILE, ledgerRows);
      rows.put(STATEMENTS_DIR + "/", statementFiles);
    }
    long breaks = planted.values().stream().mapToLong(Long::longValue).sum();
    GenerationReport report = new GenerationReport(NAME, businessDate, request.size(), request.seed(),
        request.badRate(), rows, planted, scenario - breaks);
    Files.writeString(out.resolve("generation.json"), report.toJson(), StandardCharsets.UTF_8);
    StringBuilder expected = new StringBuilder("rule,matches\n");
    matches.forEach((rule, n) -> expected.append(rule).append(',').append(n).append('\n'));
    Files.writeString(out.resolve(EXPECTED_MATCHES_FILE), expected.toString(), StandardCharsets.UTF_8);
    return report;
  }

  private static BigDecimal money(long cents) {
    return BigDecimal.valueOf(cents, 2);
  }

  /** A signed amount with cents, not used before in this account. */
  private static BigDecimal unique(SplittableRandom random, Set<BigDecimal> used) {
    while (true) {
      long cents = random.nextLong(1_00, 50_000_00) * (random.nextInt(3) == 0 ? -1 : 1);
      BigDecimal amount = money(cents);
      if (used.add(amount)) {
        return amount;
      }
    }
  }

  /** A Dutch IBAN with valid ISO 13616 check digits (mod 97). */
  static String iban(int n) {
    String bban = "NSHF" + String.format(Locale.ROOT, "%010d", 1_000_000L + n * 7919L);
    String rearranged = bban + "NL00";
    StringBuilder digits = new StringBuilder();
    for (char c : rearranged.toCharArray()) {
      digits.append(Character.isLetter(c) ? Integer.toString(c - 'A' + 10) : String.valueOf(c));
    }
    int check = 98 - new BigInteger(digits.toString()).mod(BigInteger.valueOf(97)).intValue();
    return "NL" + String.format(Locale.ROOT, "%02d", check) + bban;
  }

  private static void writeCamt(Writer w, String id, String iban, LocalDate day, BigDecimal opening,
      BigDecimal closing, List<Entry> entries) throws IOException {
    w.write("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
    w.write("<Document xmlns=\"urn:iso:std:iso:20022:tech:xsd:camt.053.001.02\">\n<BkToCstmrStmt>\n");
    w.write("<GrpHdr><MsgId>" + id + "</MsgId><CreDtTm>" + day + "T18:00:00</CreDtTm></GrpHdr>\n");
    w.write("<Stmt>\n<Id>" + id + "</Id>\n<CreDtTm>" + day + "T18:00:00</CreDtTm>\n");
    w.write("<Acct><Id><IBAN>" + iban + "</IBAN></Id><Ccy>EUR</Ccy></Acct>\n");
    w.write(balance("OPBD", opening, day));
    w.write(balance("CLBD", closing, day));
    for (Entry e : entries) {
      w.write("<Ntry>\n<Amt Ccy=\"EUR\">" + e.amount().abs().toPlainString() + "</Amt>\n");
      w.write("<CdtDbtInd>" + (e.amount().signum() < 0 ? "DBIT" : "CRDT") + "</CdtDbtInd>\n<Sts>BOOK</Sts>\n");
      w.write("<BookgDt><Dt>" + day + "</Dt></BookgDt>\n<ValDt><Dt>" + e.valueDate() + "</Dt></ValDt>\n");
      if (!e.bankRef().isEmpty()) {
        w.write("<AcctSvcrRef>" + e.bankRef() + "</AcctSvcrRef>\n");
      }
      w.write("<NtryDtls>\n");
      if (e.batch().isEmpty()) {
        w.write("<TxDtls><Refs><EndToEndId>" + (e.e2e().isEmpty() ? "NOTPROVIDED" : e.e2e())
            + "</EndToEndId></Refs><RmtInf><Ustrd>payment</Ustrd></RmtInf></TxDtls>\n");
      } else {
        w.write("<Btch><NbOfTxs>" + e.batch().size() + "</NbOfTxs></Btch>\n");
        for (int k = 0; k < e.batch().size(); k++) {
          BigDecimal part = e.batch().get(k);
          w.write("<TxDtls><Refs><EndToEndId>" + e.batchIds().get(k) + "</EndToEndId></Refs>"
              + "<AmtDtls><TxAmt><Amt Ccy=\"EUR\">" + part.abs().toPlainString() + "</Amt></TxAmt></AmtDtls>"
              + "<CdtDbtInd>" + (part.signum() < 0 ? "DBIT" : "CRDT") + "</CdtDbtInd></TxDtls>\n");
        }
      }
      w.write("</NtryDtls>\n</Ntry>\n");
    }
    w.write("</Stmt>\n</BkToCstmrStmt>\n</Document>\n");
  }

  private static String balance(String type, BigDecimal amount, LocalDate day) {
    return "<Bal><Tp><CdOrPrtry><Cd>" + type + "</Cd></CdOrPrtry></Tp><Amt Ccy=\"EUR\">"
        + amount.abs().toPlainString() + "</Amt><CdtDbtInd>" + (amount.signum() < 0 ? "DBIT" : "CRDT")
        + "</CdtDbtInd><Dt><Dt>" + day + "</Dt></Dt></Bal>\n";
  }

  private static void writeMt940(Writer w, String id, String iban, LocalDate day, int seq,
      BigDecimal opening, BigDecimal closing, List<Entry> entries) throws IOException {
    DateTimeFormatter yymmdd = DateTimeFormatter.ofPattern("yyMMdd");
    DateTimeFormatter mmdd = DateTimeFormatter.ofPattern("MMdd");
    w.write("{1:F01NSHFNL2AXXXX0000000000}{2:I940NSHFNL2AXXXXN}{4:\n");
    w.write(":20:" + id + "\n:25:" + iban + "EUR\n:28C:" + String.format(Locale.ROOT, "%05d", seq + 1) + "\n");
    w.write(":60F:" + mt(opening) + day.format(yymmdd) + "EUR" + mtAmount(opening) + "\n");
    for (Entry e : entries) {
      w.write(":61:" + e.valueDate().format(yymmdd) + day.format(mmdd) + mt(e.amount()) + mtAmount(e.amount())
          + "NTRFNONREF//" + (e.bankRef().isEmpty() ? "NONREF" : e.bankRef()) + "\n");
      w.write(":86:" + (e.e2e().isEmpty() ? "" : "/EREF/" + e.e2e()) + "/REMI/USTD//payment/\n");
    }
    w.write(":62F:" + mt(closing) + day.format(yymmdd) + "EUR" + mtAmount(closing) + "\n-}\n");
  }

  private static String mt(BigDecimal amount) {
    return amount.signum() < 0 ? "D" : "C";
  }

  private static String mtAmount(BigDecimal amount) {
    return amount.abs().toPlainString().replace('.', ',');
  }
}
