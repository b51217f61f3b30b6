-- inventory-update --catalog=jdbc:products (catalog.csv; unit prices in GBP)
CREATE TABLE IF NOT EXISTS products (
  sku         text PRIMARY KEY,
  description text,
  unit_price  numeric
);
