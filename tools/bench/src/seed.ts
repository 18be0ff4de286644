// The demo store (apps/flusso/demo/seed.sql) at benchmark size, generated in SQL:
// per user one address, two orders with two items each, a profile for every other
// user. No foreign keys, so seeding stays fast; flusso does not use them.
export function seedSql(users: number): string {
  const n = Math.floor(users);
  return `
CREATE TABLE users (
  id int PRIMARY KEY, email text NOT NULL, full_name text, tier text NOT NULL DEFAULT 'free',
  country char(2), created_at timestamptz NOT NULL DEFAULT now(), deleted boolean NOT NULL DEFAULT false
);
CREATE TABLE profiles (user_id int PRIMARY KEY, bio text, avatar_url text, birth_date date);
CREATE TABLE addresses (
  id int PRIMARY KEY, user_id int NOT NULL, kind text NOT NULL, line1 text NOT NULL,
  city text NOT NULL, postal_code text, country char(2)
);
CREATE TABLE products (id int PRIMARY KEY, sku text NOT NULL, name text NOT NULL, price numeric(10, 2) NOT NULL);
CREATE TABLE orders (
  id int PRIMARY KEY, user_id int NOT NULL, status text NOT NULL DEFAULT 'pending',
  total numeric(12, 2) NOT NULL DEFAULT 0, placed_at timestamptz NOT NULL DEFAULT now()
);
CREATE TABLE order_items (
  id int PRIMARY KEY, order_id int NOT NULL, product_id int NOT NULL,
  quantity int NOT NULL, unit_price numeric(10, 2) NOT NULL
);

INSERT INTO users (id, email, full_name, tier, country, created_at)
SELECT i, format('user%s@example.com', i), format('User Number %s', i),
       (ARRAY['free', 'pro', 'enterprise'])[1 + i % 3], (ARRAY['IT', 'DE', 'US', 'FR'])[1 + i % 4],
       timestamptz '2024-01-01 00:00:00+00' + make_interval(mins => i)
FROM generate_series(1, ${n}) AS i;
INSERT INTO profiles (user_id, bio, avatar_url, birth_date)
SELECT i, format('Bio of user %s', i), format('https://img.example.com/%s.png', i), date '1980-01-01' + i % 10000
FROM generate_series(1, ${n}, 2) AS i;
INSERT INTO addresses (id, user_id, kind, line1, city, postal_code, country)
SELECT i, i, (ARRAY['billing', 'shipping'])[1 + i % 2], format('%s Main Street', i),
       (ARRAY['Milano', 'Berlin', 'Austin', 'Paris'])[1 + i % 4], lpad((i % 100000)::text, 5, '0'), 'IT'
FROM generate_series(1, ${n}) AS i;
INSERT INTO products (id, sku, name, price)
SELECT i, format('SKU-%s', i), format('Product %s', i), (i * 3.5)::numeric(10, 2)
FROM generate_series(1, 50) AS i;
INSERT INTO orders (id, user_id, status, total, placed_at)
SELECT i, 1 + (i - 1) % ${n}, (ARRAY['pending', 'paid', 'shipped', 'delivered', 'cancelled'])[1 + i % 5],
       (i % 500) * 1.25, timestamptz '2025-01-01 00:00:00+00' + make_interval(mins => i)
FROM generate_series(1, ${2 * n}) AS i;
INSERT INTO order_items (id, order_id, product_id, quantity, unit_price)
SELECT i, 1 + (i - 1) % ${2 * n}, 1 + i % 50, 1 + i % 4, (1 + i % 50) * 3.5
FROM generate_series(1, ${4 * n}) AS i;

CREATE INDEX ON addresses (user_id);
CREATE INDEX ON orders (user_id);
CREATE INDEX ON order_items (order_id);
ALTER TABLE addresses REPLICA IDENTITY FULL;
ALTER TABLE orders REPLICA IDENTITY FULL;
ALTER TABLE order_items REPLICA IDENTITY FULL;
ALTER TABLE profiles REPLICA IDENTITY FULL;
ANALYZE;
`;
}
