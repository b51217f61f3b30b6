package dev.nightshift.schemas.finance;

import dev.nightshift.schemas.SourceRef;
import dev.nightshift.schemas.Sourced;
import dev.nightshift.schemas.coder.RecordCoder;
import java.io.Serializable;

/**
 * A clearing participant and its accounts ({@code participant_id,name,lei,securities_account,cash_account}).
 * Trades name securities accounts; each account belongs to exactly one participant.
 */
public record Participant(
    String participantId,
    String name,
    String lei,
    String securitiesAccount,
    String cashAccount,
    SourceRef source)
    implements Sourced, Serializable {

  public static final String[] COLUMNS = {
    "participant_id", "name", "lei", "securities_account", "cash_account"
  };

  public static final RecordCoder<Participant> CODER =
      RecordCoder.of(
          Participant.class,
          (p, out) -> {
            out.str(p.participantId).str(p.name).str(p.lei).str(p.securitiesAccount).str(p.cashAccount);
            p.source.write(out);
          },
          in ->
              new Participant(
                  in.str(), in.str(), in.str(), in.str(), in.str(), SourceRef.read(in)));
}
