-- trade-settlement --participants=jdbc:participants (participants.csv)
CREATE TABLE IF NOT EXISTS participants (
  participant_id     text PRIMARY KEY,
  name               text,
  lei                text,
  securities_account text,
  cash_account       text
);
