package dev.nightshift.pipelines.finance.statements;

import dev.nightshift.schemas.SourceRef;
import dev.nightshift.schemas.finance.BankStatement;
import dev.nightshift.schemas.finance.StatementEntry;
import java.io.Serializable;
import java.util.List;

/**
 * What a statement parser read from one file: the statements, the entries of those statements (in
 * file order), and the statements it had to refuse. A refused statement costs only itself: its
 * entries are in neither list, and its failure carries the statement's first line and raw text.
 */
public record ParsedFile(
    List<BankStatement> statements, List<StatementEntry> entries, List<Failure> failures)
    implements Serializable {

  /** One refused statement: where it starts, its raw text (capped), the reason and a message. */
  public record Failure(SourceRef source, String reason, String message) implements Serializable {}

  public ParsedFile {
    statements = List.copyOf(statements);
    entries = List.copyOf(entries);
    failures = List.copyOf(failures);
  }

  public ParsedFile(List<BankStatement> statements, List<StatementEntry> entries) {
    this(statements, entries, List.of());
  }
}
