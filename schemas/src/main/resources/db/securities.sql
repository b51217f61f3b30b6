-- trade-settlement --securities=jdbc:securities (securities.csv)
CREATE TABLE IF NOT EXISTS securities (
  isin     text PRIMARY KEY,
  name     text,
  currency text,
  market   text
);
