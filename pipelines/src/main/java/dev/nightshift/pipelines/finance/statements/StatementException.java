package dev.nightshift.pipelines.finance.statements;

import dev.nightshift.transforms.core.RecordException;

/**
 * A statement file, or one statement in it, that is refused, with a stable reason code from
 * {@link dev.nightshift.schemas.finance.FinanceReasons} or {@link dev.nightshift.schemas.Reasons}.
 * Messages never quote file content that an XML entity could have pulled in (entities are never
 * expanded: a DOCTYPE is refused first).
 */
public class StatementException extends RecordException {
  public StatementException(String reason, String message) {
    super(reason, message);
  }

  public String reason() {
    return reasonCode();
  }
}
