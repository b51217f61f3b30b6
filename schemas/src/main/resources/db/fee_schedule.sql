-- claims-adjudication --feeSchedule=jdbc:fee_schedule (fee_schedule.csv; allowed per unit, covered Y/N)
CREATE TABLE IF NOT EXISTS fee_schedule (
  procedure_code text PRIMARY KEY,
  description    text,
  allowed_amount numeric,
  covered        text
);
