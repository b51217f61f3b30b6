package dev.nightshift.pipelines.finance.statements;

import dev.nightshift.schemas.Reasons;
import dev.nightshift.schemas.finance.BankStatement;
import dev.nightshift.schemas.finance.FinanceReasons;

/** Detects the format of a statement file and parses it with the matching parser. */
public final class StatementParsers {
  private StatementParsers() {}

  /**
   * {@link BankStatement#CAMT053} when the file is XML (its first character, after a byte-order
   * mark and white space, is {@code <}; the camt parser then checks the root element),
   * {@link BankStatement#MT940} when it starts with a FIN block {@code {1:} / {@code {4:} or a
   * {@code :20:} tag. Anything else is refused.
   */
  public static String detect(byte[] content) throws StatementException {
    String head = StatementText.decode(
        content.length > 4096 ? java.util.Arrays.copyOf(content, 4096) : content).stripLeading();
    if (content.length == 0 || head.isEmpty()) {
      throw new StatementException(Reasons.EMPTY_FILE, "the file is empty");
    }
    if (head.startsWith("<")) {
      return BankStatement.CAMT053;
    }
    if (head.startsWith("{1:") || head.startsWith("{4:") || head.startsWith(":20:")) {
      return BankStatement.MT940;
    }
    throw new StatementException(
        FinanceReasons.UNKNOWN_STATEMENT_FORMAT,
        "neither XML (camt.053) nor MT940 ({1: or :20:) at the start of the file");
  }

  public static ParsedFile parse(String sourceFile, byte[] content) throws StatementException {
    return detect(content).equals(BankStatement.CAMT053)
        ? Camt053Parser.parse(sourceFile, content)
        : Mt940Parser.parse(sourceFile, content);
  }
}
