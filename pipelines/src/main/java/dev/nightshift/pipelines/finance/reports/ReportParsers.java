package dev.nightshift.pipelines.finance.reports;

import dev.nightshift.pipelines.finance.TradeSettlement;
import dev.nightshift.schemas.Reasons;
import dev.nightshift.schemas.finance.EodEntry;
import dev.nightshift.schemas.finance.FxRate;
import dev.nightshift.schemas.finance.JournalLine;
import dev.nightshift.transforms.core.RecordException;
import dev.nightshift.transforms.io.CsvRecordParser;
import dev.nightshift.transforms.io.CsvRow;
import java.math.BigDecimal;
import java.time.LocalDate;

/** CSV parsers of the financial reports inputs: types only; business rules live in the checks. */
final class ReportParsers {
  private ReportParsers() {}

  /**
   * A journal line is kept even when a field does not parse: the error travels with the record to
   * the journal check, which refuses the line with that reason and the rest of its journal as
   * {@code INCOMPLETE_JOURNAL}. Only a line without a journal id is refused here (alone: it cannot
   * be attributed to a journal, whose remaining lines then do not balance).
   */
  static final CsvRecordParser<JournalLine> JOURNALS =
      CsvRecordParser.of(
          JournalLine.COLUMNS,
          row -> {
            String journalId = row.text("journal_id");
            String[] error = new String[2];
            String lineNo = text(row, "line_no", error);
            String entity = text(row, "legal_entity", error);
            String account = text(row, "account", error);
            String desk = text(row, "desk", error);
            LocalDate date = null;
            String currency = text(row, "currency", error);
            BigDecimal debit = null;
            BigDecimal credit = null;
            try {
              date = row.date("posting_date");
            } catch (RecordException e) {
              note(error, e);
            }
            try {
              debit = row.decimal("debit");
            } catch (RecordException e) {
              note(error, e);
            }
            try {
              credit = row.decimal("credit");
            } catch (RecordException e) {
              note(error, e);
            }
            return new JournalLine(journalId, lineNo, entity, account, desk, date, currency, debit,
                credit, row.optText("description"), error[0], error[1], row.source());
          });

  private static String text(CsvRow row, String column, String[] error) {
    try {
      return row.text(column);
    } catch (RecordException e) {
      note(error, e);
      return "";
    }
  }

  /** The first problem of a line is its reason. */
  private static void note(String[] error, RecordException e) {
    if (error[0] == null) {
      error[0] = e.reasonCode();
      error[1] = e.getMessage();
    }
  }

  static final CsvRecordParser<FxRate> FX_RATES =
      CsvRecordParser.of(
          FxRate.COLUMNS,
          row -> {
            BigDecimal rate = row.decimal("rate");
            if (rate.signum() <= 0) {
              throw new RecordException(
                  Reasons.INVALID_VALUE, "rate " + rate.toPlainString() + " is not positive");
            }
            return new FxRate(row.date("date"), currency(row, "from_currency"),
                currency(row, "to_currency"), rate, row.source());
          });

  /** An instruction of a trade-settlement run as a signed securities movement. */
  static final CsvRecordParser<EodEntry> INSTRUCTIONS =
      CsvRecordParser.of(
          TradeSettlement.INSTRUCTION_COLUMNS,
          row -> {
            String direction = row.text("direction");
            long quantity = row.quantity("quantity");
            long signed =
                switch (direction) {
                  case "RECEIVE" -> quantity;
                  case "DELIVER" -> -quantity;
                  case "NONE" -> 0;
                  default -> throw new RecordException(
                      Reasons.INVALID_VALUE, "direction '" + direction + "' is not RECEIVE, DELIVER or NONE");
                };
            return new EodEntry(row.text("participant_id"), EodEntry.SECURITY, row.text("isin"),
                row.date("settlement_date"), BigDecimal.valueOf(signed), row.source());
          });

  /** A cash position of a trade-settlement run as a signed cash movement (its net). */
  static final CsvRecordParser<EodEntry> CASH =
      CsvRecordParser.of(
          TradeSettlement.CASH_COLUMNS,
          row -> {
            String currency = currency(row, "currency");
            BigDecimal net = row.decimal("net");
            int digits = java.util.Currency.getInstance(currency).getDefaultFractionDigits();
            if (net.signum() != 0 && net.stripTrailingZeros().scale() > digits) {
              throw new RecordException(Reasons.INVALID_VALUE,
                  "net " + net.toPlainString() + " has more decimals than " + currency + " (" + digits + ")");
            }
            return new EodEntry(row.text("participant_id"), EodEntry.CASH, currency,
                row.date("settlement_date"), net, row.source());
          });

  static String currency(CsvRow row, String column) throws RecordException {
    String code = row.text(column);
    if (!isCurrency(code)) {
      throw new RecordException(Reasons.INVALID_VALUE, "'" + code + "' is not an ISO 4217 currency");
    }
    return code;
  }

  static boolean isCurrency(String code) {
    try {
      java.util.Currency.getInstance(code);
      return true;
    } catch (IllegalArgumentException | NullPointerException e) {
      return false;
    }
  }
}
