package dev.nightshift.schemas.finance;

import dev.nightshift.schemas.SourceRef;
import dev.nightshift.schemas.Sourced;
import dev.nightshift.schemas.coder.RecordCoder;
import java.io.Serializable;
import java.math.BigDecimal;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;

/**
 * One bank statement of one account (camt.053 {@code Stmt} or one MT940 statement): opening and
 * closing balances (signed: credit +, debit -), the number of entries and their signed sum, and
 * the {@code issues} the lenient parser worked around (a balance without a credit/debit indicator,
 * a missing value date, ...). {@code format} is {@link #CAMT053} or {@link #MT940}.
 */
public record BankStatement(
    String statementId,
    String account,
    String currency,
    String format,
    LocalDate openingDate,
    BigDecimal opening,
    LocalDate closingDate,
    BigDecimal closing,
    long entries,
    BigDecimal entriesTotal,
    List<String> issues,
    SourceRef source)
    implements Sourced, Serializable {

  public static final String CAMT053 = "CAMT053";
  public static final String MT940 = "MT940";

  public BankStatement {
    issues = List.copyOf(issues);
  }

  public static final RecordCoder<BankStatement> CODER =
      RecordCoder.of(
          BankStatement.class,
          (s, out) -> {
            out.str(s.statementId)
                .str(s.account)
                .str(s.currency)
                .str(s.format)
                .date(s.openingDate)
                .decimal(s.opening)
                .date(s.closingDate)
                .decimal(s.closing)
                .lng(s.entries)
                .decimal(s.entriesTotal)
                .integer(s.issues.size());
            for (String issue : s.issues) {
              out.str(issue);
            }
            s.source.write(out);
          },
          in -> {
            String statementId = in.str();
            String account = in.str();
            String currency = in.str();
            String format = in.str();
            LocalDate openingDate = in.date();
            BigDecimal opening = in.decimal();
            LocalDate closingDate = in.date();
            BigDecimal closing = in.decimal();
            long entries = in.lng();
            BigDecimal entriesTotal = in.decimal();
            int n = in.integer();
            List<String> issues = new ArrayList<>(n);
            for (int i = 0; i < n; i++) {
              issues.add(in.str());
            }
            return new BankStatement(
                statementId, account, currency, format, openingDate, opening, closingDate, closing,
                entries, entriesTotal, issues, SourceRef.read(in));
          });
}
