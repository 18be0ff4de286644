-- flusso + osproxy demo: the demo store (seed.sql) split between two
-- organisations. Every user belongs to one (`org_id`, NOT NULL), odd ids to
-- org-a and even ids to org-b; everything under a user belongs to its org.
ALTER TABLE users ADD COLUMN org_id text;
UPDATE users SET org_id = CASE WHEN id % 2 = 1 THEN 'org-a' ELSE 'org-b' END;
ALTER TABLE users ALTER COLUMN org_id SET NOT NULL;
