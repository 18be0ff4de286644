// A field the sink can be made to reject: `score` is text in Postgres but mapped as
// an integer, so any non-number written to it is a mapper_parsing_exception.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { demoDir } from './flusso-process.fixture.js';

export const scoreColumnSql = "ALTER TABLE users ADD COLUMN score text DEFAULT '1'";

/** The demo users schema plus the `score` field. */
export const scoreSchemaText = `${readFileSync(join(demoDir, 'users.schema.yml'), 'utf8')}
  - custom: score
    postgres: [text]
    opensearch: { type: integer }
    required: false
`;
