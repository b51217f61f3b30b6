-- claims-adjudication --members=jdbc:members (members.csv; one row per coverage period,
-- coverage_end NULL = open ended)
CREATE TABLE IF NOT EXISTS members (
  member_id      text,
  plan_id        text,
  coverage_start date,
  coverage_end   date,
  birth_date     date,
  gender         text,
  PRIMARY KEY (member_id, coverage_start)
);
