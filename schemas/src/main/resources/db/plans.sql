-- claims-adjudication --plans=jdbc:plans (plans.csv; coinsurance_rate a fraction such as 0.20)
CREATE TABLE IF NOT EXISTS plans (
  plan_id            text PRIMARY KEY,
  deductible         numeric,
  coinsurance_rate   numeric,
  copay              numeric,
  oop_max            numeric,
  timely_filing_days integer
);
