-- inventory-update --stores=jdbc:stores (stores.csv)
CREATE TABLE IF NOT EXISTS stores (
  store_id  text PRIMARY KEY,
  name      text,
  country   text,
  opened_on date
);
